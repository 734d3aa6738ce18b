import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import { readText } from './util/io.js';
import { convTranspose1d, convTranspose1dGeometry, type ConvTranspose1dOptions, type ConvTranspose1dVersion } from '../src/ops/conv_transpose1d.js';
import { convTranspose1dRef, type ConvTranspose1dRefOptions } from '../src/ref/conv_transpose1d.js';
import { activationRef } from '../src/ref/conv1d.js';

const t = suite('conv_transpose1d');

// Tolerance: each output sums (Cin/groups) * ceil(K/stride) <= 64*3 f32 products of inputs in
// [-1, 1] and weights scaled by 1/sqrt(that count), so outputs are O(1) and f32 rounding of the
// sum is ~1e-6; 2e-5 + 2e-5*|ref| has 10x margin and still catches a wrong or missing tap.
const TOL = { atol: 2e-5, rtol: 2e-5 };
const TOL_FIXTURE = { atol: 1e-6, rtol: 1e-6 };

const ALL: ConvTranspose1dVersion[] = ['naive', 'window', 'window_sg'];

type Geo = Omit<ConvTranspose1dOptions, 'bias' | 'residual' | 'version'>;
interface Case { b: number; cin: number; cout: number; t: number; k: number; o: Geo; bias?: boolean; res?: boolean }

// Awkward sizes: odd T, channels 1/3/64, groups, stride 1..8 (K < stride, K = 2*stride as in
// MelGAN/HiFi-GAN upsamplers), dilation with gcd(stride, dilation) > 1 and = 1, output padding.
const CASES: Case[] = [
  { b: 1, cin: 1, cout: 1, t: 1, k: 1, o: {} },
  { b: 2, cin: 3, cout: 3, t: 37, k: 3, o: { padding: 1 } },
  { b: 1, cin: 64, cout: 64, t: 45, k: 16, o: { stride: 8, padding: 4 }, bias: true },
  { b: 2, cin: 3, cout: 17, t: 29, k: 4, o: { stride: 2, padding: 1 } },
  { b: 1, cin: 5, cout: 9, t: 21, k: 7, o: { stride: 3, padding: 2, outputPadding: 1 } },
  { b: 2, cin: 4, cout: 6, t: 13, k: 2, o: { stride: 4 }, bias: true },
  { b: 1, cin: 6, cout: 12, t: 19, k: 5, o: { stride: 2, dilation: 2, padding: 3, groups: 3 } },
  { b: 1, cin: 3, cout: 5, t: 23, k: 3, o: { stride: 2, dilation: 3, outputPadding: 2 } },
  { b: 2, cin: 8, cout: 8, t: 31, k: 3, o: { groups: 8, padding: 1, dilation: 27 } },
  { b: 1, cin: 64, cout: 3, t: 33, k: 10, o: { stride: 5, padding: 3 }, bias: true, res: true },
  { b: 2, cin: 7, cout: 4, t: 15, k: 6, o: { stride: 3, padding: 1, activation: 'leaky_relu', slope: 0.2 }, bias: true },
  { b: 1, cin: 3, cout: 11, t: 17, k: 25, o: { stride: 2, padding: 11, activation: 'tanh' }, res: true },
  // input activation: HiFi-GAN / MelGAN upsamplers (leaky_relu before ConvTranspose1d k16 s8)
  { b: 1, cin: 24, cout: 12, t: 19, k: 16, o: { stride: 8, padding: 4, inputActivation: 'leaky_relu', inputSlope: 0.1 }, bias: true },
  { b: 2, cin: 5, cout: 6, t: 11, k: 4, o: { stride: 2, padding: 1, dilation: 3, inputActivation: 'relu', activation: 'leaky_relu', slope: 0.2 }, res: true },
];

function describe(c: Case): string {
  return `B${c.b} Cin${c.cin} Cout${c.cout} T${c.t} K${c.k} ${JSON.stringify(c.o).replace(/"/g, '')}${c.bias ? ' +bias' : ''}${c.res ? ' +residual' : ''}`;
}

CASES.forEach((c, i) => {
  t(`gpu vs reference: ${describe(c)}`, async () => {
    const gpu = await getGpu();
    const groups = c.o.groups ?? 1;
    const og = c.cout / groups, fan = (c.cin / groups) * Math.ceil(c.k / (c.o.stride ?? 1));
    const x = randn(c.b * c.cin * c.t, 500 + i);
    const w = randn(c.cin * og * c.k, 600 + i).map((v) => v / Math.sqrt(fan));
    const bias = c.bias ? randn(c.cout, 700 + i) : undefined;
    const xt = gpu.tensor(x, [c.b, c.cin, c.t]), wt = gpu.tensor(w, [c.cin, og, c.k]);
    const g = convTranspose1dGeometry(xt, wt, c.o);
    const residual = c.res ? randn(c.b * c.cout * g.tout, 800 + i) : undefined;
    // the input activation from its definition: activate every element, then convolve
    const { inputActivation, inputSlope, ...geo } = c.o;
    const xin = inputActivation ? x.map((v) => activationRef(v, inputActivation, inputSlope)) : x;
    const ref = convTranspose1dRef(xin, xt.shape, w, wt.shape, { ...geo, bias, residual });
    const opts: ConvTranspose1dOptions = { ...c.o, bias: bias && gpu.tensor(bias), residual: residual && gpu.tensor(residual, ref.shape) };
    for (const version of ALL) {
      if (version === 'window_sg' && !gpu.features.has('subgroups')) continue;
      const y = convTranspose1d(xt, wt, { ...opts, version });
      assert.equal([...y.shape], ref.shape, `${version} shape`);
      assertClose(await y.read(), ref.data, TOL, version);
      y.dispose();
    }
  });
});

interface FixtureCase { name: string; options: ConvTranspose1dRefOptions & { bias?: boolean } }

t('reference matches torch fixtures (F.conv_transpose1d)', async () => {
  const spec = JSON.parse(await readText('test/fixtures/conv_transpose1d/cases.json')) as { conv_transpose1d: FixtureCase[] };
  assert.ok(spec.conv_transpose1d.length >= 6);
  for (const c of spec.conv_transpose1d) {
    const f = (s: string) => loadNpy(`test/fixtures/conv_transpose1d/${c.name}_${s}.npy`);
    const [x, w, y] = await Promise.all([f('x'), f('w'), f('y')]);
    const o: ConvTranspose1dRefOptions = { ...c.options, bias: c.options.bias ? (await f('b')).data : undefined };
    const ref = convTranspose1dRef(x.data, x.shape, w.data, w.shape, o);
    assert.equal(ref.shape, y.shape, `${c.name} shape`);
    assertClose(ref.data, y.data, TOL_FIXTURE, c.name);
  }
});

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(2 * 4 * 10), [2, 4, 10]);
  const w = (s: number[]) => gpu.tensor(new Float32Array(s.reduce((a, b) => a * b, 1)), s);
  await assertThrows(() => convTranspose1d(x, w([6, 3, 3])), /conv_transpose1d/, /\[6, 3, 3\]/, /\[2, 4, 10\]/, /expected \[4, Cout\/groups, K\]/);
  await assertThrows(() => convTranspose1d(x, w([4, 3, 3]), { stride: 2, outputPadding: 2 }), /outputPadding 2 must be smaller than stride \(2\)/);
  await assertThrows(() => convTranspose1d(x, w([4, 3, 3]), { groups: 3 }), /groups = 3 must divide Cin = 4/);
  await assertThrows(() => convTranspose1d(x, w([4, 3, 3]), { padding: 20 }), /output length/);
  await assertThrows(() => convTranspose1d(x, w([4, 3, 3]), { bias: w([4]) }), /bias \[4\]/, /expected \[3\]/);
  await assertThrows(() => convTranspose1d(x, w([4, 3, 3]), { padding: -1 }), /padding must be a non-negative integer/);
});

t.run();
