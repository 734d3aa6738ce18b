/**
 * NSynth WaveNet autoencoder at the official h512_bo16 size with random weights: fast generation
 * (samples/s as the real-time factor over 16 kHz audio; one run = STEPS recorded steps, each
 * reading every decoder weight once, so GB/s is the step's weight traffic) and the 30-layer
 * encoder over a short clip (real-time factor).
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import type { AeDecoderParams, AeEncoderParams, Conv } from '../../src/models/nsynth/ae.js';
import { cycleDilations } from '../../src/models/nsynth/ae.js';
import { AeDecoder } from '../../src/models/nsynth/decoder.js';
import { AeEncoder } from '../../src/models/nsynth/encoder.js';
import { GenerationSession } from '../../src/models/nsynth/generate.js';
import { AeDecoderStepRef } from '../../src/ref/nsynth_step.js';
import { NSYNTH, NSYNTH_FIRST_CLASS, NSYNTH_SIZES, nsynthInputTable } from '../../src/models/nsynth/config.js';

/** Uniform(+-sqrt(3 / fan_in)) weights and small biases from an LCG (fast for 60M values). */
export function randomConv(cout: number, cin: number, k: number, seed: number): Conv {
  let s = seed >>> 0;
  const next = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 31 - 1; };
  const lim = Math.sqrt(3 / (cin * k));
  const w = new Float32Array(cout * cin * k);
  for (let i = 0; i < w.length; i++) w[i] = next() * lim;
  const b = Float32Array.from({ length: cout }, () => next() * 0.1);
  return { w: { data: w, shape: [cout, cin, k] }, b: { data: b, shape: [cout] } };
}

export interface DecoderSize { layers: number; r: number; s: number; z: number; k: number; ks: number; classes: number }
export interface EncoderSize { layers: number; c: number; z: number }

export function randomDecoder(d: DecoderSize): AeDecoderParams {
  return {
    start: randomConv(d.r, 1, d.ks, 1), skipStart: randomConv(d.s, d.r, 1, 2),
    layers: Array.from({ length: d.layers }, (_, i) => ({
      dil: randomConv(2 * d.r, d.r, d.k, 10 + 4 * i), cond: randomConv(2 * d.r, d.z, 1, 11 + 4 * i),
      res: randomConv(d.r, d.r, 1, 12 + 4 * i), skip: randomConv(d.s, d.r, 1, 13 + 4 * i),
    })),
    out1: randomConv(d.s, d.s, 1, 3), condOut: randomConv(d.s, d.z, 1, 4), logits: randomConv(d.classes, d.s, 1, 5),
  };
}

export function randomEncoder(e: EncoderSize): AeEncoderParams {
  return {
    start: randomConv(e.c, 1, 3, 21),
    layers: Array.from({ length: e.layers }, (_, i) => ({ dil: randomConv(e.c, e.c, 3, 30 + 2 * i), res: randomConv(e.c, e.c, 1, 31 + 2 * i) })),
    bottleneck: randomConv(e.z, e.c, 1, 22),
  };
}

/** Multiply-adds of one generation step (the conditioning is precomputed per frame). */
export function stepMacs(d: DecoderSize): number {
  const layer = d.k * d.r * 2 * d.r + d.r * (d.r + d.s);
  return d.ks * d.r + d.r * d.s + d.layers * layer - d.r * d.r + d.s * d.s + d.s * d.classes;
}

/** Weight floats one step reads. */
export function stepWeights(d: DecoderSize): number {
  return stepMacs(d) + d.layers * (2 * d.r + d.r + d.s) + d.r + 2 * d.s + d.classes;
}

/**
 * `steps` recorded generation steps of one stream; the CPU column is the same steps by the
 * plain-JS queue reference (src/ref/nsynth_step.ts, float64).
 */
export function generationCase(family: string, name: string, d: DecoderSize, dilations: number[], hop: number, table: Float32Array, firstClass: number, steps: number, split?: number): BenchCase {
  const frames = 64, spec = { dilations, hop, inputTable: table, firstClass };
  const encoding = () => randomConv(d.z, frames, 1, 99).w.data;
  let ref: AeDecoderStepRef | null = null;
  return {
    family, name,
    flops: 2 * stepMacs(d) * steps,
    bytes: 4 * stepWeights(d) * steps,
    audioSeconds: steps / 16000,
    setup: (gpu: Gpu) => {
      const dec = new AeDecoder(gpu, randomDecoder(d), spec, 'generate');
      const enc = gpu.tensor(encoding(), [1, d.z, frames]);
      const session = new GenerationSession(dec, enc, { samples: frames * hop, seed: 1, split });
      return () => session.replay(steps);
    },
    cpu: () => {
      const e = encoding();
      ref ??= new AeDecoderStepRef(randomDecoder(d), spec, Array.from({ length: d.z }, (_, z) => e.subarray(z * frames, (z + 1) * frames)));
      for (let i = 0; i < steps; i++) ref.step(firstClass);
    },
  };
}

export function encoderCase(family: string, name: string, e: EncoderSize, dilations: number[], preRelu: boolean, pool: number, samples: number): BenchCase {
  const macs = samples * (3 * e.c + e.layers * (3 * e.c * e.c + e.c * e.c) + e.c * e.z);
  return {
    family, name,
    flops: 2 * macs,
    audioSeconds: samples / 16000,
    setup: (gpu: Gpu) => {
      const enc = new AeEncoder(gpu, randomEncoder(e), { dilations, preRelu, pool });
      const x = gpu.tensor(randomConv(1, samples, 1, 7).w.data, [1, samples]);
      return () => { enc.forward(x); };
    },
  };
}

const S = NSYNTH_SIZES;
const DEC: DecoderSize = { layers: S.layers, r: S.width, s: S.skipWidth, z: S.bottleneck, k: S.kernel, ks: S.kernel, classes: S.classes };

export const cases: BenchCase[] = [
  generationCase('nsynth', `nsynth fast generation h512_bo16 (30 layers, 512/256) B=1, 8 samples`, DEC, cycleDilations(S.layers, NSYNTH.stages), NSYNTH.hop, nsynthInputTable(), NSYNTH_FIRST_CLASS, 8),
  encoderCase('nsynth', `nsynth encoder (30 layers, 128 ch) 2048 samples`, { layers: S.aeLayers, c: S.aeWidth, z: S.bottleneck }, cycleDilations(S.aeLayers, NSYNTH.aeStages), true, NSYNTH.hop, 2048),
];
