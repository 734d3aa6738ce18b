/**
 * CPU references for normalisations, written from the definitions: float64 mean and biased
 * variance (divide by N) of each normalised set, y = (x - mean) / sqrt(var + eps) * gamma + beta,
 * rounded to f32 at the end. No GPU imports.
 */

/** Normalises the values at `idx` of x into y; gammaOf/betaOf give the affine terms per index. */
function normalise(x: ArrayLike<number>, y: Float32Array, idx: number[], eps: number, gammaOf: (j: number) => number, betaOf: (j: number) => number): void {
  let mean = 0;
  for (const j of idx) mean += x[j];
  mean /= idx.length;
  let v = 0;
  for (const j of idx) v += (x[j] - mean) ** 2;
  v /= idx.length;
  const inv = 1 / Math.sqrt(v + eps);
  for (const j of idx) y[j] = (x[j] - mean) * inv * gammaOf(j) + betaOf(j);
}

export interface AffineRef { weight?: ArrayLike<number>; bias?: ArrayLike<number>; eps?: number }

/** x of `shape`, normalised over its last `k` dims; weight/bias have those dims' shape. */
export function layerNormRef(x: ArrayLike<number>, shape: number[], k: number, p: AffineRef = {}): Float32Array {
  const n = shape.slice(shape.length - k).reduce((a, b) => a * b, 1);
  const y = new Float32Array(x.length);
  for (let row = 0; row < x.length / n; row++) {
    const idx = Array.from({ length: n }, (_, i) => row * n + i);
    normalise(x, y, idx, p.eps ?? 1e-5, (j) => (p.weight ? p.weight[j - row * n] : 1), (j) => (p.bias ? p.bias[j - row * n] : 0));
  }
  return y;
}

/** x: [B, C, ...spatial]; statistics per (b, group of C/groups channels); weight/bias per channel. */
export function groupNormRef(x: ArrayLike<number>, shape: number[], groups: number, p: AffineRef = {}): Float32Array {
  const [b, c] = shape;
  const s = shape.slice(2).reduce((a, v) => a * v, 1);
  const cpg = c / groups;
  const y = new Float32Array(x.length);
  const channel = (j: number) => Math.floor(j / s) % c;
  for (let bi = 0; bi < b; bi++) {
    for (let g = 0; g < groups; g++) {
      const idx: number[] = [];
      for (let ch = g * cpg; ch < (g + 1) * cpg; ch++) for (let i = 0; i < s; i++) idx.push((bi * c + ch) * s + i);
      normalise(x, y, idx, p.eps ?? 1e-5, (j) => (p.weight ? p.weight[channel(j)] : 1), (j) => (p.bias ? p.bias[channel(j)] : 0));
    }
  }
  return y;
}

/** Instance norm: group norm with one channel per group. */
export function instanceNormRef(x: ArrayLike<number>, shape: number[], p: AffineRef = {}): Float32Array {
  return groupNormRef(x, shape, shape[1], p);
}

/** x: [B, C, ...]: y = x / sqrt(mean over C of x^2 + eps). */
export function pixelNormRef(x: ArrayLike<number>, shape: number[], eps = 1e-8): Float32Array {
  const [b, c] = shape;
  const s = x.length / (b * c);
  const y = new Float32Array(x.length);
  for (let bi = 0; bi < b; bi++) {
    for (let i = 0; i < s; i++) {
      let q = 0;
      for (let ch = 0; ch < c; ch++) q += x[(bi * c + ch) * s + i] ** 2;
      const inv = 1 / Math.sqrt(q / c + eps);
      for (let ch = 0; ch < c; ch++) y[(bi * c + ch) * s + i] = x[(bi * c + ch) * s + i] * inv;
    }
  }
  return y;
}
