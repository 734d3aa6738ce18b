/**
 * WaveNet benchmark rows, random weights (no checkpoint needed):
 *  - fast generation (per-layer queues, one recorded step replayed per sample) at the size of the
 *    published pytorch-wavenet violin model (14 layers, 64/64/64, 128 classes, scalar input) for
 *    B = 1 and 4, and at nv-wavenet's reference size (20 layers, 64 residual, 256 skip, 256-wide
 *    two-layer head, 256 classes, one-hot input); audioSeconds = samples produced / 44.1 kHz, so
 *    the real-time column is samples/s over 44,100;
 *  - the same on the persistent kernel (one workgroup per stream, 64 samples per dispatch);
 *  - the naive baseline that recomputes the receptive field for every sample;
 *  - the teacher-forced forward pass over 4096 + 254 samples.
 * FLOPs count 2 per multiply-add of the layers, start conv and head.
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import type { HostTensor } from '../../src/ops/gate.js';
import { loadWaveNet, type StateDict } from '../../src/models/wavenet/load.js';
import { Generator, RecomputeGenerator } from '../../src/models/wavenet/generate.js';
import { PersistentGenerator } from '../../src/models/wavenet/persist.js';
import { dilationsOf, receptiveField, type WaveNetConfig } from '../../src/models/wavenet/config.js';

interface Size { layers: number; blocks: number; r: number; d: number; s: number; e: number; classes: number; onehot: boolean }

function tensor(shape: number[], seed: number, scale: number): HostTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; data[i] = (s / 2 ** 31 - 1) * scale; }
  return { data, shape };
}

/** A pytorch-wavenet state dict of random weights. */
function randomStateDict(z: Size): StateDict {
  const sd: StateDict = new Map();
  sd.set('start_conv.weight', tensor([z.r, z.onehot ? z.classes : 1, 1], 1, 1));
  for (let i = 0; i < z.layers * z.blocks; i++) {
    sd.set(`dilated_convs.${i}.weight`, tensor([2 * z.d, z.r, 2], 10 + i, 1 / Math.sqrt(2 * z.r)));
    sd.set(`residual_convs.${i}.weight`, tensor([z.r, z.d, 1], 100 + i, 1 / Math.sqrt(z.d)));
    sd.set(`skip_convs.${i}.weight`, tensor([z.s, z.d, 1], 200 + i, 1 / Math.sqrt(z.d)));
  }
  if (z.e) {
    sd.set('end_conv_1.weight', tensor([z.e, z.s, 1], 2, 1 / Math.sqrt(z.s)));
    sd.set('end_conv_1.bias', tensor([z.e], 3, 0.1));
    sd.set('end_conv_2.weight', tensor([z.classes, z.e, 1], 4, 1 / Math.sqrt(z.e)));
    sd.set('end_conv_2.bias', tensor([z.classes], 5, 0.1));
  } else {
    sd.set('end_conv.weight', tensor([z.classes, z.s, 1], 4, 1 / Math.sqrt(z.s)));
    sd.set('end_conv.bias', tensor([z.classes], 5, 0.1));
  }
  return sd;
}

const config = (z: Size): Partial<WaveNetConfig> => ({ layers: z.layers, blocks: z.blocks });

/** Multiply-adds of one generation step (or one teacher-forced output). */
function stepMacs(z: Size): number {
  const layers = z.layers * z.blocks;
  return z.r + layers * (2 * z.d * z.r * 2 + z.d * (z.r + z.s)) - z.d * z.r + (z.e ? z.s * z.e + z.e * z.classes : z.s * z.classes);
}

function generationRow(name: string, z: Size, b: number, steps: number, persistent = false): BenchCase {
  return {
    family: 'wavenet', name,
    flops: 2 * stepMacs(z) * b * steps,
    audioSeconds: (b * steps) / 44100,
    setup: (gpu: Gpu) => {
      const m = loadWaveNet(gpu, randomStateDict(z), config(z));
      const opts = { samples: 1 << 20, batch: b, seed: 1, stepsPerSubmit: steps, stepsPerDispatch: steps };
      const gen = persistent ? new PersistentGenerator(m, opts) : new Generator(m, opts);
      return () => gen.steps(steps);
    },
  };
}

function recomputeRow(name: string, z: Size, steps: number): BenchCase {
  const rf = receptiveField({ layers: z.layers, blocks: z.blocks, kernelSize: 2 });
  return {
    family: 'wavenet', name,
    flops: 2 * steps * dilationsOf({ layers: z.layers, blocks: z.blocks }).reduce((a, d, i, all) => {
      const out = rf - all.slice(0, i + 1).reduce((x, y) => x + y, 0);   // steps computed by layer i
      return a + out * (2 * z.d * z.r * 2 + z.d * (z.r + z.s));
    }, 0),
    audioSeconds: steps / 44100,
    setup: (gpu: Gpu) => {
      const m = loadWaveNet(gpu, randomStateDict(z), config(z));
      const gen = new RecomputeGenerator(m, { samples: 1 << 16, seed: 1 });
      return () => gen.steps(steps);
    },
  };
}

function forwardRow(name: string, z: Size, outputs: number): BenchCase {
  const t = outputs + receptiveField({ layers: z.layers, blocks: z.blocks, kernelSize: 2 }) - 1;
  return {
    family: 'wavenet', name,
    flops: 2 * stepMacs(z) * outputs,
    audioSeconds: outputs / 44100,
    setup: (gpu: Gpu) => {
      const m = loadWaveNet(gpu, randomStateDict(z), config(z));
      const x = gpu.tensor(tensor([t], 9, 1).data);
      return () => { m.forward(x); };
    },
  };
}

const VIOLIN: Size = { layers: 7, blocks: 2, r: 64, d: 64, s: 64, e: 0, classes: 128, onehot: false };
const NV: Size = { layers: 10, blocks: 2, r: 64, d: 64, s: 256, e: 256, classes: 256, onehot: true };

export const cases: BenchCase[] = [
  generationRow('wavenet fast generation, violin size (14 layers 64/64/64, 128 classes) B=1, 64 samples', VIOLIN, 1, 64),
  generationRow('wavenet fast generation, violin size B=4, 64 samples per stream', VIOLIN, 4, 64),
  generationRow('wavenet fast generation, nv-wavenet size (20 layers, R=64, S=256, head 256, 256 classes) B=1, 64 samples', NV, 1, 64),
  generationRow('wavenet persistent generation (1 workgroup/stream, 64 samples/dispatch), violin size B=1, 64 samples', VIOLIN, 1, 64, true),
  generationRow('wavenet persistent generation, violin size B=4, 64 samples per stream', VIOLIN, 4, 64, true),
  recomputeRow('wavenet full-recompute generation (naive baseline), violin size B=1, 2 samples', VIOLIN, 2),
  forwardRow('wavenet teacher-forced forward, violin size, 4096 outputs', VIOLIN, 4096),
];
