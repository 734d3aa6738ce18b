import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import { readText, exists } from './util/io.js';
import { conv1d, conv1dGeometry, conv1dVersion, tapsPerChunk, type Conv1dOptions, type Conv1dVersion } from '../src/ops/conv1d.js';
import { foldWeightNorm } from '../src/ops/weight_norm.js';
import { activationRef, conv1dRef, type Conv1dRefOptions } from '../src/ref/conv1d.js';

const t = suite('conv1d');

// Tolerance: every version accumulates Cin/groups * K <= 448 f32 products in a different order
// than the float64 reference. Inputs are in [-1, 1] and weights are scaled by 1/sqrt(fan-in), so
// outputs are O(1) and the f32 rounding error of the sum grows like sqrt(n) * 2^-24 * sum|terms|
// (~1e-6 here); 2e-5 + 2e-5*|ref| leaves 10x margin yet catches any wrong tap (errors ~0.01-1).
// tanh/sigmoid epilogues go through WGSL exp (SwiftShader: ~1e-6 relative), inside the same bound.
const TOL = { atol: 2e-5, rtol: 2e-5 };
// The reference against torch's float64 result: both exact to float64, rounded to f32 once.
const TOL_FIXTURE = { atol: 1e-6, rtol: 1e-6 };

const ALL: Conv1dVersion[] = ['naive', 'tiled', 'window', 'window_sg', 'thin'];

type Geo = Omit<Conv1dOptions, 'bias' | 'residual' | 'residual2' | 'version'>;
// bias/res: whether the case has a bias and a residual.
interface Case { b: number; cin: number; cout: number; t: number; k: number; o: Geo; bias?: boolean; res?: boolean; res2?: boolean }

// Seeded configurations of awkward sizes: odd T, channels 1/3/64, groups, stride 1..4,
// dilation up to 27, batch 2, K 1..7 (and 9, 11 for the chunked taps), every padding mode,
// causal padding, partial 8-row blocks, the epilogue.
const CASES: Case[] = [
  { b: 1, cin: 1, cout: 1, t: 1, k: 1, o: {} },
  { b: 2, cin: 3, cout: 3, t: 37, k: 3, o: { padding: 1 } },
  { b: 1, cin: 64, cout: 64, t: 131, k: 3, o: { padding: 1 } },
  { b: 2, cin: 3, cout: 64, t: 259, k: 7, o: { padding: 3, paddingMode: 'reflect' } },
  { b: 1, cin: 64, cout: 3, t: 77, k: 5, o: { causal: true, dilation: 3 } },
  { b: 2, cin: 6, cout: 9, t: 301, k: 3, o: { dilation: 27, padding: 27, groups: 3 } },
  { b: 1, cin: 8, cout: 8, t: 99, k: 3, o: { groups: 8, padding: 1, paddingMode: 'replicate' } },
  { b: 2, cin: 4, cout: 12, t: 45, k: 4, o: { stride: 2, padding: [3, 0] } },
  { b: 1, cin: 5, cout: 7, t: 83, k: 3, o: { stride: 3, dilation: 2, padding: 2 } },
  { b: 2, cin: 3, cout: 17, t: 64, k: 2, o: { stride: 2, dilation: 4, padding: [4, 1], paddingMode: 'circular' } },
  { b: 1, cin: 7, cout: 5, t: 50, k: 4, o: { stride: 4, dilation: 4, padding: 6, paddingMode: 'reflect' } },
  { b: 1, cin: 3, cout: 10, t: 67, k: 6, o: { causal: true, paddingMode: 'replicate' } },
  { b: 2, cin: 16, cout: 24, t: 97, k: 9, o: { padding: 4 } },
  { b: 1, cin: 4, cout: 4, t: 70, k: 11, o: { dilation: 2, padding: [10, 10], paddingMode: 'reflect' } },
  { b: 2, cin: 3, cout: 8, t: 33, k: 1, o: { activation: 'leaky_relu', slope: 0.1 }, bias: true },
  { b: 1, cin: 64, cout: 64, t: 41, k: 3, o: { padding: 1, activation: 'tanh' }, bias: true, res: true },
  { b: 2, cin: 9, cout: 5, t: 29, k: 5, o: { padding: 2, activation: 'sigmoid' }, bias: true, res: true },
  { b: 1, cin: 2, cout: 6, t: 19, k: 3, o: { groups: 2, padding: 1, activation: 'relu' }, res: true },
  { b: 1, cin: 4, cout: 8, t: 23, k: 3, o: { padding: 1 }, bias: true },
  // input activation (conv(act(x))): MelGAN's last layer (reflect pad 3, k7, tanh), a HiFi-GAN
  // resblock conv (leaky 0.1 in and out, dilation 5, residual), relu with stride and groups.
  { b: 1, cin: 32, cout: 1, t: 75, k: 7, o: { padding: 3, paddingMode: 'reflect', inputActivation: 'leaky_relu', inputSlope: 0.2, activation: 'tanh' }, bias: true },
  { b: 2, cin: 16, cout: 16, t: 53, k: 3, o: { dilation: 5, padding: 5, inputActivation: 'leaky_relu', inputSlope: 0.1, activation: 'leaky_relu', slope: 0.1 }, bias: true, res: true },
  { b: 1, cin: 6, cout: 9, t: 40, k: 4, o: { stride: 2, padding: [2, 1], groups: 3, paddingMode: 'replicate', inputActivation: 'relu' } },
  // two residuals (HiFi-GAN's last conv of a resblock branch also adds the running branch sum)
  { b: 1, cin: 16, cout: 16, t: 45, k: 3, o: { dilation: 3, padding: 3, inputActivation: 'leaky_relu', inputSlope: 0.1 }, bias: true, res: true, res2: true },
  { b: 2, cin: 3, cout: 2, t: 70, k: 7, o: { padding: 3 }, res2: true },
];

function describe(c: Case): string {
  const extra = `${c.bias ? ' +bias' : ''}${c.res ? ' +residual' : ''}${c.res2 ? ' +residual2' : ''}`;
  return `B${c.b} Cin${c.cin} Cout${c.cout} T${c.t} K${c.k} ${JSON.stringify(c.o).replace(/"/g, '')}${extra}`;
}

CASES.forEach((c, i) => {
  t(`gpu vs reference: ${describe(c)}`, async () => {
    const gpu = await getGpu();
    const groups = c.o.groups ?? 1;
    const x = randn(c.b * c.cin * c.t, 100 + i);
    const w = randn(c.cout * (c.cin / groups) * c.k, 200 + i, -1, 1).map((v) => v / Math.sqrt((c.cin / groups) * c.k));
    const bias = c.bias ? randn(c.cout, 300 + i) : undefined;
    const xt = gpu.tensor(x, [c.b, c.cin, c.t]), wt = gpu.tensor(w, [c.cout, c.cin / groups, c.k]);
    const g = conv1dGeometry(xt, wt, c.o);
    const residual = c.res ? randn(c.b * c.cout * g.tout, 400 + i) : undefined;
    const residual2 = c.res2 ? randn(c.b * c.cout * g.tout, 450 + i) : undefined;
    // y + r1 + r2 = y + (r1 + r2) up to one f32 rounding, far inside TOL
    const resSum = residual2 ? residual2.map((v, j) => v + (residual ? residual[j] : 0)) : residual;
    // the input activation from its definition: activate every element, then convolve
    const { inputActivation, inputSlope, ...geo } = c.o;
    const xin = inputActivation ? x.map((v) => activationRef(v, inputActivation, inputSlope)) : x;
    const ref = conv1dRef(xin, xt.shape, w, wt.shape, { ...geo, bias, residual: resSum });
    const opts: Conv1dOptions = {
      ...c.o, bias: bias && gpu.tensor(bias),
      residual: residual && gpu.tensor(residual, ref.shape), residual2: residual2 && gpu.tensor(residual2, ref.shape),
    };
    const windowOk = g.dilation % g.stride === 0;
    for (const version of ALL) {
      if ((version.startsWith('window') || version === 'thin') && !windowOk) continue;
      if (version === 'window_sg' && !gpu.features.has('subgroups')) continue;
      if (version === 'thin' && c.cout / groups > 8) continue; // pipelines are slow to build; thin is for narrow groups
      const y = conv1d(xt, wt, { ...opts, version });
      assert.equal([...y.shape], ref.shape, `${version} shape`);
      assertClose(await y.read(), ref.data, TOL, version);
      y.dispose();
    }
  });
});

t('default version follows the shape and the device', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(2 * 3 * 20), [2, 3, 20]), w = gpu.tensor(new Float32Array(4 * 3 * 3), [4, 3, 3]);
  assert.is(conv1dVersion(conv1dGeometry(x, w, { stride: 2 }), true), 'tiled');
  assert.is(conv1dVersion(conv1dGeometry(x, w, { stride: 2, dilation: 4 }), false), 'window');
  assert.is(conv1dVersion(conv1dGeometry(x, w, {}), true), 'window_sg');
  assert.is(conv1dVersion(conv1dGeometry(x, gpu.tensor(new Float32Array(9), [3, 1, 3]), { groups: 3 }), true), 'thin');
  assert.equal([3, 7, 8, 6, 5, 8].map((k, i) => tapsPerChunk([3, 7, 8, 11, 9, 16][i])), [3, 7, 8, 6, 5, 8]);
});

interface FixtureCase { name: string; x: number[]; w: number[]; options: Conv1dRefOptions & { bias?: boolean; residual?: boolean } }

t('reference matches torch fixtures (F.conv1d, F.pad modes)', async () => {
  const spec = JSON.parse(await readText('test/fixtures/conv1d/cases.json')) as { conv1d: FixtureCase[] };
  for (const c of spec.conv1d) {
    const f = (s: string) => loadNpy(`test/fixtures/conv1d/${c.name}_${s}.npy`);
    const [x, w, y] = await Promise.all([f('x'), f('w'), f('y')]);
    const o: Conv1dRefOptions = { ...c.options, bias: undefined, residual: undefined };
    if (c.options.bias) o.bias = (await f('b')).data;
    if (c.options.residual) o.residual = (await f('r')).data;
    const ref = conv1dRef(x.data, x.shape, w.data, w.shape, o);
    assert.equal(ref.shape, y.shape, `${c.name} shape`);
    assertClose(ref.data, y.data, TOL_FIXTURE, c.name);
  }
});

t('foldWeightNorm matches torch.nn.utils.weight_norm', async () => {
  const spec = JSON.parse(await readText('test/fixtures/conv1d/cases.json')) as { weight_norm: { name: string; dim: number | null }[] };
  for (const c of spec.weight_norm) {
    const f = (s: string) => loadNpy(`test/fixtures/conv1d/${c.name}_${s}.npy`);
    const [g, v, w] = await Promise.all([f('g'), f('v'), f('w')]);
    const got = foldWeightNorm({ data: g.data as Float32Array, shape: g.shape }, { data: v.data as Float32Array, shape: v.shape }, c.dim);
    assert.equal(got.shape, w.shape);
    // torch computes in f32 (norm then scale): a few ulp apart from the float64 fold.
    assertClose(got.data, w.data, { atol: 1e-7, rtol: 1e-6 }, c.name);
  }
  await assertThrows(() => foldWeightNorm({ data: new Float32Array(3), shape: [3, 1, 1] }, { data: new Float32Array(24), shape: [4, 2, 3] }, 0), /foldWeightNorm/, /\[3, 1, 1\]/, /\[4, 2, 3\]/);
});

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(2 * 4 * 10), [2, 4, 10]);
  const w = (s: number[]) => gpu.tensor(new Float32Array(s.reduce((a, b) => a * b, 1)), s);
  await assertThrows(() => conv1d(x, w([6, 3, 3])), /conv1d/, /\[6, 3, 3\]/, /\[2, 4, 10\]/, /expected \[6, 4, K >= 1\]/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { groups: 3 }), /groups = 3 must divide Cin = 4/);
  await assertThrows(() => conv1d(x.reshape([8, 10]), w([6, 4, 3])), /x must be \[B, Cin, T\], got \[8, 10\]/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { bias: w([5]) }), /bias \[5\]/, /expected \[6\]/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { residual: w([2, 6, 9]) }), /residual \[2, 6, 9\]/, /\[2, 6, 8\]/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { residual2: w([2, 6, 7]) }), /residual2 \[2, 6, 7\]/, /\[2, 6, 8\]/);
  await assertThrows(() => conv1d(x, w([6, 4, 13])), /shorter than the kernel span 13/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { padding: 10, paddingMode: 'reflect' }), /reflect padding \[10, 10\] must be smaller than the input length 10/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { causal: true, padding: 1 }), /causal/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { stride: 0 }), /stride must be a positive integer/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { stride: 2, version: 'window' }), /needs dilation \(1\) to be a multiple of stride \(2\)/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { activation: 'gelu' as never }), /unknown activation 'gelu'/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { inputActivation: 'tanh' as never }), /unknown input activation 'tanh'/);
  await assertThrows(() => conv1d(x, w([6, 4, 3]), { inputActivation: 'leaky_relu', inputSlope: NaN }), /inputSlope must be a finite number/);
});

t('fixtures exist', async () => {
  assert.ok(await exists('test/fixtures/conv1d/cases.json'), 'run /usr/bin/python3 scripts/fixtures/conv1d.py');
});

t.run();
