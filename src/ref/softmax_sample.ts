/**
 * CPU references for softmax / log-softmax / argmax along the last axis, for Philox4x32-10 and
 * for categorical sampling by CDF inversion, written from the definitions (float64). No GPU imports.
 */

/** Probabilities exp(v_j - max) / sum_k exp(v_k - max) of one row, in float64. */
function softmaxRow(v: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let j = 0; j < v.length; j++) m = Math.max(m, v[j]);
  const p = new Float64Array(v.length);
  let s = 0;
  for (let j = 0; j < v.length; j++) s += (p[j] = Math.exp(v[j] - m));
  for (let j = 0; j < v.length; j++) p[j] /= s;
  return p;
}

/** softmax along the last axis (n = its length); log: (x_j - max) - log(sum_k exp(x_k - max)). */
export function softmaxRef(x: ArrayLike<number>, n: number, log = false): Float32Array {
  const rows = n === 0 ? 0 : x.length / n;
  const y = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const row = Array.prototype.slice.call(x, r * n, r * n + n) as number[];
    if (!log) { y.set(softmaxRow(row), r * n); continue; }
    let m = -Infinity, s = 0;
    for (const v of row) m = Math.max(m, v);
    for (const v of row) s += Math.exp(v - m);
    for (let j = 0; j < n; j++) y[r * n + j] = row[j] - m - Math.log(s);
  }
  return y;
}

/** torch.argmax along the last axis: the first index of the maximum; a NaN counts as the maximum. */
export function argmaxRef(x: ArrayLike<number>, n: number): Int32Array {
  const rows = n === 0 ? 0 : x.length / n;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < n; j++) {
      const v = x[r * n + j], b = x[r * n + best];
      if (Number.isNaN(b)) break;
      if (Number.isNaN(v) || v > b) best = j;
    }
    out[r] = best;
  }
  return out;
}

// ---- Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC 2011) ---------------------------------------
const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product a * b of two u32 (exact: every partial stays below 2^53). */
function mulHi(a: number, b: number): number {
  const lo = (a & 0xffff) * b, hi = (a >>> 16) * b;     // a * b = hi * 2^16 + lo, each < 2^48
  return Math.floor((hi + Math.floor(lo / 65536)) / 65536) >>> 0;
}

/** Philox4x32 with 10 rounds: counter (4 words), key (2 words) -> 4 random words. */
export function philox4x32(counter: readonly number[], key: readonly number[]): Uint32Array {
  let [c0, c1, c2, c3] = counter.map((v) => v >>> 0);
  let [k0, k1] = key.map((v) => v >>> 0);
  for (let round = 0; round < 10; round++) {
    const hi0 = mulHi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulHi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return Uint32Array.of(c0, c1, c2, c3);
}

/** The seed as Philox's key: (seed mod 2^32, floor(seed / 2^32)); seeds are integers below 2^53. */
export function seedKey(seed: number): [number, number] {
  return [seed % 4294967296 >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/** A random word as a float in [0, 1): its top 24 bits times 2^-24. */
export const unitFloat = (w: number): number => (w >>> 8) / 16777216;

/** Counter tags keeping the three uses of one seed apart (kernels/softmax_sample.wgsl). */
export const TAG = { uniform: 0, normal: 1, sample: 2 } as const;

export interface NoiseRefOptions { stream?: number; normal?: boolean; a?: number; b?: number }

/**
 * Elements [offset, offset + n) of the noise stream: element g takes word g mod 4 of Philox at
 * counter (floor(g/4) mod 2^32, floor(g/4) / 2^32, stream, tag). Uniform: a + (b - a) u (default
 * [0, 1)); normal: Box-Muller on word pairs (0, 1) and (2, 3), value a + b z (default a=0, b=1).
 */
export function noiseRef(n: number, seed: number, offset = 0, opts: NoiseRefOptions = {}): { values: Float32Array; words: Uint32Array } {
  const normal = !!opts.normal;
  const a = opts.a ?? 0, b = opts.b ?? 1;
  const values = new Float32Array(n), words = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const g = offset + i, block = Math.floor(g / 4), lane = g % 4;
    const w = philox4x32([block % 4294967296, Math.floor(block / 4294967296), opts.stream ?? 0, normal ? TAG.normal : TAG.uniform], seedKey(seed));
    words[i] = w[lane];
    if (!normal) { values[i] = a + (b - a) * unitFloat(w[lane]); continue; }
    const p = lane & 2;
    const r = Math.sqrt(-2 * Math.log(1 - unitFloat(w[p])));
    const theta = 2 * Math.PI * unitFloat(w[p + 1]);
    values[i] = a + b * r * (lane & 1 ? Math.sin(theta) : Math.cos(theta));
  }
  return { values, words };
}

/** The uniform a sampling row uses: Philox word 0 at counter (step, stream, 0, TAG.sample). */
export function sampleUniformRef(seed: number, step: number, stream: number): number {
  return unitFloat(philox4x32([step, stream, 0, TAG.sample], seedKey(seed))[0]);
}

export interface SampleRef {
  /** Drawn index per row. */
  index: Int32Array;
  /** The uniform used per row. */
  u: Float64Array;
  /** Per row: distance from u to the nearest CDF boundary (Infinity at temperature 0). */
  margin: Float64Array;
}

/**
 * Categorical draw per row from softmax(x / temperature): the first index j whose cumulative
 * probability exceeds u (CDF inversion). Temperature 0 gives the argmax.
 */
export function sampleRef(x: ArrayLike<number>, n: number, temperature: number, seed: number, step: number, stream0 = 0): SampleRef {
  const rows = n === 0 ? 0 : x.length / n;
  const index = new Int32Array(rows), u = new Float64Array(rows), margin = new Float64Array(rows);
  const am = argmaxRef(x, n);
  for (let r = 0; r < rows; r++) {
    if (temperature === 0) { index[r] = am[r]; margin[r] = Infinity; continue; }
    const p = softmaxRow(Array.from({ length: n }, (_, j) => x[r * n + j] / temperature));
    const ur = (u[r] = sampleUniformRef(seed, step, stream0 + r));
    let c = 0, pick = -1, m = Infinity;
    for (let j = 0; j < n; j++) {
      c += p[j];
      m = Math.min(m, Math.abs(c - ur));
      if (pick < 0 && p[j] > 0 && c > ur) pick = j;
    }
    if (pick < 0) for (let j = n - 1; j >= 0 && pick < 0; j--) if (p[j] > 0) pick = j;
    index[r] = pick;
    margin[r] = m;
  }
  return { index, u, margin };
}
