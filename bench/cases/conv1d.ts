/**
 * Benchmark rows for kernels/conv1d.wgsl (+ conv1d_sg.wgsl). The first row is the target:
 * a 16-layer Conv1d(64, 64, k=3, padding=1) stack on [1, 64, 16384] (6.44 GFLOP; the peer run in
 * bench/peers/conv_stack.ts times the same stack against onnxruntime-web). Then the kernel versions side
 * by side on one quarter-length layer, and the layer shapes vocoders are made of.
 * FLOPs count 2 per multiply-add of the convolution itself (2 * B * Cout * Tout * Cin/groups * K);
 * bytes are x and w read once plus y written once (and bias/residual when present).
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import type { Tensor } from '../../src/runtime/tensor.js';
import { conv1d, type Conv1dOptions, type Conv1dVersion } from '../../src/ops/conv1d.js';
import { conv1dRef } from '../../src/ref/conv1d.js';

const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function fill(n: number, seed: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = (s / 2 ** 31 - 1) * scale; }
  return a;
}

interface Layer { x: number[]; w: number[]; o: Omit<Conv1dOptions, 'bias' | 'residual'>; bias?: boolean; residual?: boolean; tout: number }

function flops(l: Layer): number {
  return 2 * l.x[0] * l.w[0] * l.tout * l.w[1] * l.w[2];
}

function bytes(l: Layer): number {
  const y = l.x[0] * l.w[0] * l.tout;
  return 4 * (numel(l.x) + numel(l.w) + y * (l.residual ? 2 : 1) + (l.bias ? l.w[0] : 0));
}

/** `layers` layers of one shape (the output of one feeds the next when the shapes allow). */
function row(name: string, l: Layer, layers = 1, cpu = false): BenchCase {
  return {
    family: 'conv1d', name,
    flops: layers * flops(l), bytes: layers * bytes(l),
    setup: (gpu: Gpu) => {
      const scale = 1 / Math.sqrt(l.w[1] * l.w[2]);
      const x = gpu.tensor(fill(numel(l.x), 1), l.x);
      const ws = Array.from({ length: layers }, (_, i) => gpu.tensor(fill(numel(l.w), 10 + i, scale), l.w));
      const b = l.bias ? gpu.tensor(fill(l.w[0], 3)) : null;
      const r = l.residual ? gpu.tensor(fill(l.x[0] * l.w[0] * l.tout, 4), [l.x[0], l.w[0], l.tout]) : null;
      const chain = l.x[1] === l.w[0] && l.x[2] === l.tout;
      return () => {
        let h: Tensor = x;
        for (const w of ws) h = conv1d(chain ? h : x, w, { ...l.o, bias: b, residual: r });
      };
    },
    cpu: cpu ? () => { conv1dRef(fill(numel(l.x), 1), l.x, fill(numel(l.w), 10), l.w, { padding: l.o.padding, stride: l.o.stride, dilation: l.o.dilation }); } : undefined,
  };
}

const T = 16384;
const stack: Layer = { x: [1, 64, T], w: [64, 64, 3], o: { padding: 1 }, bias: true, tout: T };
const quarter = (version: Conv1dVersion): Layer => ({ x: [1, 64, 4096], w: [64, 64, 3], o: { padding: 1, version }, tout: 4096 });

export const cases: BenchCase[] = [
  row('conv1d stack 16 x Conv1d(64,64,k3) 1x64x16384', stack, 16),
  ...(['naive', 'tiled', 'window', 'window_sg'] as Conv1dVersion[]).map((v, i) => row(`conv1d v${i + 1} ${v} 64->64 k3 1x64x4096`, quarter(v), 1, v === 'window_sg')),
  // HiFi-GAN V1 resblock conv at the 128-channel stage: k=7, dilation 5, fused leaky_relu(0.1).
  row('conv1d HiFi-GAN resblock 128->128 k7 d5 lrelu 1x128x8192', { x: [1, 128, 8192], w: [128, 128, 7], o: { dilation: 5, padding: 15, activation: 'leaky_relu', slope: 0.1 }, bias: true, tout: 8192 }),
  // MelGAN residual stack conv, dilation 27 with reflect padding, plus the residual add.
  row('conv1d MelGAN resstack 64->64 k3 d27 reflect +res 1x64x16384', { x: [1, 64, T], w: [64, 64, 3], o: { dilation: 27, padding: 27, paddingMode: 'reflect' }, bias: true, residual: true, tout: T }),
  // WaveNet-style causal dilated conv, batch 2.
  row('conv1d causal 64->128 k2 d64 2x64x8192', { x: [2, 64, 8192], w: [128, 64, 2], o: { dilation: 64, causal: true }, bias: true, tout: 8192 }),
  // Encoder downsampling (stride 2 without dilation: the tiled kernel).
  row('conv1d strided 64->128 k4 s2 1x64x16384', { x: [1, 64, T], w: [128, 64, 4], o: { stride: 2, padding: 1 }, bias: true, tout: 8192 }),
  // Vocoder output layer: 32 channels to 1 at audio rate, k=7, tanh (v5 thin), and the same on v4.
  row('conv1d v5 thin output 32->1 k7 tanh 1x32x65536', { x: [1, 32, 65536], w: [1, 32, 7], o: { padding: 3, activation: 'tanh' }, bias: true, tout: 65536 }),
  row('conv1d v4 window_sg output 32->1 k7 tanh 1x32x65536', { x: [1, 32, 65536], w: [1, 32, 7], o: { padding: 3, activation: 'tanh', version: 'window_sg' }, bias: true, tout: 65536 }),
  // Depthwise (groups = channels), as in ConvNeXt-style vocoders (Vocos).
  row('conv1d depthwise 256 k7 1x256x4096', { x: [1, 256, 4096], w: [256, 1, 7], o: { groups: 256, padding: 3 }, bias: true, tout: 4096 }),
];
