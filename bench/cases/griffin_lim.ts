/**
 * Griffin-Lim: 32 fast Griffin-Lim rounds (each an iSTFT and an STFT) on 2 s of 16 kHz audio
 * (n_fft 512, hop 128), seconds of audio per second; cpu: the float64 reference.
 */
import type { BenchCase } from '../types.js';
import { griffinLim } from '../../src/ops/griffin_lim.js';
import { hannWindow } from '../../src/ops/stft.js';
import { griffinLimRef } from '../../src/ref/griffin_lim.js';
import { stftRef } from '../../src/ref/stft.js';

const SR = 16000, SECONDS = 2, T = SR * SECONDS, N_FFT = 512, HOP = 128, ITERS = 32;
const x = Float32Array.from({ length: T }, (_, i) => Math.sin((2 * Math.PI * (200 + i / 100) * i) / SR));
const S = stftRef(x, 1, T, { nFft: N_FFT, hop: HOP, window: hannWindow(N_FFT) });
const mag = new Float32Array(S.data.length / 2).map((_, i) => Math.hypot(S.data[2 * i], S.data[2 * i + 1]));

export const cases: BenchCase[] = [{
  family: 'griffin_lim', name: `griffin_lim ${ITERS} rounds, ${SECONDS} s @ 16 kHz (n_fft ${N_FFT}, hop ${HOP})`,
  audioSeconds: SECONDS,
  flops: ITERS * 2 * S.frames * 2.5 * N_FFT * Math.log2(N_FFT),
  setup: (gpu) => {
    const m = gpu.tensor(mag, [S.bins, S.frames]);
    return () => { griffinLim(m, { nFft: N_FFT, hop: HOP, nIter: ITERS }); };
  },
  cpu: () => { griffinLimRef(mag, 1, S.frames, { nFft: N_FFT, hop: HOP, window: hannWindow(N_FFT), nIter: ITERS, momentum: 0.99, random: true, seed: 0 }); },
}];
