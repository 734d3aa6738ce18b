/**
 * Matmul rows. 'matmul ceiling 1024^3' is the device's compute ceiling for the bench table: the
 * tuned register-blocked kernel (v3) on square f32 matrices. One run is 2 * 1024^3 = 2.15 GFLOP
 * over 12 MiB of unique data (A and B read once, C written once: 3 * 4 * 1024^2 bytes), an
 * arithmetic intensity of 171 FLOP/byte, so it measures arithmetic, not memory. On SwiftShader it
 * measured 0.93 GFLOP per CPU-second (about 1.9 GFLOP/s on two idle cores; the environment notes
 * give 2.5-5 for a 4x4 kernel on a quiet machine); the figures per version are in the header of
 * kernels/matmul.wgsl. Measured fractions of the ceiling (per CPU-second, same run): the
 * 2048x512 linear 0.95x; the batched QK^T 0.43x (K = 64 is only 4 staging steps, and K^T is
 * read with a stride); v1 and v2 ~0.55x and ~0.1x of the v3 row at 256^3. The GEMV row is
 * bandwidth-bound (4 MiB of weights per 2 MFLOP): read its GB/s against the copy ceiling
 * (measured ~0.6x of it).
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import { matmul, linear, type MatmulVersion } from '../../src/ops/matmul.js';
import { matmulRef } from '../../src/ref/matmul.js';

function fill(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = s / 2 ** 31 - 1; }
  return a;
}

/** [batch, m, k] @ [batch, k, n] ([batch, n, k] with transposeB; batch 1 drops the batch axis). */
function mmRow(name: string, batch: number, m: number, k: number, n: number, version?: MatmulVersion, cpu = false, transposeB = false): BenchCase {
  const aShape = batch > 1 ? [batch, m, k] : [m, k], bMat = transposeB ? [n, k] : [k, n];
  const bShape = batch > 1 ? [batch, ...bMat] : bMat;
  return {
    family: 'matmul', name,
    flops: 2 * batch * m * n * k,
    bytes: 4 * batch * (m * k + k * n + m * n),
    setup: (gpu: Gpu) => {
      const a = gpu.tensor(fill(batch * m * k, 1), aShape), b = gpu.tensor(fill(batch * k * n, 2), bShape);
      return () => { matmul(a, b, { version, transposeB }); };
    },
    cpu: cpu ? (() => { const a = fill(batch * m * k, 1), b = fill(batch * k * n, 2); return () => { matmulRef(a, aShape, b, bShape, { transposeB }); }; })() : undefined,
  };
}

export const MATMUL_CEILING = 'matmul ceiling 1024^3';

export const cases: BenchCase[] = [
  mmRow(MATMUL_CEILING, 1, 1024, 1024, 1024, 'blocked'),
  ...(['naive', 'tiled', 'blocked'] as MatmulVersion[]).map((v, i) => mmRow(`matmul v${i + 1} ${v} 256^3`, 1, 256, 256, 256, v, v === 'blocked')),
  // Attention-style scores: 8 heads of Q [256, 64] @ K^T, K stored [256, 64] (transposeB).
  mmRow('matmul batched QK^T 8x256x64x256', 8, 256, 64, 256, undefined, false, true),
  {
    // One autoregressive step of a 1024-wide linear layer (GEMV): bandwidth-bound on the weight.
    family: 'matmul', name: 'linear GEMV 1x1024 -> 1024 + bias',
    flops: 2 * 1024 * 1024, bytes: 4 * (1024 * 1024 + 3 * 1024),
    setup: (gpu: Gpu) => {
      const x = gpu.tensor(fill(1024, 3), [1, 1024]), w = gpu.tensor(fill(1024 * 1024, 4), [1024, 1024]), b = gpu.tensor(fill(1024, 5));
      return () => { linear(x, w, b); };
    },
  },
  {
    // A frame-rate linear layer over a sequence: [2048 frames, 512] -> 512.
    family: 'matmul', name: 'linear 2048x512 -> 512 + bias',
    flops: 2 * 2048 * 512 * 512, bytes: 4 * (2048 * 512 * 2 + 512 * 512 + 512),
    setup: (gpu: Gpu) => {
      const x = gpu.tensor(fill(2048 * 512, 6), [2048, 512]), w = gpu.tensor(fill(512 * 512, 7), [512, 512]), b = gpu.tensor(fill(512, 8));
      return () => { linear(x, w, b); };
    },
  },
];
