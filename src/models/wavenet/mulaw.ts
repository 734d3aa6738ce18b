/**
 * Host-side mu-law companding as pytorch-wavenet trains it (WavenetData.quantize_data):
 *   mu_x = sign(x) * log(1 + mu |x|) / log(1 + mu);  bins = linspace(-1, 1, classes);
 *   q = digitize(mu_x, bins) - 1;  network input = bins[q] (the companded value, not the audio).
 * Decoding expands bins[q]: x = sign(v) * ((1 + mu)^|v| - 1) / mu.
 */

/** bins[i] as numpy's linspace(-1, 1, classes) computes it. */
export function binValue(q: number, classes: number): number {
  return q === classes - 1 ? 1 : -1 + q * (2 / (classes - 1));
}

/** The class of one sample x in [-1, 1] (numpy digitize semantics: the last bin <= mu_x). */
export function muLawClass(x: number, classes: number, mu: number): number {
  const mx = Math.sign(x) * Math.log1p(mu * Math.abs(x)) / Math.log1p(mu);
  let q = Math.min(classes - 1, Math.max(0, Math.floor(((mx + 1) * (classes - 1)) / 2)));
  while (q + 1 < classes && binValue(q + 1, classes) <= mx) q++;
  while (q > 0 && binValue(q, classes) > mx) q--;
  return q;
}

export function muLawEncode(x: ArrayLike<number>, classes: number, mu: number): Uint32Array {
  const out = new Uint32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = muLawClass(x[i], classes, mu);
  return out;
}

/** Companded network inputs bins[q]. */
export function codesToValues(codes: ArrayLike<number>, classes: number): Float32Array {
  return Float32Array.from(codes, (q) => binValue(q, classes));
}

/** Audio from classes: the mu-law expansion of bins[q]. */
export function muLawDecode(codes: ArrayLike<number>, classes: number, mu: number): Float32Array {
  return Float32Array.from(codes, (q) => {
    const v = binValue(q, classes);
    return (Math.sign(v) * ((1 + mu) ** Math.abs(v) - 1)) / mu;
  });
}
