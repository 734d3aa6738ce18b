/**
 * FFT: batched complex transforms of n = 512 .. 65536 points, 2^18 complex values per run,
 * counted as 5 n log2 n flops per transform; a real-FFT row at n = 1024. The cpu column is the
 * float64 radix-2 reference (src/ref/fft.ts) on the same data.
 */
import type { BenchCase } from '../types.js';
import { fft, rfft } from '../../src/ops/fft.js';
import { fftRef, rfftRef } from '../../src/ref/fft.js';

const TOTAL = 1 << 18;
const signal = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.25 * Math.cos(i * 1.3));

function complexCase(n: number): BenchCase {
  const b = TOTAL / n, x = signal(2 * TOTAL);
  return {
    family: 'fft', name: `fft complex n=${n} x ${b}`,
    flops: 5 * n * Math.log2(n) * b,
    bytes: 2 * 8 * TOTAL,
    setup: (gpu) => {
      const xt = gpu.tensor(x, [b, n, 2]);
      return () => { fft(xt); };
    },
    cpu: () => { fftRef(x, n); },
  };
}

const N_REAL = 1024, B_REAL = TOTAL / N_REAL, real = signal(TOTAL);

export const cases: BenchCase[] = [
  ...[512, 1024, 2048, 4096, 8192, 16384, 32768, 65536].map(complexCase),
  {
    family: 'fft', name: `fft real n=${N_REAL} x ${B_REAL} (half spectrum)`,
    flops: 2.5 * N_REAL * Math.log2(N_REAL) * B_REAL,
    bytes: 4 * TOTAL + 8 * (N_REAL / 2 + 1) * B_REAL,
    setup: (gpu) => {
      const xt = gpu.tensor(real, [B_REAL, N_REAL]);
      return () => { rfft(xt); };
    },
    cpu: () => { rfftRef(real, N_REAL); },
  },
];
