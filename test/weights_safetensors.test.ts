/**
 * safetensors: the Python-written fixture (scripts/fixtures/weights/tfjs_fixtures.py writes it by
 * hand from the format description) reads exactly; the writer round-trips every dtype; hostile
 * headers are refused with WaveGpuError naming the problem.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WaveGpuError } from '../src/runtime/errors.js';
import { readSafetensors, writeSafetensors, type RawTensor } from '../src/weights/safetensors.js';
import { encodeFloat, numberToF16Bits, f16BitsToNumber, numberToBf16Bits } from '../src/weights/dtype.js';
import type { DType, WeightFile } from '../src/weights/types.js';
import { assertThrows, rng } from './util/check.js';
import { readFile, readText } from './util/io.js';

const t = suite('weights: safetensors');
const DIR = 'test/fixtures/weights';

interface Expect { tensors: Record<string, { dtype: DType; shape: number[]; values: number[] }> }

/** Every expected tensor is present with its dtype and shape, and read() gives float32(values). */
async function checkExpect(w: WeightFile, exp: Expect): Promise<void> {
  for (const [name, e] of Object.entries(exp.tensors)) {
    const entry = w.tensors.get(name);
    assert.ok(entry, `missing ${name}`);
    assert.is(entry!.dtype, e.dtype, `${name} dtype`);
    assert.equal(entry!.shape, e.shape, `${name} shape`);
    const v = await entry!.read();
    assert.equal(Array.from(v), e.values.map((x) => Math.fround(x)), `${name} values`);
  }
  assert.is(w.tensors.size, Object.keys(exp.tensors).length, 'tensor count');
}

/** Builds a safetensors file from a raw header object and data bytes. */
function craft(header: unknown, data: Uint8Array, headerLen?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, (headerLen ?? json.length) % 2 ** 32, true);
  dv.setUint32(4, Math.floor((headerLen ?? json.length) / 2 ** 32), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

t('reads the Python-written fixture: all dtypes, metadata, empty tensor', async () => {
  const w = await readSafetensors(await readFile(`${DIR}/st_basic.safetensors`), 'st_basic.safetensors');
  const exp = JSON.parse(await readText(`${DIR}/st_expect.json`));
  await checkExpect(w, exp);
  assert.equal(w.metadata, exp.metadata);
  assert.is(w.format, 'safetensors');
  const steps = await w.tensors.get('steps')!.readRaw!();
  assert.equal(Array.from(new BigInt64Array(steps.slice().buffer)), [1n, -2n, 3n]);
});

t('writer round-trips every dtype bit-exactly and aligns each tensor to its element size', async () => {
  const r = rng(42);
  const dtypes: DType[] = ['f32', 'f16', 'bf16', 'f64', 'i64', 'i32', 'i16', 'i8', 'u8', 'bool'];
  const sizes: Record<DType, number> = { f32: 4, f16: 2, bf16: 2, f64: 8, i64: 8, i32: 4, i16: 2, i8: 1, u8: 1, bool: 1 };
  const tensors: RawTensor[] = dtypes.map((dtype, i) => {
    const shape = [i + 1, 3];
    const data = new Uint8Array(shape[0] * shape[1] * sizes[dtype]);
    for (let k = 0; k < data.length; k++) data[k] = dtype === 'bool' ? (r() < 0.5 ? 1 : 0) : Math.floor(r() * 256);
    return { name: `t.${dtype}`, dtype, shape, data };
  });
  const bytes = writeSafetensors(tensors, { source: 'test', config: '{"a":1}' });
  const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.is((8 + headerLen) % 8, 0, 'data section starts 8-byte aligned');
  const w = await readSafetensors(bytes, 'roundtrip.safetensors');
  assert.equal(w.metadata, { source: 'test', config: '{"a":1}' });
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  for (const src of tensors) {
    const e = w.tensors.get(src.name)!;
    assert.is(e.dtype, src.dtype);
    assert.equal(e.shape, src.shape);
    assert.equal(Array.from(await e.readRaw!()), Array.from(src.data), src.name);
    assert.is(header[src.name].data_offsets[0] % sizes[src.dtype], 0, `${src.name} aligned`);
  }
});

t('f16 / bf16 encoding rounds to nearest even and decodes exactly', () => {
  const cases: Array<[number, number]> = [[1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [65520, 0x7c00], [1e-8, 0], [5.960464477539063e-8, 1],
    [Infinity, 0x7c00], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [6.097555160522461e-5, 0x03ff]];
  for (const [x, bits] of cases) assert.is(numberToF16Bits(x), bits, `f16(${x})`);
  assert.ok(Number.isNaN(f16BitsToNumber(numberToF16Bits(NaN))));
  for (let h = 0; h < 65536; h += 7) {
    const v = f16BitsToNumber(h);
    if (!Number.isNaN(v)) assert.is(numberToF16Bits(v), h, `f16 bits ${h} round trip`);
  }
  assert.is(numberToBf16Bits(1.00390625), 0x3f80, 'bf16 ties to even');
  assert.is(numberToBf16Bits(1.01171875), 0x3f82);
  const enc = encodeFloat(new Float32Array([0.5, -3]), 'bf16');
  assert.equal(Array.from(enc), [0x00, 0x3f, 0x40, 0xc0]);
});

const data12 = new Uint8Array(12);
const good = { x: { dtype: 'F32', shape: [3], data_offsets: [0, 12] } };

const hostile: Array<[string, () => Uint8Array, RegExp]> = [
  ['empty file', () => new Uint8Array(3), /too short for the 8-byte header length/],
  ['header length beyond the file', () => craft(good, data12, 10_000), /header length 10000 runs past the end/],
  ['absurd header length', () => craft(good, data12, 2 ** 52), /runs past the end/],
  ['header is not JSON', () => craft('{"x": [', data12), /not valid JSON/],
  ['header is a list', () => craft('[1,2,3,4,5,6]', data12), /not a JSON object/],
  ['offsets outside the data', () => craft({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 400] } }, data12), /outside the 12-byte data section/],
  ['overlapping tensors', () => craft({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, data12), /overlaps/],
  ['hole in the data', () => craft({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, y: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, data12), /belong to no tensor/],
  ['trailing bytes', () => craft({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, data12), /at the end of the data section belong to no tensor/],
  ['shape / byte count mismatch', () => craft({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 12] } }, data12), /needs 16 bytes but data_offsets \[0, 12\] hold 12/],
  ['dtype / byte count mismatch', () => craft({ x: { dtype: 'F64', shape: [3], data_offsets: [0, 12] } }, data12), /needs 24 bytes/],
  ['unknown dtype', () => craft({ x: { dtype: 'F8_E4M3', shape: [12], data_offsets: [0, 12] } }, data12), /unsupported dtype "F8_E4M3"/],
  ['negative dimension', () => craft({ x: { dtype: 'U8', shape: [-12], data_offsets: [0, 12] } }, data12), /bad dimension -12/],
  ['fractional dimension', () => craft({ x: { dtype: 'U8', shape: [1.5, 8], data_offsets: [0, 12] } }, data12), /bad dimension 1.5/],
  ['huge dimensions', () => craft({ x: { dtype: 'U8', shape: [2 ** 30, 2 ** 30, 2 ** 30], data_offsets: [0, 12] } }, data12), /more than 2\^40 elements/],
  ['end before begin', () => craft({ x: { dtype: 'U8', shape: [0], data_offsets: [12, 0] } }, data12), /end before they begin/],
  ['metadata value not a string', () => craft({ __metadata__: { n: 3 }, ...good }, data12), /__metadata__\["n"\] is a number/],
  ['truncated data', () => craft(good, data12).subarray(0, 30), /runs past the end|outside/],
];

for (const [what, make, pattern] of hostile) {
  t(`refuses: ${what}`, async () => {
    const e = await assertThrows(() => readSafetensors(make(), 'evil.safetensors'), pattern, /evil\.safetensors/);
    assert.instance(e, WaveGpuError);
  });
}

t('writer refuses bad input', async () => {
  await assertThrows(() => writeSafetensors([{ name: 'a', dtype: 'f32', shape: [2], data: new Uint8Array(4) }]), /needs 8 bytes, got 4/);
  await assertThrows(() => writeSafetensors([{ name: '__metadata__', dtype: 'u8', shape: [0], data: new Uint8Array(0) }]), /reserved/);
});

t.run();
