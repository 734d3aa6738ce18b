/** Benchmark rows for kernels/upsample.wgsl: GAN generator upsampling, PWG's stretch, pooling. */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import type { Tensor } from '../../src/runtime/tensor.js';
import { upsample1d, upsample2d, avgPool1d, avgPool2d } from '../../src/ops/upsample.js';

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);

function row(name: string, x: number[], y: number[], op: (t: Tensor) => Tensor, flopsPerOut = 0): BenchCase {
  return {
    family: 'upsample', name,
    flops: flopsPerOut ? flopsPerOut * numel(y) : undefined,
    bytes: 4 * (numel(x) + numel(y)),
    setup: (gpu: Gpu) => {
      const data = new Float32Array(numel(x));
      for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37);
      const xt = gpu.tensor(data, x);
      return () => { op(xt).dispose(); };
    },
  };
}

export const cases: BenchCase[] = [
  // GANSynth doubles the feature map between blocks (nearest); a bilinear variant for comparison.
  row('upsample2d nearest x2 1x256x32x32', [1, 256, 32, 32], [1, 256, 64, 64], (x) => upsample2d(x, { scaleFactor: 2 })),
  row('upsample2d bilinear x2 1x256x32x32', [1, 256, 32, 32], [1, 256, 64, 64], (x) => upsample2d(x, { scaleFactor: 2, mode: 'bilinear' }), 6),
  // Parallel WaveGAN Stretch2d: nearest (1, 4) on a mel map, 1 s at 24 kHz after the last stage.
  row('upsample2d nearest (1,4) PWG 1x1x80x6000', [1, 1, 80, 6000], [1, 1, 80, 24000], (x) => upsample2d(x, { scaleFactor: [1, 4] })),
  row('upsample1d linear x4 1x80x6000', [1, 80, 6000], [1, 80, 24000], (x) => upsample1d(x, { scaleFactor: 4, mode: 'linear' }), 3),
  row('avg_pool2d k2 1x256x64x64', [1, 256, 64, 64], [1, 256, 32, 32], (x) => avgPool2d(x, 2), 4),
  row('avg_pool1d k4 s2 p1 1x64x16384', [1, 64, 16384], [1, 64, 8192], (x) => avgPool1d(x, 4, { stride: 2, padding: 1 }), 4),
];
