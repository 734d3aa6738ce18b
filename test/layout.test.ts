import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, loadNpy, assertThrows } from './util/check.js';
import * as L from '../src/ops/layout.js';
import { permuteRef, sliceRef, concatRef, padRef, indexSelectRef } from '../src/ref/layout.js';

const t = suite('layout');

// Data movement copies 32-bit words, so every comparison is exact (tolerance 0), and comparing
// the raw bits also checks that NaN payloads and -0 survive.
const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);
function assertExact(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.is(got.length, want.length, `${what} length`);
  const g = new Uint32Array(Float32Array.from(got as ArrayLike<number>).buffer), w = new Uint32Array(Float32Array.from(want as ArrayLike<number>).buffer);
  for (let i = 0; i < g.length; i++) if (g[i] !== w[i]) assert.unreachable(`${what} element ${i}: got ${got[i]}, expected ${want[i]}`);
}

const PERMS: [number[], number[]][] = [
  [[5], [0]], [[3, 7], [1, 0]], [[2, 33, 65], [0, 2, 1]], [[2, 33, 65], [2, 1, 0]], [[4, 1, 3], [1, 2, 0]],
  [[2, 3, 4, 5], [3, 1, 0, 2]], [[2, 1, 3, 2, 5, 3], [5, 0, 4, 2, 3, 1]], [[64, 3, 9], [1, 0, 2]], [[70, 129], [1, 0]],
  // multiples of 4: the 16-byte-word kernels (strided4, transpose4)
  [[3, 5, 8], [1, 0, 2]], [[8, 12], [1, 0]], [[3, 4, 16], [0, 2, 1]], [[2, 4, 3, 8], [2, 0, 1, 3]],
];
for (const [shape, dims] of PERMS) {
  t(`permute ${JSON.stringify(shape)} -> [${dims}]`, async () => {
    const gpu = await getGpu();
    const x = randn(prod(shape), prod(shape) + dims[0]);
    const y = L.permute(gpu.tensor(x, shape), dims);
    const ref = permuteRef(x, shape, dims);
    assert.equal([...y.shape], ref.shape);
    assertExact(await y.read(), ref.data, 'permute');
  });
}

t('transpose swaps two axes for f32 and i32', async () => {
  const gpu = await getGpu();
  const x = randn(3 * 5 * 7, 4);
  assertExact(await L.transpose(gpu.tensor(x, [3, 5, 7]), 0, 2).read(), permuteRef(x, [3, 5, 7], [2, 1, 0]).data, 'transpose 0 2');
  const xi = Int32Array.from({ length: 6 * 35 }, (_, i) => i * 7919 - 100000);
  const yi = L.transpose(gpu.tensor(xi, [6, 35]));
  assert.is(yi.dtype, 'i32');
  assert.equal(Array.from(await yi.read()), Array.from(permuteRef(xi, [6, 35], [1, 0]).data));
});

const SLICES: [number[], ({ start?: number; stop?: number; step?: number } | null)[]][] = [
  [[10], [{ start: 2, stop: 9, step: 3 }]],
  [[4, 33], [null, { start: -7 }]],
  [[3, 8, 65], [{ start: 1 }, { step: 2 }, { start: 5, stop: 64, step: 4 }]],
  [[2, 3, 4, 5], [{ stop: 1 }, { start: 1, stop: 3 }, null, { start: -4, stop: -1, step: 2 }]],
  [[5, 6], [{ start: 4, stop: 2 }]],             // empty result
  [[5, 6], [{ start: -100, stop: 100 }]],       // bounds clamp like Python
  [[6, 16], [{ start: 2 }, { start: 4, stop: 12 }]],  // aligned offsets: 16-byte words
];
for (const [shape, specs] of SLICES) {
  t(`slice ${JSON.stringify(shape)} ${JSON.stringify(specs)}`, async () => {
    const gpu = await getGpu();
    const x = randn(prod(shape), prod(shape) + 1);
    const y = L.slice(gpu.tensor(x, shape), specs);
    const ref = sliceRef(x, shape, specs);
    assert.equal([...y.shape], ref.shape);
    assertExact(await y.read(), ref.data, 'slice');
  });
}

t('sliceAxis and clone', async () => {
  const gpu = await getGpu();
  const x = randn(3 * 10 * 2, 9);
  assertExact(await L.sliceAxis(gpu.tensor(x, [3, 10, 2]), -2, 1, -1, 3).read(), sliceRef(x, [3, 10, 2], [null, { start: 1, stop: -1, step: 3 }]).data, 'sliceAxis');
  for (const n of [8, 7, 1028]) {
    const v = randn(n, n);
    assertExact(await L.clone(gpu.tensor(v)).read(), v, `clone ${n}`);
  }
});

const CONCATS: [number[][], number][] = [
  [[[3], [5], [1]], 0],
  [[[2, 3, 4], [2, 1, 4], [2, 5, 4]], 1],
  [[[2, 3, 4], [2, 3, 9]], -1],
  [[[64, 3], [64, 3]], 0],
  [[[3, 2], [3, 0], [3, 7]], 1],                       // an empty input
  [Array.from({ length: 11 }, (_, i) => [2, 1 + (i % 3), 3]), 1],  // 11 inputs: two dispatches
];
for (const [shapes, axis] of CONCATS) {
  t(`concat ${shapes.length} inputs ${JSON.stringify(shapes.slice(0, 3))} axis ${axis}`, async () => {
    const gpu = await getGpu();
    const xs = shapes.map((s, i) => ({ data: randn(prod(s), 50 + i), shape: s }));
    const y = L.concat(xs.map((x) => gpu.tensor(x.data, x.shape)), axis);
    const ref = concatRef(xs, axis);
    assert.equal([...y.shape], ref.shape);
    assertExact(await y.read(), ref.data, 'concat');
  });
}

const PADS: [number[], number[], L.PadMode, number][] = [
  [[1, 3, 8], [3, 2], 'reflect', 0], [[2, 3, 8], [7, 7], 'replicate', 0], [[5], [2, 0], 'constant', -2.5],
  [[2, 3, 6, 7], [2, 1, 3, 2], 'reflect', 0], [[2, 3, 6, 7], [2, 1, 3, 2], 'circular', 0],
  [[3, 65, 9], [0, 4, 5, 1], 'replicate', 0], [[2, 6, 7], [-1, 2, 0, -3], 'constant', 0.5],
  [[64, 1, 33], [1, 31, 0, 0], 'constant', 0], [[4, 129], [128, 0], 'reflect', 0],
];
for (const [shape, pads, mode, value] of PADS) {
  t(`pad ${JSON.stringify(shape)} [${pads}] ${mode}`, async () => {
    const gpu = await getGpu();
    const x = randn(prod(shape), prod(shape) + pads[0]);
    const y = L.pad(gpu.tensor(x, shape), pads, mode, value);
    const ref = padRef(x, shape, pads, mode, value);
    assert.equal([...y.shape], ref.shape);
    assertExact(await y.read(), ref.data, 'pad');
  });
}

t('pad an i32 tensor with a constant', async () => {
  const gpu = await getGpu();
  const y = await L.pad(gpu.tensor(Int32Array.from([1, -2, 3]), [3]), [1, 2], 'constant', -7).read();
  assert.equal(Array.from(y), [-7, 1, -2, 3, -7, -7]);
});

t('indexSelect along each axis, embedding, GPU indices out of range give NaN', async () => {
  const gpu = await getGpu();
  const shape = [3, 7, 5], x = randn(prod(shape), 77);
  for (const [axis, idx, idxShape] of [[0, [2, 0], [2]], [1, [6, 6, 0, 3, 1], [5]], [2, [4], [1]], [1, [1, 2, 3, 4, 5, 6], [2, 3]]] as [number, number[], number[]][]) {
    const y = L.indexSelect(gpu.tensor(x, shape), axis, idx, idxShape);
    const ref = indexSelectRef(x, shape, axis, idx, idxShape);
    assert.equal([...y.shape], ref.shape);
    assertExact(await y.read(), ref.data, `axis ${axis}`);
  }
  const w = randn(50 * 64, 3), ids = Int32Array.from([49, 0, 7, 7, 13, 2]);
  const e = L.embedding(gpu.tensor(ids, [2, 3]), gpu.tensor(w, [50, 64]));
  assert.equal([...e.shape], [2, 3, 64]);
  assertExact(await e.read(), indexSelectRef(w, [50, 64], 0, ids, [2, 3]).data, 'embedding');
  const bad = await L.indexSelect(gpu.tensor(x, shape), 1, gpu.tensor(Int32Array.from([7, -1, 2]))).read();
  assert.ok(Number.isNaN(bad[0]) && Number.isNaN(bad[5]) && !Number.isNaN(bad[10]));
  const bad4 = await L.indexSelect(gpu.tensor(w, [50, 64]), 0, gpu.tensor(Int32Array.from([50, 1]))).read(); // 16-byte-word path
  assert.ok(bad4.slice(0, 64).every(Number.isNaN));
  assertExact(bad4.slice(64), w.slice(64, 128), 'row 1');
});

t('reference matches torch fixtures', async () => {
  const f = (n: string) => loadNpy(`test/fixtures/layout/${n}.npy`);
  const x = await f('x');
  const asF = (a: { data: Float32Array | Int32Array }) => a.data as Float32Array;
  assertExact(permuteRef(asF(x), x.shape, [2, 0, 3, 1]).data, asF(await f('permute_2031')), 'permute');
  assertExact(permuteRef(asF(x), x.shape, [0, 3, 2, 1]).data, asF(await f('transpose_13')), 'transpose');
  assertExact(sliceRef(asF(x), x.shape, [null, { start: 1, stop: 3 }, { step: 2 }, { start: -4, stop: -1, step: 2 }]).data, asF(await f('slice')), 'slice');
  assertExact(sliceRef(asF(x), x.shape, [{ start: -1 }, { start: -5, stop: 2 }, { start: 1 }, { start: 3, stop: 100, step: 3 }]).data, asF(await f('slice_neg')), 'slice_neg');
  const [a, b, c] = await Promise.all(['ca', 'cb', 'cc'].map(f));
  const ts = [a, b, c].map((v) => ({ data: asF(v), shape: v.shape }));
  assertExact(concatRef(ts, 1).data, asF(await f('cat1')), 'cat1');
  assertExact(concatRef([ts[0], ts[0]], 0).data, asF(await f('cat0')), 'cat0');
  const p = await f('p'), q = await f('q');
  for (const m of ['reflect', 'replicate', 'circular']) assertExact(padRef(asF(p), p.shape, [2, 1, 3, 2], m).data, asF(await f(`pad2d_${m}`)), `pad2d ${m}`);
  assertExact(padRef(asF(p), p.shape, [2, 1, 3, 2], 'constant', 1.5).data, asF(await f('pad2d_constant')), 'pad2d constant');
  assertExact(padRef(asF(p), p.shape, [-1, 2, 0, -3], 'constant', 0).data, asF(await f('pad2d_crop')), 'pad2d crop');
  for (const m of ['reflect', 'replicate']) assertExact(padRef(asF(q), q.shape, [3, 2], m).data, asF(await f(`pad1d_${m}`)), `pad1d ${m}`);
  const s = await f('s'), w = await f('w');
  assertExact(indexSelectRef(asF(s), s.shape, 1, [5, 0, 0, 3]).data, asF(await f('index_select')), 'index_select');
  assertExact(indexSelectRef(asF(w), w.shape, 0, [1, 9, 0, 3, 3, 2], [2, 3]).data, asF(await f('embedding')), 'embedding');
});

t('errors name the op and the shapes', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(24), [2, 3, 4]);
  await assertThrows(() => L.permute(x, [0, 1]), /permute/, /\[2, 3, 4\]/);
  await assertThrows(() => L.permute(x, [0, 1, 3]), /permute/, /axis 3/, /\[2, 3, 4\]/);
  await assertThrows(() => L.permute(gpu.tensor(new Float32Array(1), [1, 1, 1, 1, 1, 1, 1]), [0, 1, 2, 3, 4, 5, 6]), /permute/, /rank 7/);
  await assertThrows(() => L.transpose(x, 0, -4), /transpose/, /axis -4/);
  await assertThrows(() => L.slice(x, [null, { step: 0 }]), /slice/, /step 0/, /axis 1/);
  await assertThrows(() => L.sliceAxis(x, 3, 0), /slice/, /axis 3/);
  await assertThrows(() => L.concat([x, gpu.tensor(new Float32Array(6), [2, 3, 1]), gpu.tensor(new Float32Array(8), [2, 4])], 1), /concat/, /\[2, 3, 4\], \[2, 3, 1\], \[2, 4\]/);
  await assertThrows(() => L.concat([x, gpu.tensor(new Int32Array(24), [2, 3, 4])]), /concat/, /i32/);
  await assertThrows(() => L.concat([x], 5), /concat/, /axis 5/);
  await assertThrows(() => L.pad(x, [4, 0], 'reflect'), /pad/, /\[2, 3, 4\]/, /smaller than the axis/);
  await assertThrows(() => L.pad(x, [1, 2, 3]), /pad/, /2 \(last axis\) or 4/);
  await assertThrows(() => L.pad(x, [-1, 0], 'replicate'), /pad/, /negative/);
  await assertThrows(() => L.indexSelect(x, 1, [0, 3]), /indexSelect/, /index 3/, /size 3/, /\[2, 3, 4\]/);
  await assertThrows(() => L.indexSelect(x, -4, [0]), /indexSelect/, /axis -4/);
  await assertThrows(() => L.embedding([0], x), /embedding/, /\[2, 3, 4\]/);
});

t.run();
