import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, assertThrows, loadNpy } from './util/check.js';
import { readText } from './util/io.js';
import { conv2d, convTranspose2d, conv2dPadding, type Conv2dOptions, type Padding2d } from '../src/ops/conv2d.js';
import { conv2dRef, convTranspose2dRef } from '../src/ref/conv2d.js';

const t = suite('conv2d');

// Tolerance: inputs and weights are uniform in [-1, 1], so an output is a sum of K = Cig*KH*KW
// products whose partial sums grow like sqrt(K)/3; f32 rounding adds <= 2^-24 of each partial
// sum per term, a random walk of about K * 2e-8 in total (K = 576: 1.2e-5). 1e-5*sqrt(K) keeps a
// 10x margin at K = 576 and more below; rtol covers large outputs.
const tolFor = (k: number) => ({ atol: 1e-5 * Math.sqrt(k), rtol: 1e-5 });
const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);
const pair = (v: number | [number, number] | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v);

interface ConvCase { x: number[]; cout: number; k: [number, number]; stride?: number | [number, number]; padding?: Padding2d; dilation?: number | [number, number]; groups?: number; bias?: boolean }

const CONV: ConvCase[] = [
  { x: [2, 3, 7, 9], cout: 5, k: [3, 3], padding: 1, bias: true },
  { x: [1, 64, 5, 6], cout: 64, k: [3, 3], padding: 1, bias: true },
  { x: [2, 6, 9, 11], cout: 9, k: [2, 3], stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 3, bias: true },
  { x: [1, 4, 5, 8], cout: 4, k: [3, 3], stride: 2, padding: 1, groups: 4 },
  { x: [1, 1, 3, 23], cout: 1, k: [1, 9], padding: [0, 4] },
  { x: [2, 3, 1, 1], cout: 3, k: [3, 3], padding: 1, bias: true },
  { x: [1, 3, 6, 7], cout: 2, k: [4, 4], padding: 'same', dilation: [2, 1] },
  { x: [1, 2, 5, 13], cout: 6, k: [3, 2], padding: [0, 2, 3, 1], bias: true },
  { x: [2, 1, 4, 33], cout: 7, k: [3, 3], stride: [1, 1], padding: 'valid' },
  { x: [1, 3, 8, 10], cout: 5, k: [4, 4], stride: 2, padding: 1 },
  { x: [2, 4, 5, 18], cout: 10, k: [3, 3], padding: 1, groups: 2, bias: true },
  { x: [1, 2, 4, 40], cout: 3, k: [2, 11], stride: [2, 1], padding: [1, 5], dilation: [2, 1] },
];

function convArgs(c: ConvCase) {
  const groups = c.groups ?? 1;
  const xv = randn(prod(c.x), prod(c.x) + c.cout);
  const wShape = [c.cout, c.x[1] / groups, ...c.k];
  const wv = randn(prod(wShape), c.cout * 7 + 1);
  const bv = c.bias ? randn(c.cout, 3) : undefined;
  const stride = pair(c.stride as number, 1), dilation = pair(c.dilation as number, 1);
  const padding = conv2dPadding(c.padding, c.k, dilation, stride);
  return { xv, wShape, wv, bv, groups, ref: conv2dRef(xv, c.x, wv, wShape, { stride, padding, dilation, groups, bias: bv }) };
}

for (const c of CONV) {
  for (const version of [1, 2, 3] as const) {
    t(`conv2d v${version} x${JSON.stringify(c.x)} cout=${c.cout} k=${c.k} s=${c.stride ?? 1} p=${JSON.stringify(c.padding ?? 0)} d=${c.dilation ?? 1} g=${c.groups ?? 1}`, async () => {
      const gpu = await getGpu();
      const a = convArgs(c);
      const opts: Conv2dOptions = { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: a.groups, version };
      if (a.bv) opts.bias = gpu.tensor(a.bv);
      const y = conv2d(gpu.tensor(a.xv, c.x), gpu.tensor(a.wv, a.wShape), opts);
      assert.equal([...y.shape], a.ref.shape);
      assertClose(await y.read(), a.ref.data, tolFor(prod(a.wShape.slice(1))), `v${version}`);
    });
  }
}

interface TrCase { x: number[]; cout: number; k: [number, number]; stride?: number | [number, number]; padding?: number | [number, number]; outputPadding?: number | [number, number]; dilation?: number | [number, number]; groups?: number; bias?: boolean }

const TRANSPOSE: TrCase[] = [
  { x: [2, 3, 4, 5], cout: 4, k: [4, 4], stride: 2, padding: 1, bias: true },
  { x: [1, 4, 3, 4], cout: 3, k: [5, 5], stride: 2, padding: 2, outputPadding: 1, bias: true },
  { x: [2, 4, 3, 5], cout: 6, k: [3, 4], stride: [2, 3], padding: [1, 2], dilation: [2, 1], outputPadding: [1, 2], groups: 2 },
  { x: [1, 64, 3, 5], cout: 3, k: [4, 4], stride: 2, padding: 1 },
  { x: [1, 3, 5, 7], cout: 5, k: [3, 3], bias: true },
  { x: [1, 1, 2, 9], cout: 1, k: [1, 8], stride: [1, 4], padding: [0, 2] },
  { x: [2, 6, 1, 3], cout: 6, k: [2, 3], stride: [3, 2], groups: 6, bias: true },
];

for (const c of TRANSPOSE) {
  for (const version of [1, 2, 3] as const) {
    t(`conv_transpose2d v${version} x${JSON.stringify(c.x)} cout=${c.cout} k=${c.k} s=${c.stride ?? 1} p=${c.padding ?? 0} op=${c.outputPadding ?? 0} d=${c.dilation ?? 1} g=${c.groups ?? 1}`, async () => {
      const gpu = await getGpu();
      const groups = c.groups ?? 1;
      const xv = randn(prod(c.x), prod(c.x) + 5);
      const wShape = [c.x[1], c.cout / groups, ...c.k];
      const wv = randn(prod(wShape), 77);
      const bv = c.bias ? randn(c.cout, 4) : undefined;
      const ref = convTranspose2dRef(xv, c.x, wv, wShape, {
        stride: pair(c.stride as number, 1), padding: pair(c.padding as number, 0), outputPadding: pair(c.outputPadding as number, 0),
        dilation: pair(c.dilation as number, 1), groups, bias: bv,
      });
      const y = convTranspose2d(gpu.tensor(xv, c.x), gpu.tensor(wv, wShape), {
        stride: c.stride, padding: c.padding, outputPadding: c.outputPadding, dilation: c.dilation, groups, version,
        bias: bv ? gpu.tensor(bv) : undefined,
      });
      assert.equal([...y.shape], ref.shape);
      // Each output sums at most Cig*KH*KW products (fewer with stride), so the conv2d bound holds.
      assertClose(await y.read(), ref.data, tolFor((c.x[1] / groups) * c.k[0] * c.k[1]), `v${version}`);
    });
  }
}

interface FixtureCase { name: string; kind: 'conv' | 'transpose'; stride: [number, number]; padding: [number, number] | 'same'; dilation: [number, number]; groups: number; output_padding: [number, number] | null; bias: boolean }

t('references match torch fixtures', async () => {
  const cases = JSON.parse(await readText('test/fixtures/conv2d/cases.json')) as FixtureCase[];
  assert.ok(cases.length >= 8);
  for (const c of cases) {
    const f = (s: string) => loadNpy(`test/fixtures/conv2d/${c.name}_${s}.npy`);
    const [x, w, y] = [await f('x'), await f('w'), await f('y')];
    const bias = c.bias ? (await f('b')).data : undefined;
    const ref = c.kind === 'conv'
      ? conv2dRef(x.data, x.shape, w.data, w.shape, { stride: c.stride, padding: conv2dPadding(c.padding, [w.shape[2], w.shape[3]], c.dilation, c.stride), dilation: c.dilation, groups: c.groups, bias })
      : convTranspose2dRef(x.data, x.shape, w.data, w.shape, { stride: c.stride, padding: c.padding as [number, number], outputPadding: c.output_padding!, dilation: c.dilation, groups: c.groups, bias });
    assert.equal(ref.shape, y.shape, c.name);
    // Both sides are float64 sums of the same f32 inputs, rounded once to f32: 1 ulp apart at most.
    assertClose(ref.data, y.data, { atol: 1e-6, rtol: 1e-6 }, c.name);
  }
});

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(2 * 3 * 5 * 5), [2, 3, 5, 5]);
  await assertThrows(() => conv2d(gpu.tensor(new Float32Array(75), [3, 5, 5]), gpu.tensor(new Float32Array(27), [1, 3, 3, 3])), /conv2d/, /\[B, Cin, H, W\]/, /\[3, 5, 5\]/);
  await assertThrows(() => conv2d(x, gpu.tensor(new Float32Array(18), [1, 2, 3, 3])), /conv2d/, /\[1, 2, 3, 3\]/, /expected weight \[1, 3, 3, 3\]/);
  await assertThrows(() => conv2d(x, gpu.tensor(new Float32Array(27), [1, 3, 3, 3]), { bias: gpu.tensor(new Float32Array(2)) }), /bias must be \[1\]/);
  await assertThrows(() => conv2d(x, gpu.tensor(new Float32Array(27), [1, 3, 3, 3]), { padding: 'same', stride: 2 }), /'same' needs stride 1/);
  await assertThrows(() => conv2d(x, gpu.tensor(new Float32Array(3 * 49), [1, 3, 7, 7])), /output height would be -1/);
  await assertThrows(() => conv2d(x, gpu.tensor(new Float32Array(27), [3, 1, 3, 3]), { groups: 2 }), /groups 2 must divide Cin 3/);
  await assertThrows(() => convTranspose2d(x, gpu.tensor(new Float32Array(32), [2, 1, 4, 4])), /conv_transpose2d/, /Cin 2/, /\[2, 3, 5, 5\]/);
  await assertThrows(() => convTranspose2d(x, gpu.tensor(new Float32Array(48), [3, 1, 4, 4]), { stride: 2, outputPadding: 2 }), /outputPadding 2 must be smaller/);
});

t.run();
