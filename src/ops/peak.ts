/**
 * The device's measured arithmetic ceiling (kernels/peak.wgsl): n threads each run `iters` steps
 * of eight register-resident vec4 recurrences v = v * a + b. FLOPs of one call: peakFlops(n, iters).
 */
import { grid, type Gpu } from '../runtime/gpu.js';
import { WaveGpuError } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

const WG = 64;

export interface PeakOptions {
  /** Multiplier of the recurrence (|a| < 1 keeps values bounded; default 0.5). */
  a?: number;
  /** Addend of the recurrence (default 0.25). */
  b?: number;
  /** Thread i starts from i * seedStep (default 1e-3). */
  seedStep?: number;
}

/** Multiply-adds count 2: 8 chains x 4 lanes x 2 per step. */
export function peakFlops(n: number, iters: number): number {
  return n * iters * 64;
}

/** -> out [n]: per thread, the sum of its 32 recurrence values after `iters` steps. */
export function fmaPeak(gpu: Gpu, n: number, iters: number, opts: PeakOptions = {}): Tensor<'f32'> {
  if (!Number.isInteger(n) || n < 1) throw new WaveGpuError('peak', `n must be a positive integer number of threads, got ${n}`);
  if (!Number.isInteger(iters) || iters < 0 || iters > 0xffffffff) throw new WaveGpuError('peak', `iters must be an integer in [0, 2^32), got ${iters}`);
  const out = gpu.empty([n], 'f32', 'peak');
  gpu.dispatch({
    op: 'peak', kernel: 'peak', entry: 'fma_peak', overrides: { WG },
    uniforms: { params: { n, iters, a: opts.a ?? 0.5, b: opts.b ?? 0.25, seed_step: opts.seedStep ?? 1e-3 } },
    buffers: { out },
    workgroups: grid(n, WG),
  });
  return out;
}
