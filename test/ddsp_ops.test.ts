// The DDSP ops (src/ops/ddsp.ts, src/ops/ddsp_synth.ts) against their float64 CPU references
// (src/ref/ddsp.ts) on seeded inputs of awkward sizes; and the whole model on synthetic weights
// (one submit). Model parity with the TF.js graph is test/ddsp.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { assertClose, assertThrows, randn } from './util/check.js';
import { ddspControls, ddspFeatures, ddspNormResidual, type ControlConsts, type FeatureConsts } from '../src/ops/ddsp.js';
import { ddspFilteredNoise, ddspHarmonic, splitTwoPi } from '../src/ops/ddsp_synth.js';
import { ddspControlsRef, ddspFeaturesRef, ddspFilteredNoiseRef, ddspHarmonicRef, ddspNormResidualRef } from '../src/ref/ddsp.js';
import { DdspModel } from '../src/models/ddsp/model.js';
import { hann, syntheticDdspWeights } from '../src/models/ddsp/synthetic.js';

const t = suite('ddsp_ops');
const W = syntheticDdspWeights();
const FEAT: FeatureConsts = W.features;
const CTRL: ControlConsts = W.controls;

t('features: scaled loudness and MIDI pitch, 0 where f0 <= 0', async () => {
  const gpu = await getGpu();
  const T = 37;
  const f0 = randn(T, 3, 30, 3000), ld = randn(T, 4, -120, -10);
  f0[0] = 0; f0[5] = -1;
  const y = await ddspFeatures(gpu.tensor(f0), gpu.tensor(ld), FEAT).read();
  // log() is within a few ulp in WGSL: 1e-6 relative on values of order 1.
  assertClose(y, ddspFeaturesRef(f0, ld, FEAT), { atol: 2e-6, rtol: 2e-6 }, 'features');
});

for (const [C, T, mean] of [[3, 1001, 5], [64, 77, 0], [1, 5, -2]] as const) {
  t(`norm + residual over all of [${C}, ${T}] (values around ${mean})`, async () => {
    const gpu = await getGpu();
    const x = randn(C * T, C + T, -1, 1), h = randn(C * T, C * T, mean - 1, mean + 1);
    const gamma = randn(C, 7, 0.5, 1.5), beta = randn(C, 8, -0.1, 0.1);
    const { y, r } = ddspNormResidual(gpu.tensor(x, [1, C, T]), gpu.tensor(h, [1, C, T]), gpu.tensor(gamma), gpu.tensor(beta), 1e-5);
    const ref = ddspNormResidualRef(x, h, gamma, beta, 1e-5, T);
    // f32 sums over n values (tree within a workgroup, Chan merge across): ~1e-6 relative on the
    // normalised values, which are O(1).
    assertClose(await y.read(), ref.y, { atol: 5e-6, rtol: 5e-6 }, 'y');
    assertClose(await r.read(), ref.r, { atol: 5e-6, rtol: 5e-6 }, 'relu(y)');
  });
}

t('controls: exp_sigmoid heads, Nyquist mask, normalised harmonic amplitudes', async () => {
  const gpu = await getGpu();
  const T = 13, H = 7, NB = 5, width = 1 + H + NB;
  const dense = randn(T * width, 11, -6, 6), bias = randn(width, 12, -1, 1), hn = Float32Array.from({ length: H }, (_, k) => k + 1);
  const f0 = randn(T, 13, 100, 3000);
  f0[2] = 9000;                        // every harmonic above Nyquist: all zero, no NaN
  const c = ddspControls(gpu.tensor(dense, [T, width]), gpu.tensor(bias), gpu.tensor(f0), gpu.tensor(hn), CTRL);
  const ref = ddspControlsRef(dense, bias, f0, hn, CTRL);
  // exp/log in f32: a few ulp per step.
  const tol = { atol: 1e-7, rtol: 5e-6 };
  assertClose(await c.amp.read(), ref.amp, tol, 'amp');
  assertClose(await c.harm.read(), ref.harm, tol, 'harm');
  assertClose((await c.mags.read()).filter((_, i) => i % 2 === 0), ref.mags, tol, 'mags');
  assert.ok((await c.mags.read()).every((v, i) => i % 2 === 0 || v === 0), 'imaginary parts are 0');
});

for (const [F, hop, H, chunk, sr] of [[37, 13, 7, 50, 16000], [20, 64, 12, 1000, 16000], [9, 5, 3, 7, 8000]] as const) {
  t(`harmonic synth F=${F} hop=${hop} H=${H} chunk=${chunk} sr=${sr}`, async () => {
    const gpu = await getGpu();
    const f0 = randn(F, F, 60, 900), harm = randn(F * H, F + 1, 0, 0.3), win = hann(2 * hop);
    const hn = Float32Array.from({ length: H }, (_, k) => k + 1);
    const c = { hop, chunk, omegaScale: Math.fround(Math.fround(2 * Math.PI) / sr), nyquist: sr / 2, twoPi: Math.fround(2 * Math.PI) };
    const y = await ddspHarmonic(gpu.tensor(f0), gpu.tensor(hn), gpu.tensor(harm, [F, H]), gpu.tensor(win), c).read();
    // Phase error: a serial f32 sum of `chunk` increments (<= pi) drifts by <= chunk * ulp(S)/2
    // per chunk, and chunk offsets by chunks * ulp; summed over H harmonics of amplitude <= 0.6.
    const sMax = chunk * Math.PI, ulp = 2 ** (Math.floor(Math.log2(sMax)) - 23);
    const drift = (chunk + Math.ceil((F * hop) / chunk)) * ulp;
    assertClose(y, ddspHarmonicRef(f0, hn, harm, win, c), { atol: 0.6 * H * drift + 1e-6, rtol: 0 }, 'harmonic');
  });
}

t('splitTwoPi: a 12-bit head and an exact tail', () => {
  const tp = Math.fround(2 * Math.PI);
  const [hi, lo] = splitTwoPi(tp);
  assert.is(Math.fround(hi + lo), tp);
  assert.is(hi + lo, tp);
  assert.ok(Number.isInteger(hi * 2 ** 9), 'head has 12 significant bits');
});

for (const [F, hop, I, crop] of [[9, 8, 16, 6], [20, 64, 128, 62], [5, 3, 8, 0]] as const) {
  t(`filtered noise F=${F} hop=${hop} I=${I} crop=${crop}`, async () => {
    const gpu = await getGpu();
    const N = F * hop;
    const uni = randn(N, N, 0, 1), zp = randn(F * I, F, -0.2, 0.2), nwin = hann(I, true), harmonic = randn(N, 3, -1, 1);
    const c = { hop, crop, noiseScale: 2, noiseMin: -1 };
    const y = await ddspFilteredNoise(gpu.tensor(uni), gpu.tensor(zp, [F, I]), gpu.tensor(nwin), gpu.tensor(harmonic), c).read();
    // f32 dot products of <= hop + I terms of size <= 0.2.
    assertClose(y, ddspFilteredNoiseRef(uni, zp, nwin, harmonic, c, I), { atol: 1e-6 * (hop + I), rtol: 1e-6 }, 'noise');
  });
}

t('shape errors name the op and the fix', async () => {
  const gpu = await getGpu();
  await assertThrows(() => ddspFeatures(gpu.tensor(new Float32Array(4)), gpu.tensor(new Float32Array(5)), FEAT), /ddspFeatures/, /ld must be \[4\]/);
  await assertThrows(() => ddspNormResidual(gpu.tensor(new Float32Array(6), [1, 2, 3]), gpu.tensor(new Float32Array(6), [1, 3, 2]), gpu.tensor(new Float32Array(2)), gpu.tensor(new Float32Array(2)), 1e-5), /ddspNormResidual/, /h must be \[1, 2, 3\]/);
  await assertThrows(() => ddspHarmonic(gpu.tensor(new Float32Array(4)), gpu.tensor(new Float32Array(2)), gpu.tensor(new Float32Array(8), [4, 2]), gpu.tensor(new Float32Array(5)), { hop: 3, chunk: 10, omegaScale: 1e-3, nyquist: 8000, twoPi: 6.28 }), /ddspHarmonic/, /win must be \[6\]/);
  await assertThrows(() => ddspFilteredNoise(gpu.tensor(new Float32Array(10)), gpu.tensor(new Float32Array(12), [3, 4]), gpu.tensor(new Float32Array(4)), gpu.tensor(new Float32Array(9)), { hop: 3, crop: 1, noiseScale: 2, noiseMin: -1 }), /ddspFilteredNoise/, /uni must be \[9\]/);
});

t('the whole model on synthetic weights: one submit, finite audio of frames * 64 samples', async () => {
  const gpu = await getGpu();
  const model = DdspModel.fromWeights(gpu, W);
  try {
    const frames = 300;
    const f0 = randn(frames, 1, 200, 800), ld = randn(frames, 2, -80, -40);
    await gpu.sync();
    const before = gpu.stats.submits;
    const audio = await model.synthesize(f0, ld, 3);
    assert.is(gpu.stats.submits - before, 1, 'one submit');
    assert.is(audio.length, frames * 64);
    assert.ok(audio.every(Number.isFinite), 'finite');
    assert.ok(audio.some((v) => v !== 0), 'not silent');
  } finally { model.dispose(); }
});

t.run();
