/**
 * CPU reference for mu-law companding and quantisation, from the formulas (float64 maths).
 *
 *   compress: y = sign(x) ln(1 + mu |x|) / ln(1 + mu)          x, y in [-1, 1]
 *   expand:   x = sign(y) ((1 + mu)^|y| - 1) / mu
 *
 * Three quantisers, each as published (C = classes):
 *   'round'    (WaveNet as in ibab/tensorflow-wavenet, torchaudio; C = mu + 1, usually 256):
 *              q = floor((y + 1) / 2 * mu + 0.5); companded value 2 q / mu - 1; audio = expand(that)
 *   'floor'    (NSynth, magenta utils.mu_law / inv_mu_law; C = mu + 1 = 256): s = floor(y C/2),
 *              q = s + C/2 (clamped to C - 1: y = 1 gives C); companded value s / (C/2);
 *              audio = expand((s + 0.5) * 2 / (mu + 1)), except 0 for s = 0
 *   'linspace' (pytorch-wavenet, mu = C = 128): bins = linspace(-1, 1, C),
 *              q = digitize(y, bins) - 1, i.e. the last q with bins[q] <= y; companded value bins[q];
 *              audio = expand(bins[q])
 * The input is clamped to [-1, 1] first (the quantisers then give classes in [0, C)).
 */

import type { MuLawSpec } from '../ops/mulaw.js';

export function compressValue(x: number, mu: number): number {
  return Math.sign(x) * Math.log1p(mu * Math.abs(x)) / Math.log1p(mu);
}

export function expandValue(y: number, mu: number): number {
  return Math.sign(y) * Math.expm1(Math.abs(y) * Math.log1p(mu)) / mu;
}

/** numpy.linspace(-1, 1, n): start + i * step, with the last point set to the stop exactly. */
export function linspaceBins(n: number): Float64Array {
  const bins = new Float64Array(n), step = 2 / (n - 1);
  for (let i = 0; i < n; i++) bins[i] = -1 + i * step;
  bins[n - 1] = 1;
  return bins;
}

/** Class of one sample (float64 maths). */
export function encodeValue(x: number, spec: MuLawSpec, bins?: Float64Array): number {
  const xc = Math.min(1, Math.max(-1, x));
  const y = compressValue(xc, spec.mu);
  if (spec.scheme === 'round') return Math.floor(((y + 1) / 2) * spec.mu + 0.5);
  if (spec.scheme === 'floor') return Math.min(Math.floor((y * spec.classes) / 2) + spec.classes / 2, spec.classes - 1);
  const b = bins ?? linspaceBins(spec.classes);
  let q = -1;
  for (let i = 0; i < b.length; i++) if (b[i] <= y) q = i;
  return q;
}

/** The companded value that stands for class q (model input form). */
export function compandedOf(q: number, spec: MuLawSpec, bins?: Float64Array): number {
  if (spec.scheme === 'round') return (2 * q) / spec.mu - 1;
  if (spec.scheme === 'floor') return (q - spec.classes / 2) / (spec.classes / 2);
  return (bins ?? linspaceBins(spec.classes))[q];
}

export function encodeRef(x: ArrayLike<number>, spec: MuLawSpec): Int32Array {
  const bins = spec.scheme === 'linspace' ? linspaceBins(spec.classes) : undefined;
  const out = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = encodeValue(x[i], spec, bins);
  return out;
}

/** Class -> companded value (what pytorch-wavenet feeds its first conv). */
export function compandedRef(q: ArrayLike<number>, spec: MuLawSpec): Float32Array {
  const bins = spec.scheme === 'linspace' ? linspaceBins(spec.classes) : undefined;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = compandedOf(q[i], spec, bins);
  return out;
}

/** The audio value that class q decodes to. */
function audioOf(q: number, spec: MuLawSpec, bins?: Float64Array): number {
  if (spec.scheme !== 'floor') return expandValue(compandedOf(q, spec, bins), spec.mu);
  const s = q - spec.classes / 2;
  return s === 0 ? 0 : expandValue(((s + 0.5) * 2) / (spec.mu + 1), spec.mu);
}

/** Class -> audio sample. */
export function decodeRef(q: ArrayLike<number>, spec: MuLawSpec): Float32Array {
  const bins = spec.scheme === 'linspace' ? linspaceBins(spec.classes) : undefined;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = audioOf(q[i], spec, bins);
  return out;
}

/** One-hot with the class axis inserted before the last (time) axis: [..., T] -> [..., C, T]. */
export function oneHotRef(q: ArrayLike<number>, time: number, classes: number): Float32Array {
  const outer = q.length / time;
  const out = new Float32Array(q.length * classes);
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < time; t++) out[(o * classes + q[o * time + t]) * time + t] = 1;
  }
  return out;
}

const clamp1 = (v: number) => Math.min(1, Math.max(-1, v));

/** The continuous curve on inputs clamped to [-1, 1]. */
export function compressRef(x: ArrayLike<number>, mu: number): Float32Array {
  return Float32Array.from(x, (v) => compressValue(clamp1(v), mu));
}

export function expandRef(y: ArrayLike<number>, mu: number): Float32Array {
  return Float32Array.from(y, (v) => expandValue(clamp1(v), mu));
}
