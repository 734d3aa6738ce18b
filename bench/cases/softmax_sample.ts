/**
 * Row-reduction and sampling rows. softmax reads its row twice and its output once more (max,
 * exp + sum, rescale) but the minimum traffic is one read and one write, which is what `bytes`
 * counts, so GB/s is the effective bandwidth against the copy ceiling. With 16384 rows every
 * thread owns a row (no barriers). Measured on SwiftShader (per CPU-second, 2026-11-21):
 * softmax and logSoftmax 0.39 GB/cpu-s (0.25x of the copy ceiling: exp costs), argmax 0.24,
 * sample 0.09 (two exp passes plus the CDF walk), noise 15 M values per CPU-second (Philox's
 * 64-bit products are emulated with 16-bit halves).
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import * as ss from '../../src/ops/softmax_sample.js';
import { softmaxRef } from '../../src/ref/softmax_sample.js';

const ROWS = 16384, N = 256;

function fill(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = (s / 2 ** 31 - 1) * 6; }
  return a;
}

function rowCase(name: string, flopsPerElem: number, outBytes: number, op: (x: ReturnType<Gpu['tensor']>) => void, cpu?: () => void): BenchCase {
  return {
    family: 'softmax_sample', name,
    flops: flopsPerElem * ROWS * N,
    bytes: 4 * ROWS * N + outBytes,
    setup: (gpu: Gpu) => { const x = gpu.tensor(fill(ROWS * N, 1), [ROWS, N]); return () => op(x); },
    cpu,
  };
}

export const cases: BenchCase[] = [
  // max, subtract, exp (~10 flops), add, multiply
  rowCase(`softmax ${ROWS}x${N}`, 14, 4 * ROWS * N, (x) => { ss.softmax(x); }, (() => { const x = fill(ROWS * N, 1); return () => { softmaxRef(x, N); }; })()),
  rowCase(`logSoftmax ${ROWS}x${N}`, 14, 4 * ROWS * N, (x) => { ss.logSoftmax(x); }),
  rowCase(`argmax ${ROWS}x${N}`, 1, 4 * ROWS, (x) => { ss.argmax(x); }),
  // 16384 mu-law-style 256-way draws (WaveRNN/SampleRNN output layer over a batch of streams).
  rowCase(`sample ${ROWS}x${N} T=1`, 14, 4 * ROWS, (x) => { ss.sample(x, { seed: 7, temperature: 1 }); }),
  {
    // One autoregressive step: a single 256-way draw with the step read from a GPU counter.
    family: 'softmax_sample', name: 'sample 1x256 + counter step (latency)',
    bytes: 4 * 256 + 8,
    setup: (gpu: Gpu) => {
      const x = gpu.tensor(fill(N, 2), [1, N]), counter = ss.createCounter(gpu);
      return () => { ss.sample(x, { seed: 7, step: counter }); ss.advanceCounter(counter); };
    },
  },
  {
    // Noise for a Parallel WaveGAN / DDSP input: 4 Mi uniforms (one Philox call per 4 values).
    family: 'softmax_sample', name: 'randomUniform 4Mi',
    bytes: 4 * (1 << 22),
    setup: (gpu: Gpu) => () => { ss.randomUniform(gpu, [1 << 22], 3); },
  },
  {
    family: 'softmax_sample', name: 'randomNormal 4Mi',
    bytes: 4 * (1 << 22),
    setup: (gpu: Gpu) => () => { ss.randomNormal(gpu, [1 << 22], 3); },
  },
];
