/**
 * PyTorch checkpoints: synthetic zip and legacy files written by Debian's torch
 * (scripts/fixtures/weights/torch_fixtures.py: nested dicts, f16/bf16/f64/ints/bool, Parameter,
 * transposed / strided / expanded / offset views sharing storages, pickle protocols 2 and 4,
 * a Lightning-style checkpoint) read exactly; hostile pickles and archives are refused.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WaveGpuError } from '../src/runtime/errors.js';
import { loadWeights } from '../src/weights/load.js';
import { unpickle } from '../src/weights/pickle.js';
import { readTorchLegacy, readTorchZip } from '../src/weights/torch.js';
import { StorageRef, flattenTensors, torchGlobals } from '../src/weights/torch_tensor.js';
import type { DType, WeightFile } from '../src/weights/types.js';
import { assertThrows } from './util/check.js';
import { readFile, readText } from './util/io.js';

const t = suite('weights: torch');
const DIR = 'test/fixtures/weights';

interface Expect { tensors: Record<string, { dtype: DType; shape: number[]; values: number[] }>; noteKeys?: string[] }

async function checkExpect(w: WeightFile, exp: Expect): Promise<void> {
  for (const [name, e] of Object.entries(exp.tensors)) {
    const entry = w.tensors.get(name);
    assert.ok(entry, `missing ${name}`);
    assert.is(entry!.dtype, e.dtype, `${name} dtype`);
    assert.equal(entry!.shape, e.shape, `${name} shape`);
    assert.equal(Array.from(await entry!.read()), e.values.map((x) => Math.fround(x)), `${name} values`);
  }
  assert.is(w.tensors.size, Object.keys(exp.tensors).length, 'tensor count');
  if (exp.noteKeys) assert.equal(w.notes.map((n) => n.split(' = ')[0]), exp.noteKeys, 'non-tensor entries reported');
}

for (const [file, format] of [['torch_zip.pt', 'torch-zip'], ['torch_zip_p4.pt', 'torch-zip'], ['torch_legacy.pt', 'torch-legacy'], ['torch_legacy_p4.pt', 'torch-legacy']]) {
  t(`${file}: every tensor, view and dtype equals torch.load's`, async () => {
    const w = await loadWeights(await readFile(`${DIR}/${file}`), { name: file });
    assert.is(w.format, format);
    await checkExpect(w, JSON.parse(await readText(`${DIR}/torch_expect.json`)));
    const t16 = w.tensors.get('model.generator.half')!;
    assert.is(t16.byteLength, 12);
    assert.is((await t16.readRaw!()).length, 12, 'readRaw gives the stored f16 bytes');
    const i64 = await w.tensors.get('model.generator.i64')!.readRaw!();
    assert.equal(Array.from(new BigInt64Array(i64.slice().buffer)), [-3n, 0n, 7n, 2n ** 40n], 'int64 exact through readRaw');
    assert.match(w.tensors.get('model.generator.transposed')!.storage!, /materialised contiguous/);
  });
}

t('Lightning-style checkpoint: state_dict, optimizer states, argparse hyper-parameters as notes', async () => {
  const w = await readTorchZip(await readFile(`${DIR}/torch_lightning.ckpt`), 'torch_lightning.ckpt');
  await checkExpect(w, JSON.parse(await readText(`${DIR}/torch_lightning_expect.json`)));
  assert.ok(w.notes.includes('hyper_parameters.name = "melgan"'), w.notes.join('\n'));
});

const evil: Array<[string, RegExp]> = [
  ['evil_os_system.pt', /global posix\.system is not on the allow-list/],
  ['evil_eval_legacy.pt', /global builtins\.eval is not on the allow-list/],
  ['evil_popen.pt', /global subprocess\.Popen is not on the allow-list/],
  ['whole_module.pt', /torch\.nn\.modules\.conv\.Conv1d is not on the allow-list.*state_dict/],
];
for (const [file, pattern] of evil) {
  t(`refuses ${file} without running anything`, async () => {
    const e = await assertThrows(async () => loadWeights(await readFile(`${DIR}/${file}`), { name: file }), pattern, new RegExp(file.replace('.', '\\.')));
    assert.instance(e, WaveGpuError);
  });
}

/** Pickle bytes from opcode strings (latin-1) and byte lists. */
function P(...parts: Array<string | number[] | Uint8Array>): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') for (const c of p) out.push(c.charCodeAt(0));
    else out.push(...p);
  }
  return new Uint8Array(out);
}
const u32 = (n: number): number[] => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
const str = (s: string): Array<string | number[]> => ['X', u32(s.length), s];

function run(bytes: Uint8Array, persistentLoad?: (pid: unknown) => unknown): unknown {
  return unpickle(bytes, 0, true, { globals: torchGlobals(), persistentLoad, op: 'pickle', file: 'evil.pkl' }).value;
}

const hostilePickles: Array<[string, Uint8Array, RegExp]> = [
  ['GLOBAL os.system + REDUCE', P('\x80\x02', 'cos\nsystem\n', 'X', u32(2), 'ls', '\x85R.'), /global os\.system is not on the allow-list/],
  ['STACK_GLOBAL builtins.eval', P('\x80\x04', ...str('builtins'), ...str('eval'), '\x93', ')R.'), /global builtins\.eval is not on the allow-list/],
  ['INST subprocess.Popen', P('(', ...str('true'), 'isubprocess\nPopen\n.'), /global subprocess\.Popen/],
  ['REDUCE on an allowed storage class', P('\x80\x02ctorch\nFloatStorage\n)R.'), /REDUCE on torch\.FloatStorage, which this reader does not call/],
  ['REDUCE on a string', P('\x80\x02', ...str('os.system'), ')R.'), /REDUCE on a string, which is not an allowed callable/],
  ['NEWOBJ on a dict', P('\x80\x02})\x81.'), /NEWOBJ on a dict/],
  ['BUILD on an int', P('\x80\x02K\x05}b.'), /BUILD on a number/],
  ['deeply nested marks', P('\x80\x02', '('.repeat(5000), '.'), /nesting deeper than 1000 marks/],
  ['memo read before write', P('\x80\x02h\x05.'), /memo entry 5 read before it was written/],
  ['stack underflow', P('\x80\x02a.'), /stack underflow/],
  ['truncated string', P('\x80\x02X', u32(1000), 'abc'), /truncated: BINUNICODE needs 1000 bytes/],
  ['huge LONG4', P('\x80\x02\x8b', u32(0x7fffffff), '.'), /truncated: LONG4/],
  ['huge BINBYTES8', P('\x80\x04\x8e', [0, 0, 0, 0, 0, 0, 0, 1], '.'), /BINBYTES8 length .* is beyond 2\^53/],
  ['large BINBYTES8', P('\x80\x04\x8e', [0, 0, 0, 0, 1, 0, 0, 0], '.'), /truncated: BINBYTES8/],
  ['unknown opcode', P('\x80\x02\xff.'), /unsupported opcode 0xff/],
  ['extension registry', P('\x80\x02\x82\x01.'), /unsupported opcode 0x82/],
  ['protocol 6', P('\x80\x06N.'), /unsupported pickle protocol 6/],
  ['no STOP', P('\x80\x02N'), /truncated/],
  ['persistent id without a loader', P('\x80\x02NQ.'), /persistent id in a pickle that should have none/],
];
for (const [what, bytes, pattern] of hostilePickles) {
  t(`pickle refuses: ${what}`, () => {
    let err: unknown;
    try { run(bytes); } catch (e) { err = e; }
    assert.instance(err, WaveGpuError, `${what} should throw WaveGpuError`);
    assert.match((err as Error).message, pattern);
    assert.match((err as Error).message, /evil\.pkl/);
  });
}

t('cyclic and deeply nested containers are bounded when flattened', async () => {
  const cyclic = run(P('\x80\x02}q\x00', ...str('k'), 'h\x00s.'));
  await assertThrows(() => flattenTensors(cyclic, 'torch', 'evil.pkl'), /nests deeper than 100 levels/);
  const deep = run(P('\x80\x02', ']'.repeat(3000), 'a'.repeat(2999), '.'));
  assert.is(flattenTensors(deep, 'torch', 'evil.pkl').notes.length, 1, 'a deep list without tensors is one note');
});

t('tensor views outside their storage are refused', async () => {
  const pid = P('(', ...str('storage'), 'ctorch\nFloatStorage\n', ...str('0'), ...str('cpu'), 'K\x04t');
  const load = (): StorageRef => new StorageRef('0', 'f32', 4, 'cpu');
  const tensor = (size: number, stride: number, offset: number): Uint8Array =>
    P('\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(', pid, 'QK', [offset], 'K', [size], '\x85K', [stride], '\x85\x89N}t', 'R.');
  assert.ok(run(tensor(4, 1, 0), load));
  for (const [size, stride, offset] of [[10, 1, 0], [2, 3, 1], [1, 1, 4]]) {
    await assertThrows(() => run(tensor(size, stride, offset), load), /but storage "0" holds 4/);
  }
});

t('_rebuild_tensor_v3 views an untyped storage as the given dtype', () => {
  const pid = P('(', ...str('storage'), 'ctorch\nUntypedStorage\n', ...str('0'), ...str('cpu'), 'K\x10t');
  const bytes = P('\x80\x02ctorch._utils\n_rebuild_tensor_v3\n(', pid, 'QK\x01K\x02\x85K\x01\x85\x89}ctorch\nfloat16\nt', 'R.');
  const v = run(bytes, () => new StorageRef('0', 'u8', 16, 'cpu')) as { storage: StorageRef; offset: number; shape: number[] };
  assert.is(v.storage.dtype, 'f16');
  assert.is(v.storage.numel, 8);
  assert.equal([v.offset, v.shape], [1, [2]]);
});

t('the ZIP64 end record is followed when the classic one overflows', async () => {
  const b = (await readFile(`${DIR}/torch_zip.pt`)).slice();
  const dv = new DataView(b.buffer);
  let eocd = b.length - 22;
  while (dv.getUint32(eocd, true) !== 0x06054b50) eocd--;
  dv.setUint32(eocd + 16, 0xffffffff, true); // central directory offset -> ZIP64 record
  const w = await readTorchZip(b, 'zip64.pt');
  assert.is(w.tensors.size, 20);
  new DataView(b.buffer).setUint32(eocd - 20, 0, true); // break the locator signature
  await assertThrows(() => readTorchZip(b, 'zip64.pt'), /ZIP64 fields without a ZIP64 locator/);
});

/** Offset of the central-directory record naming `name`. */
function centralRecord(bytes: Uint8Array, name: string): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 46 < bytes.length; i++) {
    if (dv.getUint32(i, true) !== 0x02014b50) continue;
    const n = dv.getUint16(i + 28, true);
    if (new TextDecoder().decode(bytes.subarray(i + 46, i + 46 + n)) === name) return i;
  }
  throw new Error(`no central record for ${name}`);
}

t('zip archives with lying sizes, compression or corruption are refused', async () => {
  const orig = await readFile(`${DIR}/torch_zip.pt`);
  const mutate = (f: (b: Uint8Array, dv: DataView) => void): Uint8Array => {
    const b = orig.slice();
    f(b, new DataView(b.buffer));
    return b;
  };
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['compressed size lies', mutate((b, dv) => dv.setUint32(centralRecord(b, 'torch_zip/data/0') + 20, 999, true)), /stored but claims 999 bytes stored/],
    ['both sizes lie', mutate((b, dv) => { const c = centralRecord(b, 'torch_zip/data/0'); dv.setUint32(c + 20, 1e6, true); dv.setUint32(c + 24, 1e6, true); }), /run past the archive data/],
    ['deflated entry', mutate((b, dv) => dv.setUint16(centralRecord(b, 'torch_zip/data.pkl') + 10, 8, true)), /is compressed \(method 8\)/],
    ['corrupted pickle', mutate((b, dv) => { const c = centralRecord(b, 'torch_zip/data.pkl'); const off = dv.getUint32(c + 42, true); b[off + 64 + 30 + 20] ^= 0x55; }), /CRC-32 mismatch|pickle/],
    ['truncated archive', orig.slice(0, orig.length - 30), /end-of-central-directory|ZIP64|central directory/],
    ['local header offset lies', mutate((b, dv) => dv.setUint32(centralRecord(b, 'torch_zip/data/1') + 42, 7, true)), /bad local header signature|overlap|local header/],
  ];
  for (const [what, bytes, pattern] of cases) {
    const e = await assertThrows(() => readTorchZip(bytes, 'evil.pt'), pattern, /evil\.pt/);
    assert.instance(e, WaveGpuError, what);
  }
});

t('legacy files with truncated or miscounted storages are refused', async () => {
  const orig = await readFile(`${DIR}/torch_legacy.pt`);
  await assertThrows(() => readTorchLegacy(orig.slice(0, orig.length - 100), 'evil.pt'), /truncated: storage/);
  await assertThrows(() => readTorchLegacy(orig.slice(0, 40), 'evil.pt'), /truncated/);
  const w = await readTorchLegacy(orig, 'ok.pt');
  const first = w.tensors.get('model.generator.conv.weight')!.storage!.split(' ')[1];
  const at = new TextDecoder('latin1').decode(orig).lastIndexOf(first);
  assert.ok(at > 0);
  // the storages follow the key list pickle: find the first count (int64 30 = 3*2*5) after it
  const dv = new DataView(orig.buffer, orig.byteOffset, orig.byteLength);
  let pos = -1;
  for (let i = at; i + 8 <= orig.length; i++) if (dv.getBigInt64(i, true) === 30n) { pos = i; break; }
  const bad = orig.slice();
  new DataView(bad.buffer).setBigInt64(pos, 31n, true);
  await assertThrows(() => readTorchLegacy(bad, 'evil.pt'), /holds 31 elements but the pickle declares 30/);
});

t.run();
