/**
 * CPU reference for PQMF analysis and synthesis (float64), from the filter-bank definitions in
 * src/dsp/pqmf_design.ts (the filters themselves are checked against numpy separately):
 *   analysis:  b_k[n] = s_k(n) sum_j analysis[k, j] x[n M + j - padA]        (x = 0 outside)
 *   synthesis: u_k = M * zero-inserted s_k(m) b_k[m] (u_k[m M] = M s_k(m) b_k[m], 0 elsewhere),
 *              y[t] = sum_k sum_j synthesis[k, j] u_k[t + j - padS],  t < N M
 * Synthesis is written as a scatter over the nonzero u_k (each band sample adds its filter).
 */
import { analysisFrames, type PqmfDesign } from '../dsp/pqmf_design.js';

const sign = (d: PqmfDesign, k: number, n: number) => (d.flipSigns && k % 2 === 1 && n % 2 === 0 ? -1 : 1);

/** x: [B, T] -> [B, M, frames] */
export function pqmfAnalysisRef(x: ArrayLike<number>, B: number, T: number, d: PqmfDesign): Float64Array {
  const M = d.bands, L = d.length, F = analysisFrames(d, T), y = new Float64Array(B * M * F);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < M; k++) {
      for (let n = 0; n < F; n++) {
        let acc = 0;
        for (let j = 0; j < L; j++) {
          const i = n * M + j - d.padA;
          if (i >= 0 && i < T) acc += d.analysis[k * L + j] * x[b * T + i];
        }
        y[(b * M + k) * F + n] = sign(d, k, n) * acc;
      }
    }
  }
  return y;
}

/** bands: [B, M, N] -> [B, N M] */
export function pqmfSynthesisRef(bands: ArrayLike<number>, B: number, N: number, d: PqmfDesign): Float64Array {
  const M = d.bands, L = d.length, T = N * M, y = new Float64Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < M; k++) {
      for (let m = 0; m < N; m++) {
        const u = M * sign(d, k, m) * bands[(b * M + k) * N + m];
        // u sits at position m M; it reaches y[t] through tap j = m M - t + padS
        for (let j = 0; j < L; j++) {
          const t = m * M + d.padS - j;
          if (t >= 0 && t < T) y[b * T + t] += d.synthesis[k * L + j] * u;
        }
      }
    }
  }
  return y;
}

export interface PqmfFigure {
  /** Expected reconstruction error energy per sample for unit-variance white noise. */
  mse: number;
  /** -10 log10(mse): the analysis -> synthesis SNR the design promises for white noise. */
  snrDb: number;
}

/**
 * The design's reconstruction figure: analysis -> synthesis is linear and M-periodic, so its
 * responses r_p to a unit impulse at each phase p of an unbounded signal give the error
 * sum_t (r_p[t] - delta[t - p])^2; averaged over p it is the error variance for white noise.
 * (The band signs s_k(n) appear twice and cancel.)
 */
export function pqmfDesignFigure(d: PqmfDesign): PqmfFigure {
  const M = d.bands, L = d.length;
  // impulse at q = base + p; frames n with 0 <= q - n M + padA < L; outputs t = n M + padS - j
  const base = Math.ceil((L + d.padA + d.padS) / M) * M, span = 2 * base + 2 * L;
  let total = 0;
  for (let p = 0; p < M; p++) {
    const q = base + p, r = new Float64Array(span);
    for (let k = 0; k < M; k++) {
      for (let n = 0; n * M <= q + d.padA; n++) {
        const ja = q - n * M + d.padA;
        if (ja >= L) continue;
        const a = M * d.analysis[k * L + ja];
        for (let j = 0; j < L; j++) r[n * M + d.padS - j + L] += a * d.synthesis[k * L + j];
      }
    }
    for (let t = 0; t < span; t++) total += (r[t] - (t === q + L ? 1 : 0)) ** 2;
  }
  const mse = total / M;
  return { mse, snrDb: -10 * Math.log10(mse) };
}

/** 10 log10(sum x^2 / sum (y - x)^2) over [from, to). */
export function snrDb(y: ArrayLike<number>, x: ArrayLike<number>, from = 0, to = x.length): number {
  let num = 0, den = 0;
  for (let i = from; i < to; i++) { num += x[i] * x[i]; den += (y[i] - x[i]) ** 2; }
  return 10 * Math.log10(num / den);
}
