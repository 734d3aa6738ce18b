/**
 * Neural Amp Modeler benchmark rows: the "standard" A1 WaveNet (2 layer arrays x 10 layers,
 * 16 and 8 channels, kernel 3, dilations 1..512; 13,802 weights, random here) streaming one second
 * of 48 kHz audio, in 8192-sample blocks and in 512-sample blocks (smaller blocks = lower latency,
 * more dispatches). The real-time column is seconds of audio per second.
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import { loadNam } from '../../src/models/nam/load.js';

const SR = 48000;
const DIL = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const CONFIG = {
  layers: [
    { input_size: 1, condition_size: 1, head_size: 8, channels: 16, kernel_size: 3, dilations: DIL, activation: 'Tanh', gated: false, head_bias: false },
    { input_size: 16, condition_size: 1, head_size: 1, channels: 8, kernel_size: 3, dilations: DIL, activation: 'Tanh', gated: false, head_bias: true },
  ],
  head: null, head_scale: 0.02,
};

function weightCount(): number {
  return CONFIG.layers.reduce((n, l) => n + l.channels * l.input_size + l.dilations.length * (l.channels * l.channels * 3 + 2 * l.channels + l.channels * l.channels + l.channels) + l.head_size * l.channels + (l.head_bias ? l.head_size : 0), 0) + 1;
}

/** Multiply-adds per sample. */
const macs = CONFIG.layers.reduce((n, l) => n + l.channels * l.input_size + l.dilations.length * (l.channels * (l.channels * 3 + 1) + l.channels * l.channels) + l.head_size * l.channels, 0);

function namJson(): string {
  let s = 7;
  const weights = Array.from({ length: weightCount() }, () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s / 2 ** 31 - 1) * 0.3; });
  weights[weights.length - 1] = 0.02;
  return JSON.stringify({ version: '0.5.0', architecture: 'WaveNet', config: CONFIG, weights, sample_rate: SR });
}

function row(block: number): BenchCase {
  return {
    family: 'nam', name: `nam A1 standard (2 x 10 layers, 16/8 ch, k3), 1 s @ 48 kHz in ${block}-sample blocks`,
    flops: 2 * macs * SR,
    audioSeconds: 1,
    setup: async (gpu: Gpu) => {
      const m = await loadNam(gpu, namJson(), { blockSize: block });
      const x = gpu.tensor(Float32Array.from({ length: SR }, (_, i) => 0.3 * Math.sin(i * 0.05)), [1, SR]);
      return () => { m.run(x); };
    },
  };
}

export const cases: BenchCase[] = [row(8192), row(512)];
