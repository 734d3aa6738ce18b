/** CPU reference for FFT convolution: direct convolution in float64 (no GPU imports). */

/** Full linear convolution of each row of x [B, T] with h [K] (or row b of h [B, K]): [B, T + K - 1]. */
export function convolveRef(x: ArrayLike<number>, B: number, T: number, h: ArrayLike<number>, K: number, hBatched = false): Float64Array {
  const L = T + K - 1;
  const y = new Float64Array(B * L);
  for (let b = 0; b < B; b++) {
    const ho = hBatched ? b * K : 0;
    for (let t = 0; t < T; t++) {
      const v = x[b * T + t];
      if (v === 0) continue;
      for (let k = 0; k < K; k++) y[b * L + t + k] += v * h[ho + k];
    }
  }
  return y;
}

/** The part of full outputs [B, T + K - 1] a mode keeps: 'full', 'same' (centred, T) or 'causal' (first T). */
export function convModeRef(full: Float64Array, B: number, T: number, K: number, mode: 'full' | 'same' | 'causal'): Float64Array {
  if (mode === 'full') return full;
  const L = T + K - 1, start = mode === 'same' ? Math.floor((K - 1) / 2) : 0;
  const out = new Float64Array(B * T);
  for (let b = 0; b < B; b++) out.set(full.subarray(b * L + start, b * L + start + T), b * T);
  return out;
}
