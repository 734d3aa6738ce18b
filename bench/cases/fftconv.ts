/**
 * FFT convolution: 2 s of 16 kHz audio through a 4000-tap (0.25 s) decaying impulse response,
 * overlap-add in 32768-point blocks; flops counted as the direct convolution's 2 T K so the
 * GFLOP/s column reads as "equivalent direct"; cpu: the direct float64 reference.
 */
import type { BenchCase } from '../types.js';
import { fftConvolve } from '../../src/ops/fftconv.js';
import { convolveRef } from '../../src/ref/fftconv.js';

const SR = 16000, T = 2 * SR, K = 4000;
const x = Float32Array.from({ length: T }, (_, i) => Math.sin(i * 0.05) * Math.sin(i * 0.0007));
const h = Float32Array.from({ length: K }, (_, k) => Math.exp((-6 * k) / K) * Math.sin(k * 1.7));

export const cases: BenchCase[] = [{
  family: 'fftconv', name: `fftconv reverb ${T / SR} s @ 16 kHz, ${K}-tap IR (equivalent direct flops)`,
  audioSeconds: T / SR,
  flops: 2 * T * K,
  bytes: 4 * (T + K + T + K - 1),
  setup: (gpu) => {
    const xt = gpu.tensor(x), ht = gpu.tensor(h);
    return () => { fftConvolve(xt, ht); };
  },
  cpu: () => { convolveRef(x, 1, T, h, K); },
}];
