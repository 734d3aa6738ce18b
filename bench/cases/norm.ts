/** Benchmark rows for kernels/norm.wgsl at generator/transformer sizes. */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import type { Tensor } from '../../src/runtime/tensor.js';
import { layerNorm, instanceNorm, groupNorm, pixelNorm } from '../../src/ops/norm.js';
import { pixelNormRef } from '../../src/ref/norm.js';

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);

function fill(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 0.61) + 0.1;
  return a;
}

/** group_norm-kernel rows read x three times (mean, variance, output) and write it once. */
function row(name: string, x: number[], params: number, op: (t: Tensor, w: Tensor, b: Tensor) => Tensor, reads = 3, flopsPerElem = 8, cpu?: () => void): BenchCase {
  return {
    family: 'norm', name,
    flops: flopsPerElem * numel(x),
    bytes: 4 * ((reads + 1) * numel(x) + 2 * params),
    setup: (gpu: Gpu) => {
      const xt = gpu.tensor(fill(numel(x)), x), w = gpu.tensor(fill(Math.max(params, 1))), b = gpu.tensor(fill(Math.max(params, 1)));
      return () => { op(xt, w, b).dispose(); };
    },
    cpu,
  };
}

export const cases: BenchCase[] = [
  row('instance_norm 1x256x32x32 affine', [1, 256, 32, 32], 256, (x, weight, bias) => instanceNorm(x, { weight, bias })),
  row('group_norm 32 groups 1x256x32x32 affine', [1, 256, 32, 32], 256, (x, weight, bias) => groupNorm(x, 32, { weight, bias })),
  row('layer_norm [512] 1x2048x512 affine', [1, 2048, 512], 512, (x, weight, bias) => layerNorm(x, [512], { weight, bias })),
  row('layer_norm [80] 1x16384x80 affine', [1, 16384, 80], 80, (x, weight, bias) => layerNorm(x, [80], { weight, bias })),
  // GANSynth: pixel norm after every conv; its widest layer is 32 channels at 128x1024.
  row('pixel_norm 1x256x32x32', [1, 256, 32, 32], 0, (x) => pixelNorm(x), 2, 4),
  row('pixel_norm 1x32x128x1024', [1, 32, 128, 1024], 0, (x) => pixelNorm(x), 2, 4,
    () => { pixelNormRef(fill(32 * 128 * 1024), [1, 32, 128 * 1024]); }),
];
