/**
 * loadWeights() format sniffing, inspectWeights() statistics (NaN / Inf reported), and
 * convertToSafetensors() with renaming, f32 / f16 output and provenance metadata.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bytesSource } from '../src/weights/bytes.js';
import { convertToSafetensors, formatInspect, inspectWeights } from '../src/weights/convert.js';
import { f16BitsToNumber, numberToF16Bits } from '../src/weights/dtype.js';
import { loadWeights } from '../src/weights/load.js';
import { readSafetensors, writeSafetensors } from '../src/weights/safetensors.js';
import type { FileOpener } from '../src/weights/types.js';
import { assertThrows } from './util/check.js';
import { readFile, readText } from './util/io.js';

const t = suite('weights: load, inspect, convert');
const DIR = 'test/fixtures/weights';
const opener = (dir: string): FileOpener => async (rel) => bytesSource(await readFile(`${dir}/${rel}`), rel);

t('loadWeights sniffs every format', async () => {
  const cases: Array<[string, string, FileOpener | undefined, string]> = [
    ['st_basic.safetensors', 'st_basic.safetensors', undefined, 'safetensors'],
    ['torch_zip.pt', 'torch_zip.pt', undefined, 'torch-zip'],
    ['torch_legacy_p4.pt', 'torch_legacy_p4.pt', undefined, 'torch-legacy'],
    ['tfjs_layers/model.json', 'model.json', opener(`${DIR}/tfjs_layers`), 'tfjs-layers'],
    ['tfjs_graph/model.json', 'model.json', opener(`${DIR}/tfjs_graph`), 'tfjs-graph'],
    ['tfckpt_snappy/model.ckpt-200000.index', 'model.ckpt-200000.index', opener(`${DIR}/tfckpt_snappy`), 'tf-checkpoint'],
  ];
  for (const [rel, name, open, format] of cases) {
    const w = await loadWeights(await readFile(`${DIR}/${rel}`), { name, open });
    assert.is(w.format, format, rel);
  }
  const namText = JSON.stringify({ architecture: 'Linear', config: { receptive_field: 2 }, weights: [1, 2, 3] });
  assert.is((await loadWeights(new TextEncoder().encode(namText), { name: 'x.nam' })).format, 'nam');
  await assertThrows(() => loadWeights(new Uint8Array(100), { name: 'zeros.bin' }), /zeros\.bin: unrecognised weight format/);
  await assertThrows(async () => loadWeights(await readFile(`${DIR}/tfjs_graph/model.json`), { name: 'model.json' }), /needs an `open` option/);
  await assertThrows(() => loadWeights(new TextEncoder().encode('{"a": 1}'), { name: 'other.json' }), /neither a TF\.js model\.json/);
});

t('progress is reported as tensors are read', async () => {
  const bytes = await readFile(`${DIR}/torch_legacy.pt`);
  const seen: Array<[number, number]> = [];
  const w = await loadWeights(bytes, { name: 'p.pt', onProgress: (a, b) => seen.push([a, b]) });
  for (const e of w.tensors.values()) await e.read();
  assert.ok(seen.length > w.tensors.size, 'one report per read at least');
  assert.ok(seen.every(([a, b]) => a <= b && b === bytes.length));
  assert.ok(seen.every(([a], i) => i === 0 || a >= seen[i - 1][0]), 'monotonic');
});

t('inspect reports min / max / mean over finite values and counts NaN / Inf', async () => {
  const f32 = new Float32Array([1, NaN, -3, Infinity, 2, -Infinity]);
  const st = writeSafetensors([
    { name: 'bad', dtype: 'f32', shape: [2, 3], data: new Uint8Array(f32.buffer) },
    { name: 'allnan', dtype: 'f32', shape: [1], data: new Uint8Array(new Float32Array([NaN]).buffer) },
    { name: 'ok', dtype: 'i32', shape: [2], data: new Uint8Array(new Int32Array([4, 6]).buffer) },
  ]);
  const w = await readSafetensors(st, 'nan.safetensors');
  const rows = await inspectWeights(w);
  const bad = rows.find((r) => r.name === 'bad')!;
  assert.equal([bad.min, bad.max, bad.mean, bad.nonFinite, bad.bytes], [-3, 2, 0, 3, 24]);
  const allnan = rows.find((r) => r.name === 'allnan')!;
  assert.equal([allnan.min, allnan.max, allnan.mean, allnan.nonFinite], [null, null, null, 1]);
  assert.equal(rows.find((r) => r.name === 'ok')!.mean, 5);
  const text = formatInspect(w, rows);
  assert.match(text, /bad  f32 \[2, 3\]  24 B .* NON-FINITE x3/);
});

t('convert torch -> safetensors (f32): values exact, renamed, provenance in metadata', async () => {
  const src = await loadWeights(await readFile(`${DIR}/torch_zip.pt`), { name: 'torch_zip.pt' });
  const bytes = await convertToSafetensors(src, { rename: [['model.generator.', 'gen.']] });
  const out = await readSafetensors(bytes, 'out.safetensors');
  const exp = JSON.parse(await readText(`${DIR}/torch_expect.json`)).tensors;
  for (const [name, e] of Object.entries<{ dtype: string; shape: number[]; values: number[] }>(exp)) {
    const to = name.replace('model.generator.', 'gen.');
    const entry = out.tensors.get(to)!;
    assert.ok(entry, to);
    assert.equal(entry.shape, e.shape);
    assert.is(entry.dtype, ['f16', 'bf16', 'f64'].includes(e.dtype) ? 'f32' : e.dtype, `${to} dtype`);
    assert.equal(Array.from(await entry.read()), e.values.map((x) => Math.fround(x)), to);
  }
  assert.is(out.metadata.source, 'torch_zip.pt');
  assert.is(out.metadata.source_format, 'torch-zip');
  assert.match(out.metadata.notes, /epoch = 12/);
  const only = await readSafetensors(await convertToSafetensors(src, { only: ['optimizer.'], rename: [['optimizer.state.0.', 'opt.']] }), 'o');
  assert.equal([...only.tensors.keys()], ['opt.exp_avg']);
  assert.is(only.metadata.only, 'optimizer.');
  await assertThrows(() => convertToSafetensors(src, { only: ['nothing.'] }), /no tensor is left to write \(none starts with "nothing\."\)/);
});

t('convert to f16 rounds float tensors to nearest even, keeps integer tensors', async () => {
  const src = await readSafetensors(await readFile(`${DIR}/st_basic.safetensors`), 'st_basic.safetensors');
  const out = await readSafetensors(await convertToSafetensors(src, { dtype: 'f16', metadata: { model: 'toy-f16' } }), 'o');
  const a = await src.tensors.get('a.weight')!.read();
  const b = await out.tensors.get('a.weight')!.read();
  assert.is(out.tensors.get('a.weight')!.dtype, 'f16');
  assert.equal(Array.from(b), Array.from(a, (x) => f16BitsToNumber(numberToF16Bits(x))));
  assert.is(out.tensors.get('steps')!.dtype, 'i64');
  assert.equal(Array.from(await out.tensors.get('steps')!.readRaw!()), Array.from(await src.tensors.get('steps')!.readRaw!()));
  assert.is(out.metadata.model, 'toy-f16');
  assert.is(out.metadata['source.model'], 'toy');
  await assertThrows(() => convertToSafetensors(src, { rename: [['a.', ''], ['weight', 'bias']] }), /renaming maps both "a.weight" and "a.bias" to "bias"/);
});

t('convert NAM and TF.js keep their config as JSON metadata', async () => {
  const nam = await loadWeights(new TextEncoder().encode(JSON.stringify({ architecture: 'WaveNet', config: { layers: [] }, weights: [0.5], sample_rate: 48000 })), { name: 'a.nam' });
  const out = await readSafetensors(await convertToSafetensors(nam), 'o');
  assert.equal(JSON.parse(out.metadata.config), { layers: [] });
  assert.is(out.metadata['source.sample_rate'], '48000');
  const tfjs = await loadWeights(await readFile(`${DIR}/tfjs_graph/model.json`), { name: 'model.json', open: opener(`${DIR}/tfjs_graph`) });
  const o2 = await readSafetensors(await convertToSafetensors(tfjs), 'o2');
  assert.ok(JSON.parse(o2.metadata.config).signature);
});

t.run();
