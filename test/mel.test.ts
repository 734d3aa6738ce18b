import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, relL2, loadNpy, assertClose, assertThrows } from './util/check.js';
import * as M from '../src/ops/mel.js';
import * as S from '../src/ops/stft.js';
import { melFilterbankRef, melSpectrogramRef, projectRef, hzToMelRef, melToHzRef, type MelRefOptions } from '../src/ref/mel.js';

const t = suite('mel');

const peakTol = (ref: ArrayLike<number>, rel: number) => ({ atol: rel * Math.max(...Array.from(ref, Math.abs)), rtol: rel });

const BANKS: [string, M.MelBankOptions][] = [
  ['HiFi-GAN 22.05 kHz 1024/80 fmax 8 kHz', { sr: 22050, nFft: 1024, nMels: 80, fmin: 0, fmax: 8000 }],
  ['16 kHz 512/40 HTK no norm fmin 20', { sr: 16000, nFft: 512, nMels: 40, fmin: 20, fmax: 7600, htk: true, norm: null }],
  ['44.1 kHz 2048/128 defaults', { sr: 44100, nFft: 2048 }],
  ['8 kHz 64/10 HTK slaney', { sr: 8000, nFft: 64, nMels: 10, htk: true }],
];

function refOpts(o: M.MelBankOptions): MelRefOptions {
  const r = M.resolveMelBank(o);
  return { sr: r.sr, nFft: r.nFft, nMels: r.nMels, fmin: r.fmin, fmax: r.fmax, htk: r.htk, slaney: r.norm === 'slaney' };
}

t('mel scales round-trip and agree with the reference', () => {
  for (const htk of [false, true]) {
    for (const f of [0, 20, 440, 999.9, 1000, 1000.1, 8000, 22050]) {
      assert.ok(Math.abs(M.hzToMel(f, htk) - hzToMelRef(f, htk)) < 1e-9 * (1 + f), `hz->mel ${f} htk=${htk}`);
      assert.ok(Math.abs(M.melToHz(M.hzToMel(f, htk), htk) - f) < 1e-9 * (1 + f), `round trip ${f}`);
      assert.ok(Math.abs(melToHzRef(hzToMelRef(f, htk), htk) - f) < 1e-9 * (1 + f), `ref round trip ${f}`);
    }
  }
});

for (const [name, o] of BANKS) {
  t(`filterbank ${name} equals the reference`, () => {
    assertClose(M.melFilterbank(o), melFilterbankRef(refOpts(o)), { atol: 1e-9, rtol: 1e-6 }, name);
  });
}

t('filterbanks and pinv equal the librosa-formula fixtures (numpy)', async () => {
  const a = { sr: 22050, nFft: 256, nMels: 40, fmax: 8000 };
  const b = { sr: 16000, nFft: 128, nMels: 24, fmin: 50, fmax: 7000, htk: true, norm: null } as const;
  const fa = await loadNpy('test/fixtures/mel/fb_a.npy'), fbb = await loadNpy('test/fixtures/mel/fb_b.npy');
  assertClose(M.melFilterbank(a), fa.data, peakTol(fa.data, 1e-6), 'fb_a');
  assertClose(M.melFilterbank(b), fbb.data, peakTol(fbb.data, 1e-6), 'fb_b');
  assertClose(melFilterbankRef(refOpts(a)), fa.data, peakTol(fa.data, 1e-6), 'ref fb_a');
  const pinv = await loadNpy('test/fixtures/mel/pinv_a.npy');
  const mine = M.melToLinearMatrix(fa.data, 40, 129, 'pinv');
  assert.ok(relL2(mine, pinv.data) < 1e-5, `pinv rel err ${relL2(mine, pinv.data)}`);
});

t('melSpectrogram and log-mel equal the torch/numpy fixtures to 1e-5', async () => {
  const gpu = await getGpu();
  const x = await loadNpy('test/fixtures/mel/x.npy');
  const base = { sr: 22050, nFft: 256, hop: 64, win: 200, nMels: 40, fmax: 8000 };
  const want = await loadNpy('test/fixtures/mel/M_p2.npy');
  const got = M.melSpectrogram(gpu.tensor(x.data, [1, 4000]), base);
  assert.equal(got.shape, want.shape);
  // f32 STFT + sums of positive terms: ~1e-7 relative to the peak; 1e-5 asked.
  assertClose(await got.read(), want.data, peakTol(want.data, 1e-5), 'mel power');
  const logWant = await loadNpy('test/fixtures/mel/L_p1.npy');
  const logGot = await M.melSpectrogram(gpu.tensor(x.data, [1, 4000]), { ...base, power: 1, log: 'e', eps: 1e-5 }).read();
  assertClose(logGot, logWant.data, { atol: 1e-5, rtol: 1e-5 }, 'log-mel');
});

const SPEC_CASES: [string, number, number, Omit<M.MelSpectrogramOptions, 'nFft'> & { nFft: number }][] = [
  ['B=3 odd T, power 2, log10', 3, 4001, { sr: 16000, nFft: 512, hop: 160, win: 400, nMels: 80, fmin: 0, fmax: 8000, log: '10', eps: 1e-10 }],
  ['power 1, ln, HTK, zero pad', 1, 3000, { sr: 24000, nFft: 1024, hop: 256, nMels: 100, htk: true, power: 1, log: 'e', padMode: 'constant' }],
  ['power 1.5, dB, not centred', 2, 2500, { sr: 8000, nFft: 256, hop: 100, win: 256, nMels: 33, power: 1.5, log: 'db', center: false }],
  ['n_fft 2048 (split FFT), no log', 1, 6000, { sr: 44100, nFft: 2048, hop: 512, nMels: 128 }],
];

for (const [name, B, T, o] of SPEC_CASES) {
  t(`melSpectrogram ${name} vs float64 reference`, async () => {
    const gpu = await getGpu();
    const x = randn(B * T, T + B);
    const got = M.melSpectrogram(gpu.tensor(x, [B, T]), o);
    const r = M.resolveMelBank(o);
    const ref = melSpectrogramRef(x, B, T, {
      ...refOpts(o), hop: o.hop ?? o.nFft / 4, win: o.win ?? o.nFft, power: o.power ?? 2, log: o.log ?? false,
      eps: o.eps ?? 1e-5, center: o.center, padMode: o.padMode,
    });
    assert.equal(got.shape, [B, r.nMels, ref.frames]);
    const tol = o.log ? { atol: 2e-5 * (o.log === 'db' ? 10 : 1), rtol: 1e-5 } : peakTol(ref.data, 1e-5);
    assertClose(await got.read(), ref.data, tol, name);
  });
}

t('melProject of a real spectrogram, logMel, and the three mel -> linear maps', async () => {
  const gpu = await getGpu();
  const bank = { sr: 16000, nFft: 256, nMels: 24 };
  const fb = M.melFilterbank(bank), bins = 129, F = 7, B = 2;
  const spec = randn(B * bins * F, 3, 0, 2);
  const mel = M.melProject(gpu.tensor(spec, [B, bins, F]), bank);
  const melRef = projectRef(fb, 24, bins, spec, B, F);
  assertClose(await mel.read(), melRef, peakTol(melRef, 1e-6), 'melProject');
  const lm = await M.logMel(mel, { base: '10', eps: 1e-3 }).read();
  assertClose(lm, Array.from(melRef, (v) => Math.log10(Math.max(v, 1e-3))), { atol: 1e-6, rtol: 1e-6 }, 'logMel');
  for (const mode of ['pinv', 'transpose', 'gansynth'] as const) {
    const inv = M.melToLinearMatrix(fb, 24, bins, mode);
    const lin = await M.melToLinear(mel, bank, mode).read();
    const ref = projectRef(inv, bins, 24, melRef, B, F);
    assertClose(lin, ref, peakTol(ref, 1e-5), mode);
  }
  // pinv(fb) fb is a projection: fb pinv(fb) = I on the mel side (fb has full row rank here).
  const P = M.melToLinearMatrix(fb, 24, bins, 'pinv');
  const I = projectRef(fb, 24, bins, P, 1, 24);
  assertClose(I, Array.from({ length: 24 * 24 }, (_, i) => (i % 25 === 0 ? 1 : 0)), { atol: 1e-5, rtol: 0 }, 'fb pinv(fb)');
});

t('the front end is two dispatches and replays in a recording', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(randn(16000, 9));
  const o = { sr: 16000, nFft: 512, hop: 160, win: 400, nMels: 80, log: 'e' as const };
  M.melSpectrogram(x, o).dispose(); // builds the cached constants outside the count
  gpu.poison = false;
  const before = gpu.stats.dispatches;
  const rec = gpu.record(() => M.melSpectrogram(x, o));
  gpu.poison = true;
  assert.is(rec.dispatchCount, 2); // rfft_lines (framing, FFT, half spectrum), band_matmul
  assert.is(gpu.stats.dispatches, before);
  rec.replay();
  const y = await rec.result.read();
  assertClose(y, await M.melSpectrogram(x, o).read(), { atol: 0, rtol: 0 }, 'replay');
  rec.dispose();
});

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  await assertThrows(() => M.melFilterbank({ sr: 16000, nFft: 512, fmin: 9000, fmax: 8000 }), /mel/, /fmin < fmax/);
  await assertThrows(() => M.melFilterbank({ sr: 16000, nFft: 512, nMels: 0 }), /nMels 0/);
  await assertThrows(() => M.melProject(gpu.tensor(new Float32Array(100 * 3), [100, 3]), { sr: 16000, nFft: 256 }), /melProject/, /\[B\?, 129, frames\]/, /\[100, 3\]/);
  await assertThrows(() => M.melToLinear(gpu.tensor(new Float32Array(10 * 3), [10, 3]), { sr: 16000, nFft: 256, nMels: 20 }), /melToLinear/, /\[B\?, 20, frames\]/);
  await assertThrows(() => M.melSpectrogram(gpu.tensor(new Float32Array(1000)), { sr: 16000, nFft: 400 }), /stft/, /n_fft 400/);
  assert.ok(S.hannWindow(4).every((v, i) => Math.abs(v - [0, 0.5, 1, 0.5][i]) < 1e-7));
});

t.run();
