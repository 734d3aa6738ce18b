/**
 * Float64 building blocks for Kaiser-window FIR design (used by the PQMF and resampling filter
 * designs). Plain CPU maths, no GPU imports; each function follows the textbook definition:
 *   I0(x)        modified Bessel function of the first kind, order 0 (power series)
 *   kaiser(N, b) w[n] = I0(b sqrt(1 - (2n/(N-1) - 1)^2)) / I0(b), symmetric
 *   kaiserBeta/kaiserOrder  Kaiser's empirical formulas (as in scipy.signal.kaiser_beta/kaiserord)
 */

/** I0(x) = sum_k ((x/2)^k / k!)^2. Terms are positive, so the series is summed until it stops changing. */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1, sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return sum;
}

/** Symmetric Kaiser window of n points (n = 1 gives [1]). */
export function kaiserWindow(n: number, beta: number): Float64Array {
  const w = new Float64Array(n);
  if (n === 1) { w[0] = 1; return w; }
  const alpha = (n - 1) / 2, denom = besselI0(beta);
  for (let i = 0; i < n; i++) {
    const r = (i - alpha) / alpha;
    w[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / denom;
  }
  return w;
}

/** Kaiser's beta for a stopband attenuation of `atten` dB (positive). */
export function kaiserBeta(atten: number): number {
  if (atten > 50) return 0.1102 * (atten - 8.7);
  if (atten > 21) return 0.5842 * Math.pow(atten - 21, 0.4) + 0.07886 * (atten - 21);
  return 0;
}

/**
 * Kaiser's length estimate: taps for `atten` dB with a transition width `width` (fraction of
 * Nyquist), and the matching beta. Same formula as scipy.signal.kaiserord.
 */
export function kaiserOrder(atten: number, width: number): { taps: number; beta: number } {
  const a = Math.abs(atten);
  if (a < 8) throw new RangeError(`kaiserOrder: attenuation ${a} dB is below the formula's 8 dB range`);
  return { taps: Math.ceil((a - 7.95) / 2.285 / (Math.PI * width) + 1), beta: kaiserBeta(a) };
}

/** Normalised sinc: sin(pi x) / (pi x), 1 at 0. */
export function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

/**
 * Windowed-sinc low-pass of `taps` points centred at (taps-1)/2, cutoff `f` as a fraction of
 * Nyquist, unscaled: h[n] = f sinc(f (n - (taps-1)/2)) w[n] (scipy.signal.firwin with scale=False).
 */
export function windowedSinc(taps: number, f: number, window: Float64Array): Float64Array {
  const h = new Float64Array(taps), alpha = (taps - 1) / 2;
  for (let i = 0; i < taps; i++) h[i] = f * sinc(f * (i - alpha)) * window[i];
  return h;
}
