/**
 * Mel front end: log-mel spectrogram of 10 s of 16 kHz audio (n_fft 512, hop 160, win 400,
 * 80 mels, ln with clamp 1e-5), seconds of audio per second; cpu: the float64 reference.
 */
import type { BenchCase } from '../types.js';
import { melSpectrogram } from '../../src/ops/mel.js';
import { melSpectrogramRef } from '../../src/ref/mel.js';

const SR = 16000, SECONDS = 10, T = SR * SECONDS;
const x = Float32Array.from({ length: T }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 220 * i) / SR) + 0.1 * Math.sin(i * 2.1));
const o = { sr: SR, nFft: 512, hop: 160, win: 400, nMels: 80, log: 'e' as const, eps: 1e-5 };
const frames = 1 + Math.floor(T / 160);

export const cases: BenchCase[] = [{
  family: 'mel', name: `mel log-mel ${SECONDS} s @ 16 kHz (n_fft 512, hop 160, 80 mels)`,
  audioSeconds: SECONDS,
  flops: frames * (2.5 * 512 * 9 + 2 * 2 * 257),
  bytes: 4 * T + 4 * 80 * frames,
  setup: (gpu) => {
    const xt = gpu.tensor(x);
    return () => { melSpectrogram(xt, o); };
  },
  cpu: () => {
    melSpectrogramRef(x, 1, T, { sr: SR, nFft: 512, nMels: 80, fmin: 0, fmax: SR / 2, htk: false, slaney: true, hop: 160, win: 400, power: 2, log: 'e', eps: 1e-5 });
  },
}];
