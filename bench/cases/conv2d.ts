/** Benchmark rows for kernels/conv2d.wgsl: spectrogram-GAN generator layers and PWG's upsampler. */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import { conv2d, convTranspose2d, conv2dPadding, type Conv2dOptions, type ConvTranspose2dOptions } from '../../src/ops/conv2d.js';
import { conv2dRef } from '../../src/ref/conv2d.js';

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);

function fill(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = s / 2 ** 31 - 1; }
  return a;
}

/** x [B, Cin, H, W] through w [Cout, Cin/G, KH, KW] (stride 1 unless given). */
function convRow(name: string, x: number[], w: number[], opts: Conv2dOptions, out: number[], cpu = false): BenchCase {
  const k = numel(w.slice(1));
  return {
    family: 'conv2d', name,
    flops: 2 * numel(out) * k,
    bytes: 4 * (numel(x) + numel(w) + numel(out) + w[0]),
    setup: (gpu: Gpu) => {
      const xt = gpu.tensor(fill(numel(x), 1), x), wt = gpu.tensor(fill(numel(w), 2), w), b = gpu.tensor(fill(w[0], 3));
      return () => { conv2d(xt, wt, { ...opts, bias: b }).dispose(); };
    },
    // Stride 1, dilation 1 rows only.
    cpu: cpu ? () => { conv2dRef(fill(numel(x), 1), x, fill(numel(w), 2), w, { stride: [1, 1], padding: conv2dPadding(opts.padding, [w[2], w[3]], [1, 1], [1, 1]), dilation: [1, 1], groups: 1 }); } : undefined,
  };
}

/** x [B, Cin, H, W] through w [Cin, Cout, KH, KW]. */
function transposeRow(name: string, x: number[], w: number[], opts: ConvTranspose2dOptions): BenchCase {
  return {
    family: 'conv2d', name,
    flops: 2 * numel(x) * numel(w.slice(1)),
    bytes: 4 * (numel(x) + numel(w) + x[0] * w[1] * x[2] * 2 * x[3] * 2 + w[1]),
    setup: (gpu: Gpu) => {
      const xt = gpu.tensor(fill(numel(x), 4), x), wt = gpu.tensor(fill(numel(w), 5), w), b = gpu.tensor(fill(w[1], 6));
      return () => { convTranspose2d(xt, wt, { ...opts, bias: b }).dispose(); };
    },
  };
}

export const cases: BenchCase[] = [
  // GANSynth generator body: Conv2d(256, 256, 3, padding=1) at 32x32 (1.2 GFLOP).
  convRow('conv2d 256->256 3x3 1x256x32x32', [1, 256, 32, 32], [256, 256, 3, 3], { padding: 1 }, [1, 256, 32, 32]),
  // The kernel versions side by side on a quarter-size layer (0.3 GFLOP).
  ...([1, 2, 3] as const).map((v) => convRow(`conv2d v${v} 128->128 3x3 1x128x32x32`, [1, 128, 32, 32], [128, 128, 3, 3], { padding: 1, version: v }, [1, 128, 32, 32])),
  // GANSynth/SpecGAN-style first layer: few input channels, wide output, 4x4 'same'.
  convRow('conv2d 3->64 4x4 same 2x3x64x64', [2, 3, 64, 64], [64, 3, 4, 4], { padding: 'same' }, [2, 64, 64, 64], true),
  // Parallel WaveGAN upsample network: Conv2d(1, 1, (1, 9), padding (0, 4)) on [1, 1, 80, 24000].
  convRow('conv2d 1->1 1x9 PWG upsample 1x1x80x24000', [1, 1, 80, 24000], [1, 1, 1, 9], { padding: [0, 4] }, [1, 1, 80, 24000]),
  // DCGAN/pjloop-gan upsampling block: ConvTranspose2d(256, 128, 4, stride 2, padding 1), 16x16 -> 32x32.
  transposeRow('conv_transpose2d 256->128 4x4 s2 1x256x16x16', [1, 256, 16, 16], [256, 128, 4, 4], { stride: 2, padding: 1 }),
  ...([1, 2, 3] as const).map((v) => transposeRow(`conv_transpose2d v${v} 128->64 4x4 s2 1x128x16x16`, [1, 128, 16, 16], [128, 64, 4, 4], { stride: 2, padding: 1, version: v })),
];
