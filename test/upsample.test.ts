import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, assertThrows, loadNpy } from './util/check.js';
import { readText } from './util/io.js';
import { upsample1d, upsample2d, interpolate, avgPool1d, avgPool2d } from '../src/ops/upsample.js';
import { interpRef, avgPoolRef, type InterpAxis } from '../src/ref/upsample.js';

const t = suite('upsample');

// Tolerances. Nearest copies a value chosen by the same f32 index product as torch: exact.
// Linear: the GPU forms src = scale*(o + 0.5) - 0.5 in f32, so the weight l is off by about
// src * 2^-23 (and the reference uses float64, as torch does); with inputs in [-1, 1] the output
// moves by at most 2 * that per axis, plus f32 rounding of the blend. Pooling: a sum of <= k f32
// values divided once: a few ulp.
const EXACT = { atol: 0, rtol: 0 };
const linTol = (...inSizes: number[]) => ({ atol: 1e-6 + 4 * 2 ** -23 * Math.max(...inSizes), rtol: 1e-6 });
const POOL_TOL = { atol: 1e-6, rtol: 1e-6 };

type Case1 = [b: number, c: number, l: number, mode: 'nearest' | 'linear', size: number | undefined, factor: number | undefined, align: boolean | undefined];
const ONE: Case1[] = [
  [2, 3, 7, 'nearest', undefined, 2, undefined], [1, 1, 14, 'nearest', 20, undefined, undefined],
  [1, 64, 13, 'nearest', 5, undefined, undefined], [2, 1, 23, 'nearest', undefined, 0.35, undefined],
  [1, 3, 37, 'nearest', undefined, 2.5, undefined], [2, 3, 5, 'linear', undefined, 3, false],
  [1, 64, 7, 'linear', 11, undefined, true], [1, 2, 12, 'linear', undefined, 0.6, false],
  [1, 1, 5, 'linear', 1, undefined, true], [2, 3, 300, 'linear', undefined, 4, false], [1, 3, 41, 'linear', undefined, 1.7, true],
];

for (const [b, c, l, mode, size, factor, align] of ONE) {
  t(`upsample1d ${mode} [${b}, ${c}, ${l}] size=${size} factor=${factor} align=${align}`, async () => {
    const gpu = await getGpu();
    const x = randn(b * c * l, l * 3 + c);
    const y = upsample1d(gpu.tensor(x, [b, c, l]), { mode, size, scaleFactor: factor, alignCorners: align });
    const out = size ?? Math.floor(l * factor!);
    assert.equal([...y.shape], [b, c, out]);
    const ref = interpRef(x, b * c, { n: 1, out: 1 }, { n: l, out, factor }, mode, !!align);
    assertClose(await y.read(), ref, mode === 'nearest' ? EXACT : linTol(l), mode);
  });
}

type Case2 = [shape: number[], mode: 'nearest' | 'bilinear', size: [number, number] | undefined, factor: number | [number, number] | undefined, align: boolean | undefined];
const TWO: Case2[] = [
  [[2, 3, 3, 4], 'nearest', undefined, [2, 3], undefined], [[1, 1, 5, 6], 'nearest', undefined, 1.7, undefined],
  [[1, 64, 3, 5], 'nearest', [5, 9], undefined, undefined], [[1, 1, 5, 33], 'nearest', undefined, [1, 4], undefined],
  [[2, 3, 4, 5], 'bilinear', undefined, 2, false], [[1, 3, 4, 6], 'bilinear', [7, 5], undefined, true],
  [[1, 1, 6, 8], 'bilinear', undefined, [1.5, 0.75], false], [[2, 64, 3, 3], 'bilinear', [5, 7], undefined, false],
  [[1, 1, 1, 1], 'bilinear', [3, 2], undefined, true],
];

for (const [shape, mode, size, factor, align] of TWO) {
  t(`upsample2d ${mode} ${JSON.stringify(shape)} size=${size} factor=${factor} align=${align}`, async () => {
    const gpu = await getGpu();
    const [b, c, h, w] = shape;
    const x = randn(b * c * h * w, h * 7 + w);
    const y = upsample2d(gpu.tensor(x, shape), { mode, size, scaleFactor: factor, alignCorners: align });
    const [fh, fw] = factor === undefined ? [undefined, undefined] : typeof factor === 'number' ? [factor, factor] : factor;
    const ah: InterpAxis = { n: h, out: size?.[0] ?? Math.floor(h * fh!), factor: fh };
    const aw: InterpAxis = { n: w, out: size?.[1] ?? Math.floor(w * fw!), factor: fw };
    assert.equal([...y.shape], [b, c, ah.out, aw.out]);
    const ref = interpRef(x, b * c, ah, aw, mode === 'nearest' ? 'nearest' : 'linear', !!align);
    assertClose(await y.read(), ref, mode === 'nearest' ? EXACT : linTol(h, w), mode);
  });
}

type PoolCase = [shape: number[], k: number | [number, number], s: number | [number, number] | undefined, p: number | [number, number], ceil: boolean, cip: boolean];
const POOLS: PoolCase[] = [
  [[2, 3, 11], 3, 2, 1, false, true], [[1, 64, 10], 3, 2, 1, true, false], [[1, 1, 4], 4, 3, 2, true, true],
  [[2, 3, 13], 5, undefined, 0, false, true], [[2, 2, 5, 7], [2, 3], [2, 1], [1, 1], false, false],
  [[1, 3, 6, 9], 3, 2, 1, true, true], [[1, 64, 7, 8], 2, undefined, 0, false, true], [[2, 1, 8, 5], 3, 2, 1, true, false],
];

for (const [shape, k, s, p, ceil, cip] of POOLS) {
  t(`avg_pool ${JSON.stringify(shape)} k=${k} s=${s} p=${p} ceil=${ceil} count_include_pad=${cip}`, async () => {
    const gpu = await getGpu();
    const x = randn(shape.reduce((a, v) => a * v, 1), shape.length * 5 + shape[shape.length - 1]);
    const xt = gpu.tensor(x, shape);
    const two = (v: number | [number, number]) => (typeof v === 'number' ? [v, v] : v);
    const kk = two(k), ss = two(s ?? k), pp = two(p);
    const oneD = shape.length === 3;
    const planes = shape[0] * shape[1];
    const ref = oneD
      ? avgPoolRef(x, planes, { n: 1, k: 1, s: 1, p: 0 }, { n: shape[2], k: kk[1], s: ss[1], p: pp[1] }, ceil, cip)
      : avgPoolRef(x, planes, { n: shape[2], k: kk[0], s: ss[0], p: pp[0] }, { n: shape[3], k: kk[1], s: ss[1], p: pp[1] }, ceil, cip);
    const y = oneD ? avgPool1d(xt, k as number, { stride: s as number, padding: p as number, ceilMode: ceil, countIncludePad: cip })
      : avgPool2d(xt, k, { stride: s, padding: p, ceilMode: ceil, countIncludePad: cip });
    assert.equal([...y.shape], oneD ? [shape[0], shape[1], ref.ow] : [shape[0], shape[1], ref.oh, ref.ow]);
    assertClose(await y.read(), ref.data, POOL_TOL);
  });
}

interface FixtureCase { name: string; kind: 'interp' | 'pool'; mode?: string; size?: number | number[] | null; scale_factor?: number | number[] | null; align_corners?: boolean | null; kernel?: number | number[]; stride?: number | number[] | null; padding?: number | number[]; ceil_mode?: boolean; count_include_pad?: boolean }

const pairOf = (v: number | number[] | null | undefined, rank: number): (number | undefined)[] =>
  v == null ? (rank === 4 ? [undefined, undefined] : [undefined]) : typeof v === 'number' ? (rank === 4 ? [v, v] : [v]) : v;

t('references match torch fixtures', async () => {
  const cases = JSON.parse(await readText('test/fixtures/upsample/cases.json')) as FixtureCase[];
  assert.ok(cases.length >= 20);
  for (const c of cases) {
    const x = await loadNpy(`test/fixtures/upsample/${c.name}_x.npy`), y = await loadNpy(`test/fixtures/upsample/${c.name}_y.npy`);
    const s = x.shape, rank = s.length, planes = s[0] * s[1];
    const h = rank === 4 ? s[2] : 1, w = s[rank - 1];
    let got: Float32Array;
    if (c.kind === 'interp') {
      const sizes = pairOf(c.size, rank), factors = pairOf(c.scale_factor, rank);
      const axis = (n: number, i: number): InterpAxis => ({ n, out: sizes[i] ?? Math.floor(n * factors[i]!), factor: factors[i] });
      const ah = rank === 4 ? axis(h, 0) : { n: 1, out: 1 }, aw = axis(w, rank === 4 ? 1 : 0);
      got = interpRef(x.data, planes, ah, aw, c.mode === 'nearest' ? 'nearest' : 'linear', !!c.align_corners);
    } else {
      const k = pairOf(c.kernel, rank) as number[], st = c.stride == null ? k : (pairOf(c.stride, rank) as number[]), p = pairOf(c.padding, rank) as number[];
      const ph = rank === 4 ? { n: h, k: k[0], s: st[0], p: p[0] } : { n: 1, k: 1, s: 1, p: 0 };
      got = avgPoolRef(x.data, planes, ph, { n: w, k: k[rank - 3], s: st[rank - 3], p: p[rank - 3] }, !!c.ceil_mode, !!c.count_include_pad).data;
    }
    // torch computes in f32 (blend and pooling sums); the reference in float64: a few f32 ulp.
    assertClose(got, y.data, { atol: 1e-6, rtol: 1e-6 }, c.name);
  }
});

t('interpolate dispatches on rank', async () => {
  const gpu = await getGpu();
  const x = randn(2 * 5, 9);
  const y = interpolate(gpu.tensor(x, [1, 2, 5]), { scaleFactor: 2 });
  assertClose(await y.read(), interpRef(x, 2, { n: 1, out: 1 }, { n: 5, out: 10, factor: 2 }, 'nearest'), EXACT);
});

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  const x3 = gpu.tensor(new Float32Array(10), [1, 2, 5]), x4 = gpu.tensor(new Float32Array(20), [1, 1, 4, 5]);
  await assertThrows(() => upsample1d(x4, { scaleFactor: 2 }), /upsample1d/, /\[B, C, L\]/, /\[1, 1, 4, 5\]/);
  await assertThrows(() => upsample2d(x3, { scaleFactor: 2 }), /upsample2d/, /\[B, C, H, W\]/);
  await assertThrows(() => upsample1d(x3, { scaleFactor: 2, size: 10 }), /exactly one of size and scaleFactor/);
  await assertThrows(() => upsample1d(x3, {}), /exactly one/);
  await assertThrows(() => upsample1d(x3, { scaleFactor: 0.1 }), /output size must be a positive integer, got 0/);
  await assertThrows(() => upsample1d(x3, { scaleFactor: 2, alignCorners: true }), /alignCorners applies to the interpolating modes/);
  await assertThrows(() => upsample2d(x4, { scaleFactor: 2, mode: 'linear' as 'bilinear' }), /'nearest' or 'bilinear'/);
  await assertThrows(() => avgPool1d(x3, 2, { padding: 2 }), /avg_pool1d/, /padding 2 must be at most half the kernel 2/);
  await assertThrows(() => avgPool2d(x4, 6), /avg_pool2d/, /kernel 6 is larger than the padded input 4/);
  await assertThrows(() => interpolate(gpu.tensor(new Float32Array(4), [4]), { scaleFactor: 2 }), /interpolate/, /\[4\]/);
});

t.run();
