/**
 * Anti-aliasing / interpolation filter for rational resampling by up/down (float64, CPU).
 *
 * Kaiser-windowed sinc at the upsampled rate (up * fromRate), cutoff at `rolloff` times the lower
 * of the two Nyquist frequencies: fc = rolloff / max(up, down) as a fraction of the upsampled
 * Nyquist, h[j] = fc sinc(fc (j - L)) w[j], j = 0..2L, with L = zeros * max(up, down) (zeros:
 * one-sided length in low-rate samples) and w a Kaiser window; normalised to a DC gain of 1.
 * The defaults (32, 0.9, 8.6) give ~-86 dB passband ripple up to 0.8 and ~-87 dB stopband from
 * 1.0 of the lower Nyquist (scipy.signal.freqz of the taps, any ratio here).
 */
import { kaiserWindow, sinc } from './kaiser.js';

export interface ResampleFilterOptions {
  /** One-sided filter length in zero crossings of the lower rate (default 32). */
  zeros?: number;
  /** Cutoff as a fraction of the lower Nyquist (default 0.9). */
  rolloff?: number;
  /** Kaiser beta (default 8.6: ~86 dB stopband). */
  beta?: number;
}

export interface ResampleDesign {
  up: number;
  down: number;
  /** L: the filter has 2L + 1 taps, centred at L. */
  halfLen: number;
  /** [2L + 1] float64 taps, sum 1 (the resampler applies a gain of `up`). */
  taps: Float64Array;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** fromRate -> toRate as the reduced ratio up/down (integer rates, e.g. 44100 -> 48000 = 160/147). */
export function reduceRatio(fromRate: number, toRate: number): { up: number; down: number } {
  if (!Number.isSafeInteger(fromRate) || !Number.isSafeInteger(toRate) || fromRate < 1 || toRate < 1) {
    throw new RangeError(`resample: rates must be positive integers, got ${fromRate} -> ${toRate}`);
  }
  const g = gcd(fromRate, toRate);
  return { up: toRate / g, down: fromRate / g };
}

export function designResampleFilter(up: number, down: number, opts: ResampleFilterOptions = {}): ResampleDesign {
  const zeros = opts.zeros ?? 32, rolloff = opts.rolloff ?? 0.9, beta = opts.beta ?? 8.6;
  if (!Number.isInteger(zeros) || zeros < 1) throw new RangeError(`resample: zeros must be a positive integer, got ${zeros}`);
  if (!(rolloff > 0 && rolloff <= 1)) throw new RangeError(`resample: rolloff must be in (0, 1], got ${rolloff}`);
  if (!(beta >= 0)) throw new RangeError(`resample: beta must be >= 0, got ${beta}`);
  const m = Math.max(up, down), fc = rolloff / m, halfLen = zeros * m, n = 2 * halfLen + 1;
  const w = kaiserWindow(n, beta), taps = new Float64Array(n);
  let sum = 0;
  for (let j = 0; j < n; j++) { taps[j] = fc * sinc(fc * (j - halfLen)) * w[j]; sum += taps[j]; }
  for (let j = 0; j < n; j++) taps[j] /= sum;
  return { up, down, halfLen, taps };
}

/**
 * Polyphase layout for the GPU: phase p holds up * taps[p + r * up], r = 0..R-1, zero-padded to
 * R = ceil((2L + 1) / up) taps. Returns [up, R] row-major as f32.
 */
export function polyphaseTaps(d: ResampleDesign): { taps: Float32Array; perPhase: number } {
  const R = Math.ceil(d.taps.length / d.up), out = new Float32Array(d.up * R);
  for (let p = 0; p < d.up; p++) {
    for (let r = 0; r < R; r++) {
      const j = p + r * d.up;
      if (j < d.taps.length) out[p * R + r] = d.up * d.taps[j];
    }
  }
  return { taps: out, perPhase: R };
}

/** Output length of resampling n samples: ceil(n * up / down) (scipy.signal.resample_poly). */
export function resampledLength(n: number, up: number, down: number): number {
  return Math.ceil((n * up) / down);
}
