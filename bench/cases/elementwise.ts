/** Elementwise rows: bandwidth-bound, so GB/s against the copy ceiling is the figure. */
import type { BenchCase } from '../types.js';
import * as ew from '../../src/ops/elementwise.js';
import { unaryRef, binaryRef } from '../../src/ref/elementwise.js';

const N = 1 << 22; // 4 Mi elements, 16 MiB per tensor
const data = () => Float32Array.from({ length: N }, (_, i) => Math.sin(i) * 3);

export const cases: BenchCase[] = [
  {
    family: 'elementwise', name: `tanh n=${N}`, bytes: 8 * N, flops: 10 * N,
    setup: (gpu) => { const x = gpu.tensor(data()); return () => { ew.tanh(x); }; },
    cpu: (() => { const x = data().subarray(0, N); return () => unaryRef(x, 'tanh'); })(),
  },
  {
    family: 'elementwise', name: `add broadcast [64, n/64] + [64, 1] n=${N}`, bytes: 8 * N, flops: N,
    setup: (gpu) => { const a = gpu.tensor(data(), [64, N / 64]), b = gpu.tensor(new Float32Array(64), [64, 1]); return () => { ew.add(a, b); }; },
    cpu: (() => { const a = data(); const b = new Float32Array(64); return () => binaryRef(a, [64, N / 64], b, [64, 1], 'add'); })(),
  },
];
