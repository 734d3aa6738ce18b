/**
 * CPU reference for Griffin-Lim (torchaudio.functional.griffinlim with fast Griffin-Lim
 * momentum), float64 through the STFT references, no GPU imports. Spectrograms [B, bins, F].
 */
import { stftRef, istftRef } from './stft.js';

/** PCG-RXS-M-XS 32-bit output permutation of v (u32 arithmetic). */
export function pcgHashRef(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** Initial phase of flat spectrogram index i: 2 pi u, u = 24 hash bits / 2^24. */
export function initPhaseRef(i: number, seed: number): number {
  const h = pcgHashRef((i + pcgHashRef(seed)) >>> 0);
  return (2 * Math.PI * (h >>> 8)) / 16777216;
}

export interface GriffinLimRefOptions {
  nFft: number; hop: number; window: ArrayLike<number>; nIter: number; momentum: number;
  random: boolean; seed: number; length?: number;
}

/** ||S - |X| ||_F / ||S||_F for magnitudes S [N] and complex X [N, 2]. */
export function spectralConvergenceRef(S: ArrayLike<number>, X: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < S.length; i++) {
    const d = S[i] - Math.hypot(X[2 * i], X[2 * i + 1]);
    num += d * d;
    den += S[i] * S[i];
  }
  return Math.sqrt(num / den);
}

/** Returns the signal [B, length] and the spectral convergence entering each iteration and of the output. */
export function griffinLimRef(S: ArrayLike<number>, B: number, frames: number, o: GriffinLimRefOptions): { y: Float64Array; sc: number[] } {
  const length = o.length ?? o.hop * (frames - 1);
  const so = { nFft: o.nFft, hop: o.hop, window: o.window };
  let X = new Float64Array(2 * S.length);
  for (let i = 0; i < S.length; i++) {
    const phi = o.random ? initPhaseRef(i, o.seed) : 0;
    X[2 * i] = S[i] * Math.cos(phi);
    X[2 * i + 1] = S[i] * Math.sin(phi);
  }
  const rebuild = (spec: Float64Array) => stftRef(istftRef(spec, B, frames, { ...so, length }), B, length, so).data;
  const sc: number[] = [];
  const beta = o.momentum / (1 + o.momentum);
  let prev: Float64Array | null = null;
  for (let it = 0; it < o.nIter; it++) {
    const R = rebuild(X);
    sc.push(spectralConvergenceRef(S, R));
    const next = new Float64Array(X.length);
    for (let i = 0; i < S.length; i++) {
      const ar = R[2 * i] - (prev ? beta * prev[2 * i] : 0), ai = R[2 * i + 1] - (prev ? beta * prev[2 * i + 1] : 0);
      const k = S[i] / (Math.hypot(ar, ai) + 1e-16);
      next[2 * i] = ar * k;
      next[2 * i + 1] = ai * k;
    }
    prev = R;
    X = next;
  }
  const y = istftRef(X, B, frames, { ...so, length });
  sc.push(spectralConvergenceRef(S, stftRef(y, B, length, so).data));
  return { y, sc };
}
