import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, relL2, loadNpy, assertClose, assertThrows } from './util/check.js';
import * as S from '../src/ops/stft.js';
import { stftRef, istftRef, type StftRefOptions } from '../src/ref/stft.js';

const t = suite('stft');

/** |a - b| <= tol * max|b| elementwise, and relative L2 <= tol: f32 FFT error scales with the
 * frame's energy, not with each bin, so the bound is relative to the largest value. */
function assertSpectrum(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  let peak = 0;
  for (let i = 0; i < b.length; i++) peak = Math.max(peak, Math.abs(b[i]));
  assertClose(a, b, { atol: tol * peak, rtol: 0 }, what);
  const e = relL2(a, b);
  assert.ok(e < tol, `${what}: relative L2 ${e} >= ${tol}`);
}

interface Case { B: number; T: number; o: S.StftOptions }
const CASES: [string, Case][] = [
  ['hann 512/128 centred reflect B=3', { B: 3, T: 2999, o: { nFft: 512, hop: 128, window: 'hann' } }],
  ['win 300 of 512, hop 77, zero pad', { B: 2, T: 1001, o: { nFft: 512, hop: 77, winLength: 300, window: 'hamming', padMode: 'constant' } }],
  ['not centred, rectangular, hop 3', { B: 1, T: 203, o: { nFft: 64, hop: 3, center: false } }],
  ['two-sided normalized blackman', { B: 2, T: 333, o: { nFft: 32, hop: 8, window: 'blackman', onesided: false, normalized: true } }],
  ['n_fft 2048 (split FFT) window array', { B: 1, T: 5000, o: { nFft: 2048, hop: 512, window: S.hannWindow(2048, false) } }],
  ['n_fft 2, hop 1', { B: 1, T: 9, o: { nFft: 2, hop: 1, window: 'hann' } }],
];

function refOpts(o: S.StftOptions): StftRefOptions {
  const win = o.winLength ?? o.nFft;
  const w = o.window === undefined ? null : typeof o.window === 'string' ? S.windowValues(o.window, win) : (o.window as ArrayLike<number>);
  return { nFft: o.nFft, hop: o.hop ?? o.nFft / 4, window: w, winLength: win, center: o.center, padMode: o.padMode, onesided: o.onesided, normalized: o.normalized };
}

for (const [name, c] of CASES) {
  t(`stft ${name} vs float64 reference`, async () => {
    const gpu = await getGpu();
    const x = randn(c.B * c.T, c.T);
    const Y = S.stft(gpu.tensor(x, [c.B, c.T]), c.o);
    const ref = stftRef(x, c.B, c.T, refOpts(c.o));
    assert.equal(Y.shape, [c.B, ref.bins, ref.frames, 2]);
    // f32 windowing + FFT: ~1e-7 relative; the issue asks < 1e-5.
    assertSpectrum(await Y.read(), ref.data, 1e-5, name);
  });
}

for (const [name, c] of CASES.filter(([, c]) => (c.o.onesided ?? true))) {
  t(`istft(stft(x)) reconstructs x: ${name}`, async () => {
    const gpu = await getGpu();
    const x = randn(c.B * c.T, c.T + 1);
    const o = { ...c.o, window: c.o.window ?? 'rect' };
    const Y = S.stft(gpu.tensor(x, [c.B, c.T]), o);
    const y = await S.istft(Y, { ...o, length: c.T }).read();
    assert.is(y.length, x.length);
    if (o.center ?? true) {
      assertSpectrum(y, x, 1e-5, 'round trip');
    } else {
      // Without centring the first and last n_fft samples lack full overlap: compare inside.
      const inner = (a: ArrayLike<number>) => Array.from(a).filter((_, i) => i % c.T >= o.nFft && i % c.T < c.T - o.nFft);
      assertSpectrum(inner(y), inner(x), 1e-5, 'round trip (inside)');
    }
  });
}

t('istft of an arbitrary spectrogram vs float64 reference (B=2, length longer than natural)', async () => {
  const gpu = await getGpu();
  const nFft = 128, hop = 32, F = 13, B = 2, bins = nFft / 2 + 1;
  const R = randn(B * bins * F * 2, 77);
  const o = { nFft, hop, window: S.hannWindow(nFft), length: nFft + hop * (F - 1) - nFft + 50 };
  const y = await S.istft(gpu.tensor(R, [B, bins, F, 2]), o).read();
  assertSpectrum(y, istftRef(R, B, F, o), 1e-5, 'istft');
});

t('reference equals torch.stft / torch.istft fixtures', async () => {
  for (const [name, B, T, nFft, hop, win, center, padMode, onesided, normalized] of FIXTURES) {
    const d = 'test/fixtures/stft';
    const x = await loadNpy(`${d}/x_${name}.npy`), w = await loadNpy(`${d}/w_${name}.npy`), Sx = await loadNpy(`${d}/S_${name}.npy`);
    const ref = stftRef(x.data, B, T, { nFft, hop, window: w.data, winLength: win, center, padMode, onesided, normalized });
    assert.equal(Sx.shape, [B, ref.bins, ref.frames, 2]);
    assertSpectrum(ref.data, Sx.data, 1e-6, `ref ${name}`);
    if (onesided && center) {
      const R = await loadNpy(`${d}/R_${name}.npy`), y = await loadNpy(`${d}/istft_${name}.npy`);
      assertSpectrum(istftRef(R.data, B, ref.frames, { nFft, hop, window: w.data, winLength: win, center, normalized, length: T - 3 }), y.data, 1e-6, `istft ref ${name}`);
    }
  }
});

type Fixture = [string, number, number, number, number, number, boolean, 'reflect' | 'constant', boolean, boolean];
const FIXTURES: Fixture[] = [
  ['hann256', 1, 1001, 256, 64, 256, true, 'reflect', true, false],
  ['win200', 2, 700, 256, 100, 200, true, 'constant', true, false],
  ['hamming64', 1, 777, 64, 16, 64, false, 'reflect', true, false],
  ['twosided32', 1, 300, 32, 8, 32, true, 'reflect', false, true],
];

t('GPU stft and istft equal the torch fixtures to 1e-5', async () => {
  const gpu = await getGpu();
  for (const [name, B, T, nFft, hop, win, center, padMode, onesided, normalized] of FIXTURES) {
    const d = 'test/fixtures/stft';
    const x = await loadNpy(`${d}/x_${name}.npy`), w = await loadNpy(`${d}/w_${name}.npy`), Sx = await loadNpy(`${d}/S_${name}.npy`);
    const o = { nFft, hop, winLength: win, window: gpu.tensor(w.data), center, padMode, onesided, normalized };
    assertSpectrum(await S.stft(gpu.tensor(x.data, [B, T]), o).read(), Sx.data, 1e-5, `stft ${name}`);
    if (onesided && center) {
      const R = await loadNpy(`${d}/R_${name}.npy`), y = await loadNpy(`${d}/istft_${name}.npy`);
      assertSpectrum(await S.istft(gpu.tensor(R.data, R.shape), { ...o, length: T - 3 }).read(), y.data, 1e-5, `istft ${name}`);
    }
  }
});

t('a 1-D signal gives [bins, frames, 2]; named windows replay inside a recording', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(randn(1000, 3));
  const rec = gpu.record(() => S.stft(x, { nFft: 256, hop: 64, window: 'hann' }));
  assert.equal(rec.result.shape, [129, 16, 2]);
  const x2 = randn(1000, 4);
  gpu.write(x, x2);
  rec.replay();
  const ref = stftRef(x2, 1, 1000, { nFft: 256, hop: 64, window: S.hannWindow(256) });
  assertSpectrum(await rec.result.read(), ref.data, 1e-5, 'replayed');
  rec.dispose();
});

t('magnitude, power, angle, log and polar conversions', async () => {
  const gpu = await getGpu();
  // All quadrants and the axes, with magnitudes over six decades.
  const n = 401, z = randn(2 * n, 5, -3, 3);
  for (let i = 0; i < n; i++) { const s = 10 ** ((i % 7) - 3); z[2 * i] *= s; z[2 * i + 1] *= s; }
  z.set([0, 1, 0, -1, -2, 0, 2, 0, 0, 0, -1, -1e-30], 0);
  const Z = gpu.tensor(z, [n, 2]);
  const re = (i: number) => z[2 * i], im = (i: number) => z[2 * i + 1];
  const mag = Float64Array.from({ length: n }, (_, i) => Math.hypot(re(i), im(i)));
  const TOL = { atol: 0, rtol: 3e-7 };
  assertClose(await S.magnitude(Z).read(), mag, TOL, 'magnitude');
  assertClose(await S.powerSpectrum(Z).read(), mag.map((m) => m * m), { atol: 1e-38, rtol: 3e-7 }, 'power 2');
  assertClose(await S.powerSpectrum(Z, 1.5).read(), mag.map((m) => m ** 1.5), { atol: 1e-38, rtol: 2e-6 }, 'power 1.5');
  const ang = Float64Array.from({ length: n }, (_, i) => Math.atan2(im(i), re(i)));
  ang[4] = 0; // atan2(0, 0): torch.angle gives 0
  // Own atan2 (WGSL's promises 4096 ulp): within a few ulp of pi.
  assertClose(await S.angle(Z).read(), ang, { atol: 8e-7, rtol: 0 }, 'angle');
  const { magnitude, phase } = S.toPolar(Z);
  const back = await S.fromPolar(magnitude, phase).read();
  for (let i = 0; i < n; i++) {
    // Error relative to |z| (a component can be ~0 while |z| is not): mag and phase ~2e-7 each.
    const err = Math.hypot(back[2 * i] - re(i), back[2 * i + 1] - im(i));
    assert.ok(err <= 1e-6 * mag[i] + 1e-37, `polar round trip ${i}: ${err} vs |z| ${mag[i]}`);
  }
  const v = Float32Array.from(mag);
  for (const [base, f] of [['e', Math.log], ['10', Math.log10], ['db', (u: number) => 10 * Math.log10(u)]] as [S.LogBase, (u: number) => number][]) {
    const y = await S.logClamp(gpu.tensor(v), { eps: 1e-5, base }).read();
    assertClose(y, Array.from(v, (u) => f(Math.max(u, 1e-5))), { atol: 2e-6 * Math.abs(f(10)), rtol: 1e-6 }, `log ${base}`);
  }
});

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(100));
  await assertThrows(() => S.stft(x, { nFft: 400 }), /stft/, /n_fft 400 is not a power of two/);
  await assertThrows(() => S.stft(x, { nFft: 256 }), /stft/, /reflect padding of 128/, /constant/);
  await assertThrows(() => S.stft(x, { nFft: 64, center: false, hop: 0 }), /hop 0/);
  await assertThrows(() => S.stft(x, { nFft: 64, winLength: 65 }), /win_length 65/);
  await assertThrows(() => S.stft(x, { nFft: 64, window: S.hannWindow(32) }), /window has 32 values but win_length is 64/);
  await assertThrows(() => S.stft(gpu.tensor(new Float32Array(8), [2, 2, 2]), { nFft: 2 }), /stft/, /\[2, 2, 2\]/);
  const X = gpu.tensor(new Float32Array(33 * 4 * 2), [33, 4, 2]);
  await assertThrows(() => S.istft(X, { nFft: 128 }), /istft/, /33 bins/, /needs 65/);
  await assertThrows(() => S.istft(X, { nFft: 64, hop: 64, window: 'hann' }), /istft/, /overlap-add condition/);
  await assertThrows(() => S.magnitude(x), /magnitude/, /\[100\]/);
  await assertThrows(() => S.logClamp(x, { eps: 0 }), /eps 0/);
});

t.run();
