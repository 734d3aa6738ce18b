/**
 * Benchmark rows for kernels/gate.wgsl: one fused WaveNet layer (dilated conv + gate + both 1x1s)
 * at the sizes the models use, and the one-step kernel of fast generation. FLOPs count 2 per
 * multiply-add of the dilated conv, conditioning and both 1x1s; bytes are the input read once,
 * the weights once, the next-layer input written and the skip read + written.
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import { gate, gateStep, gateQueue, gateWeights, type GateParts } from '../../src/ops/gate.js';
import { gateRef } from '../../src/ref/gate.js';

function fill(n: number, seed: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = (s / 2 ** 31 - 1) * scale; }
  return a;
}

interface Layer { r: number; d: number; s: number; k: number; dil: number; gated: boolean; skip: 'conv' | 'identity'; cond: number; bias: boolean }

function parts(l: Layer): GateParts {
  const m = l.gated ? 2 * l.d : l.d;
  const t = (shape: number[], seed: number, scale = 0.3) => ({ data: fill(shape.reduce((a, b) => a * b, 1), seed, scale), shape });
  return {
    wd: t([m, l.r, l.k], 1, 1 / Math.sqrt(l.r * l.k)), bd: l.bias ? t([m], 2) : undefined, wc: l.cond ? t([m, l.cond], 3) : undefined,
    wr: t([l.r, l.d], 4), br: l.bias ? t([l.r], 5) : undefined, ws: l.skip === 'conv' ? t([l.s, l.d], 6) : undefined, bs: l.bias && l.skip === 'conv' ? t([l.s], 7) : undefined,
    gated: l.gated, skip: l.skip,
  };
}

const macsPerStep = (l: Layer) => (l.gated ? 2 : 1) * l.d * (l.r * l.k + l.cond) + l.d * (l.r + (l.skip === 'conv' ? l.s : 0));
const weights = (l: Layer) => macsPerStep(l) + (l.bias ? (l.gated ? 2 : 1) * l.d + l.r + l.s : 0);

function layerRow(name: string, l: Layer, t: number, cpu = false): BenchCase {
  const n = t - (l.k - 1) * l.dil;
  const s = l.skip === 'conv' ? l.s : l.d;
  return {
    family: 'gate', name,
    flops: 2 * n * macsPerStep(l),
    bytes: 4 * (l.r * t + weights(l) + l.r * n + 2 * s * n + l.cond * n),
    setup: (gpu: Gpu) => {
      const w = gateWeights(gpu, parts(l));
      const x = gpu.tensor(fill(l.r * t, 11), [1, l.r, t]);
      const skip = gpu.zeros([1, s, n]);
      const cond = l.cond ? gpu.tensor(fill(l.cond * n, 12), [1, l.cond, n]) : undefined;
      return () => { gate(x, w, { dilation: l.dil, skip, cond }); };
    },
    cpu: cpu ? () => { gateRef(fill(l.r * t, 11), [1, l.r, t], parts(l), l.dil, l.cond ? { data: fill(l.cond * n, 12), shape: [1, l.cond, n] } : undefined); } : undefined,
  };
}

function stepRow(name: string, l: Layer, b: number, steps: number): BenchCase {
  return {
    family: 'gate', name,
    flops: 2 * b * steps * macsPerStep(l),
    bytes: 4 * steps * (weights(l) + b * (l.r * l.k + l.r + 2 * l.s)),
    setup: (gpu: Gpu) => {
      const w = gateWeights(gpu, parts(l));
      const h = gpu.tensor(fill(b * l.r, 13), [b, l.r]);
      const queue = gateQueue(gpu, b, w, l.dil);
      const state = gpu.tensor(new Uint32Array([5]), [1], 'u32');
      const out = gpu.empty([b, l.r]), skip = gpu.zeros([b, l.s]);
      const rec = gpu.record(() => { gateStep(h, w, { dilation: l.dil, queue, state, out, skip }); });
      return () => { for (let i = 0; i < steps; i++) rec.replay(); };
    },
  };
}

const VIOLIN: Layer = { r: 64, d: 64, s: 64, k: 2, dil: 8, gated: true, skip: 'conv', cond: 0, bias: false };
const NAM: Layer = { r: 16, d: 16, s: 16, k: 3, dil: 64, gated: false, skip: 'identity', cond: 1, bias: true };
const WIDE: Layer = { r: 128, d: 128, s: 128, k: 2, dil: 4, gated: true, skip: 'conv', cond: 0, bias: true };

export const cases: BenchCase[] = [
  layerRow('gate pytorch-wavenet layer (R=D=S=64, k2, dil 8) T=16384', VIOLIN, 16384),
  layerRow('gate NAM A1 layer (16 ch, k3, dil 64, input mixin, head sum) T=48000', NAM, 48000, true),
  layerRow('gate wide layer (R=D=S=128, k2: workgroup-tile kernel) T=4096', WIDE, 4096),
  stepRow('gate step (R=D=S=64, k2, dil 64) B=1, 64 steps', { ...VIOLIN, dil: 64 }, 1, 64),
  stepRow('gate step (R=D=S=64, k2, dil 64) B=8, 64 steps', { ...VIOLIN, dil: 64 }, 8, 64),
];
