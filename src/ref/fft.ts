/**
 * CPU references for the FFT family, float64 throughout, no GPU imports. Complex arrays are
 * interleaved [re, im] like the GPU layout. dftRef is the definition (O(n^2), exact angle
 * reduction); fftRef is an iterative radix-2 decimation-in-time Cooley-Tukey (bit reversal, then
 * butterflies) with every twiddle computed directly from its angle, checked against dftRef.
 */

/** Direct DFT of each of the `x.length / (2 n)` lines: X_k = sum_j x_j exp(-+2 pi i jk / n). */
export function dftRef(x: ArrayLike<number>, n: number, inverse = false): Float64Array {
  const lines = x.length / (2 * n);
  const out = new Float64Array(x.length);
  const sign = inverse ? 1 : -1;
  for (let l = 0; l < lines; l++) {
    const o = 2 * n * l;
    for (let k = 0; k < n; k++) {
      let re = 0, im = 0;
      for (let j = 0; j < n; j++) {
        const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
        const c = Math.cos(a), s = Math.sin(a);
        re += x[o + 2 * j] * c - x[o + 2 * j + 1] * s;
        im += x[o + 2 * j] * s + x[o + 2 * j + 1] * c;
      }
      out[o + 2 * k] = inverse ? re / n : re;
      out[o + 2 * k + 1] = inverse ? im / n : im;
    }
  }
  return out;
}

function bitReverse(i: number, bits: number): number {
  let r = 0;
  for (let b = 0; b < bits; b++) { r = (r << 1) | (i & 1); i >>= 1; }
  return r;
}

/** In-place radix-2 FFT of one line of n = 2^bits complex values at offset o (unnormalised). */
function fftLine(a: Float64Array, o: number, n: number, sign: number): void {
  const bits = Math.round(Math.log2(n));
  for (let i = 0; i < n; i++) {
    const j = bitReverse(i, bits);
    if (j > i) {
      const tr = a[o + 2 * i], ti = a[o + 2 * i + 1];
      a[o + 2 * i] = a[o + 2 * j]; a[o + 2 * i + 1] = a[o + 2 * j + 1];
      a[o + 2 * j] = tr; a[o + 2 * j + 1] = ti;
    }
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    for (let k = 0; k < half; k++) {
      const ang = (sign * 2 * Math.PI * k) / size;
      const wr = Math.cos(ang), wi = Math.sin(ang);
      for (let s = 0; s < n; s += size) {
        const p = o + 2 * (s + k), q = p + 2 * half;
        const br = a[q] * wr - a[q + 1] * wi, bi = a[q] * wi + a[q + 1] * wr;
        a[q] = a[p] - br; a[q + 1] = a[p + 1] - bi;
        a[p] += br; a[p + 1] += bi;
      }
    }
  }
}

/** FFT (or inverse, divided by n) of every line of n complex values; n a power of two. */
export function fftRef(x: ArrayLike<number>, n: number, inverse = false): Float64Array {
  const a = Float64Array.from(x);
  const lines = a.length / (2 * n);
  for (let l = 0; l < lines; l++) fftLine(a, 2 * n * l, n, inverse ? 1 : -1);
  if (inverse) for (let i = 0; i < a.length; i++) a[i] /= n;
  return a;
}

/** Half spectra [lines, n/2 + 1, 2] of real lines [lines, n] (via the full complex FFT). */
export function rfftRef(x: ArrayLike<number>, n: number): Float64Array {
  const lines = x.length / n;
  const z = new Float64Array(2 * x.length);
  for (let i = 0; i < x.length; i++) z[2 * i] = x[i];
  const full = fftRef(z, n);
  const bins = n / 2 + 1;
  const out = new Float64Array(lines * bins * 2);
  for (let l = 0; l < lines; l++) out.set(full.subarray(2 * n * l, 2 * n * l + 2 * bins), 2 * bins * l);
  return out;
}

/**
 * Real lines [lines, n] from half spectra [lines, n/2 + 1, 2]: the spectrum is completed by
 * Hermitian symmetry with the imaginary parts of bins 0 and n/2 dropped (numpy's irfft).
 */
export function irfftRef(X: ArrayLike<number>, n: number): Float64Array {
  const bins = n / 2 + 1;
  const lines = X.length / (2 * bins);
  const full = new Float64Array(lines * n * 2);
  for (let l = 0; l < lines; l++) {
    const s = 2 * bins * l, d = 2 * n * l;
    for (let k = 0; k < n; k++) {
      const kk = k < bins ? k : n - k;
      const sgn = k < bins ? 1 : -1;
      full[d + 2 * k] = X[s + 2 * kk];
      full[d + 2 * k + 1] = kk === 0 || kk === n / 2 ? 0 : sgn * X[s + 2 * kk + 1];
    }
  }
  const z = fftRef(full, n, true);
  const out = new Float64Array(lines * n);
  for (let i = 0; i < out.length; i++) out[i] = z[2 * i];
  return out;
}

/** Relative L2 error ||a - b|| / ||b||. */
export function relErrRef(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) { const d = a[i] - b[i]; num += d * d; den += b[i] * b[i]; }
  return Math.sqrt(num / Math.max(den, 1e-300));
}
