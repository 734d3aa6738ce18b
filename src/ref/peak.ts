/**
 * Reference of the FMA-peak recurrence in float64: for thread i, chain c (0..7), lane l (0..3),
 * v(0) = i * seedStep + c + l / 4 and v(k + 1) = a * v(k) + b; the output is the sum of the 32
 * values after `iters` steps. Closed form: v(k) = a^k (v0 - f) + f with f = b / (1 - a).
 */
export function fmaPeakRef(n: number, iters: number, a = 0.5, b = 0.25, seedStep = 1e-3): Float64Array {
  const out = new Float64Array(n);
  const f = b / (1 - a), ak = a ** iters;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < 8; c++) {
      for (let l = 0; l < 4; l++) {
        const v0 = Math.fround(i * seedStep) + c + l / 4;
        sum += ak * (v0 - f) + f;
      }
    }
    out[i] = sum;
  }
  return out;
}
