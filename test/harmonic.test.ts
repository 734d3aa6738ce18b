import { suite } from 'uvu';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, assertThrows } from './util/check.js';
import { harmonicSynth } from '../src/ops/harmonic.js';
import { harmonicRef } from '../src/ref/harmonic.js';

const t = suite('harmonic');

// Tolerance from the error model: f32 rounding of hop/sr and of each frame's phase increment is a
// relative error of ~2.5e-7 of the accumulated phase, so after C cycles of the fundamental harmonic
// k is off by ~k * C * 2.5e-7 cycles. The bound below is that drift at the highest harmonic below
// Nyquist times 2 pi (sin's slope), summed over the weights (which sum to 1 when normalised).
function tolFor(f0: Float32Array, dist: Float32Array, B: number, F: number, H: number, sr: number, hop: number, normalize: boolean) {
  let worst = 0;
  for (let b = 0; b < B; b++) {
    let cycles = 0, fmin = Infinity;
    for (let j = 0; j < F; j++) { cycles += (f0[b * F + j] * hop) / sr; fmin = Math.min(fmin, f0[b * F + j]); }
    const kmax = Math.min(H, Math.floor(sr / 2 / fmin));
    worst = Math.max(worst, 2 * Math.PI * 2.5e-7 * cycles * kmax);
  }
  const weight = normalize ? 1 : Math.max(...dist) * H;
  return { atol: worst * weight + 1e-5, rtol: 1e-5 };
}

for (const [B, F, H, hop, sr, normalize, fhi] of [[1, 5, 1, 64, 16000, false, 2000], [2, 37, 7, 33, 16000, true, 2000], [3, 101, 60, 64, 16000, true, 400], [1, 13, 20, 100, 22050, true, 2000], [1, 9, 3, 100, 22050, false, 300]] as [number, number, number, number, number, boolean, number][]) {
  t(`B=${B} F=${F} H=${H} hop=${hop} sr=${sr} normalize=${normalize}`, async () => {
    const gpu = await getGpu();
    const f0 = randn(B * F, F, 50, fhi); // harmonics cross Nyquist for the higher f0
    const amp = randn(B * F, F + 1, 0, 1), dist = randn(B * F * H, F + 2, 0, 1);
    const y = await harmonicSynth(gpu.tensor(f0, [B, F]), gpu.tensor(amp, [B, F]), gpu.tensor(dist, [B, F, H]), { sampleRate: sr, hop, normalize }).read();
    const tol = tolFor(f0, dist, B, F, H, sr, hop, normalize);
    if (tol.atol > 0.02) throw new Error(`test sizes give a meaningless tolerance ${tol.atol}`);
    assertClose(y, harmonicRef(f0, amp, dist, B, F, H, sr, hop, normalize), tol, 'harmonic');
  });
}

t('a constant 440 Hz f0 gives a 440 Hz sine', async () => {
  const gpu = await getGpu();
  const F = 50, hop = 64, sr = 16000;
  const y = await harmonicSynth(gpu.tensor(new Float32Array(F).fill(440), [1, F]), gpu.tensor(new Float32Array(F).fill(1), [1, F]), gpu.tensor(new Float32Array(F).fill(1), [1, F, 1]), { sampleRate: sr, hop }).read();
  const expected = Float32Array.from({ length: F * hop }, (_, n) => Math.sin((2 * Math.PI * 440 * n) / sr));
  // 88 cycles of drift model: 2 pi * 2.5e-7 * 88 = 1.4e-4
  assertClose(y, expected, { atol: 1.4e-4, rtol: 0 }, 'sine');
});

t('shape errors name the op', async () => {
  const gpu = await getGpu();
  await assertThrows(() => harmonicSynth(gpu.tensor(new Float32Array(4), [1, 4]), gpu.tensor(new Float32Array(3), [1, 3]), gpu.tensor(new Float32Array(4), [1, 4, 1]), { sampleRate: 16000, hop: 64 }), /harmonicSynth/, /amp must match/);
});

t.run();
