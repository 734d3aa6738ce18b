/**
 * Benchmark rows for kernels/conv_transpose1d.wgsl (+ conv_transpose1d_sg.wgsl): the upsampling
 * layers of MelGAN/HiFi-GAN, and the kernel versions side by side. FLOPs count 2 per useful
 * multiply-add: 2 * B * Cin * Tin * Cout/groups * K (each input meets K outputs per channel);
 * bytes are x and w read once plus y written once.
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import { convTranspose1d, type ConvTranspose1dOptions, type ConvTranspose1dVersion } from '../../src/ops/conv_transpose1d.js';
import { convTranspose1dRef } from '../../src/ref/conv_transpose1d.js';

const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function fill(n: number, seed: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = (s / 2 ** 31 - 1) * scale; }
  return a;
}

/** x [B, Cin, T] through w [Cin, Cout, K] with stride s, padding (K - s)/2: output T*s. */
function row(name: string, x: number[], w: number[], o: ConvTranspose1dOptions, cpu = false): BenchCase {
  const s = o.stride ?? 1;
  const tout = (x[2] - 1) * s - 2 * (o.padding ?? 0) + w[2] + (o.outputPadding ?? 0);
  return {
    family: 'conv_transpose1d', name,
    flops: 2 * numel(x) * w[1] * w[2],
    bytes: 4 * (numel(x) + numel(w) + x[0] * w[1] * tout + w[1]),
    setup: (gpu: Gpu) => {
      const xt = gpu.tensor(fill(numel(x), 1), x), wt = gpu.tensor(fill(numel(w), 2, 1 / Math.sqrt(w[0] * w[2] / s)), w);
      const b = gpu.tensor(fill(w[1], 3));
      return () => { convTranspose1d(xt, wt, { ...o, bias: b }); };
    },
    cpu: cpu ? () => { convTranspose1dRef(fill(numel(x), 1), x, fill(numel(w), 2), w, { stride: s, padding: o.padding, outputPadding: o.outputPadding }); } : undefined,
  };
}

const melgan = { stride: 8, padding: 4 };

export const cases: BenchCase[] = [
  // MelGAN generator's second upsampler: ConvTranspose1d(256, 128, 16, stride 8, padding 4), 1024 -> 8192 steps.
  row('conv_transpose1d MelGAN 256->128 k16 s8 1x256x1024', [1, 256, 1024], [256, 128, 16], melgan),
  // HiFi-GAN V1's first upsampler: ConvTranspose1d(512, 256, 16, stride 8, padding 4), fused leaky_relu(0.1).
  row('conv_transpose1d HiFi-GAN 512->256 k16 s8 lrelu 1x512x256', [1, 512, 256], [512, 256, 16], { ...melgan, activation: 'leaky_relu', slope: 0.1 }),
  // HiFi-GAN's last upsampler (k=4, stride 2) at audio rate.
  row('conv_transpose1d 64->32 k4 s2 1x64x16384', [1, 64, 16384], [64, 32, 4], { stride: 2, padding: 1 }),
  // The versions side by side (17 MFLOP: small, because v1 runs at ~0.02 GFLOP/s).
  ...(['naive', 'window', 'window_sg'] as ConvTranspose1dVersion[]).map((v, i) =>
    row(`conv_transpose1d v${i + 1} ${v} 64->32 k16 s8 1x64x256`, [1, 64, 256], [64, 32, 16], { ...melgan, version: v }, v === 'window_sg')),
];
