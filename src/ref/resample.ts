/**
 * CPU reference for rational resampling (float64), written from the upfirdn definition:
 *   x_u[k] = x[k / up] when up divides k (0 <= k / up < n), else 0      (zero insertion)
 *   y[m]   = up * sum_j h[j] x_u[m * down + L - j],  m = 0 .. ceil(n up / down) - 1
 * with h the 2L + 1 taps centred at L: scipy.signal.resample_poly(x, up, down, window=h) with its
 * default zero padding. Rows of [..., n] are resampled independently; the sum skips the
 * inserted zeros (only every up-th tap meets a sample).
 */
export function resampleRef(x: ArrayLike<number>, n: number, up: number, down: number, h: ArrayLike<number>): Float64Array {
  const rows = x.length / n, nOut = Math.ceil((n * up) / down), L = (h.length - 1) / 2;
  const y = new Float64Array(rows * nOut);
  for (let b = 0; b < rows; b++) {
    for (let m = 0; m < nOut; m++) {
      // x_u[P - j] is nonzero only where up divides P - j: j = P mod up, + up, + 2 up, ...
      const P = m * down + L;
      let acc = 0;
      for (let j = P % up; j < h.length; j += up) {
        const i = (P - j) / up;
        if (i >= 0 && i < n) acc += h[j] * x[b * n + i];
      }
      y[b * nOut + m] = up * acc;
    }
  }
  return y;
}
