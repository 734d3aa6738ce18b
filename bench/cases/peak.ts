/**
 * 'fma ceiling': the device's arithmetic peak, measured (kernels/peak.wgsl): 65,536 threads x
 * 1,024 steps of eight register-resident vec4 multiply-add chains = 4.3 GFLOP, no memory traffic. The
 * bench table's %peak column of every row is against the best 'ceiling' row of its platform, so
 * with this row it reads as a fraction of what the device can do at all, not of our matmul.
 */
import type { BenchCase } from '../types.js';
import { fmaPeak, peakFlops } from '../../src/ops/peak.js';

const N = 65536, ITERS = 1024;

export const cases: BenchCase[] = [{
  family: 'peak', name: `fma ceiling (${N} threads x ${ITERS} steps x 8 vec4 chains)`,
  flops: peakFlops(N, ITERS), reps: 3,
  setup: (gpu) => () => { fmaPeak(gpu, N, ITERS); },
}];
