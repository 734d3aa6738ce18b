/**
 * Seeded random DDSP weights with the real models' shapes and the graph's constants (the values
 * readDdspWeights reads from magenta's model.json, written out here): for benchmarks and for
 * tests that run without ../shared. The audio is noise-like; the work is exactly the real one's.
 */
import { DDSP } from './config.js';
import type { DdspConv, DdspWeights } from './weights.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Periodic hann window of n samples, optionally rotated by n/2 (zero-phase form). */
export function hann(n: number, shifted = false): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * ((i + (shifted ? n / 2 : 0)) % n)) / n));
}

export function syntheticDdspWeights(seed = 1): DdspWeights {
  const r = rng(seed);
  const { channels: C, kernel: K, harmonics: H, noiseBands: NB, hop, irSize: I } = DDSP;
  const vec = (n: number, scale: number, offset = 0) => Float32Array.from({ length: n }, () => offset + scale * (2 * r() - 1));
  const conv = (cin: number, dilation: number): DdspConv => ({ w: vec(C * cin * K, 1 / Math.sqrt(cin * K)), cin, b: vec(C, 0.05), dilation });
  const layers = Array.from({ length: DDSP.layers }, (_, i) => ({ ...conv(C, 2 ** (i % 8)), gamma: vec(C, 0.1, 1), beta: vec(C, 0.05) }));
  const width = 1 + H + NB;
  const es = { max: 2, exponent: Math.fround(Math.log(10)), eps: Math.fround(1e-7) };
  return {
    convIn: conv(2, 1), layers,
    dense: { w: vec(C * width, 1 / Math.sqrt(C)), b: vec(width, 0.05) },
    normEps: Math.fround(1e-5),
    features: {
      ldScale: Math.fround(1 / 120), ldShift: 1, log2e: Math.fround(Math.LOG2E), log2of440: Math.fround(Math.log2(440)),
      semitones: 12, midiA4: 69, midiScale: Math.fround(1 / 127),
    },
    controls: { amp: es, dist: es, noise: es, noiseBias: -5, nyquist: 8000 },
    synth: {
      harmonicNumbers: Float32Array.from({ length: H }, (_, k) => k + 1),
      ampWindow: hann(2 * hop), noiseWindow: hann(I, true),
      omegaScale: Math.fround(Math.fround(2 * Math.PI) / 16000), twoPi: Math.fround(2 * Math.PI), nyquist: 8000, chunk: 1000,
      noiseScale: 2, noiseMin: -1, crop: (I - 1) / 2 - 1 | 0,
    },
  };
}
