/**
 * CPU references for elementwise ops, written from the definitions (float64 maths, rounded to
 * f32 at the end). No GPU imports.
 */
export type RefArray = Float32Array;

const UNARY: Record<string, (v: number, a: number, b: number) => number> = {
  relu: (v) => Math.max(v, 0),
  leaky_relu: (v, a) => (v >= 0 ? v : a * v),
  tanh: (v) => Math.tanh(v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  softplus: (v) => Math.log1p(Math.exp(v)), // log(1 + e^v)
  exp: (v) => Math.exp(v),
  sin: (v) => Math.sin(v),
  cos: (v) => Math.cos(v),
  clamp: (v, a, b) => Math.min(Math.max(v, a), b),
  affine: (v, a, b) => a * v + b,
  abs: (v) => Math.abs(v),
  log: (v) => Math.log(v),
  sqrt: (v) => Math.sqrt(v),
  square: (v) => v * v,
};

export function unaryRef(x: ArrayLike<number>, op: string, alpha = 0, beta = 0): Float32Array {
  const f = UNARY[op];
  if (!f) throw new Error(`unknown unary op ${op}`);
  const y = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = f(x[i], alpha, beta);
  return y;
}

const BINARY: Record<string, (u: number, v: number) => number> = {
  add: (u, v) => u + v, sub: (u, v) => u - v, mul: (u, v) => u * v, div: (u, v) => u / v,
  max: Math.max, min: Math.min, pow: Math.pow,
};

/** Broadcasting by explicit multi-index: for each output coordinate, clamp broadcast dims to 0. */
export function binaryRef(a: ArrayLike<number>, aShape: number[], b: ArrayLike<number>, bShape: number[], op: string): { data: Float32Array; shape: number[] } {
  const rank = Math.max(aShape.length, bShape.length);
  const pa = [...new Array(rank - aShape.length).fill(1), ...aShape];
  const pb = [...new Array(rank - bShape.length).fill(1), ...bShape];
  const shape = pa.map((d, i) => Math.max(d, pb[i]));
  const n = shape.reduce((x, y) => x * y, 1);
  const out = new Float32Array(n);
  const coord = new Array(rank).fill(0);
  const f = BINARY[op];
  for (let i = 0; i < n; i++) {
    let ia = 0, ib = 0;
    for (let d = 0; d < rank; d++) {
      ia = ia * pa[d] + (pa[d] === 1 ? 0 : coord[d]);
      ib = ib * pb[d] + (pb[d] === 1 ? 0 : coord[d]);
    }
    out[i] = f(a[ia], b[ib]);
    for (let d = rank - 1; d >= 0; d--) { if (++coord[d] < shape[d]) break; coord[d] = 0; }
  }
  return { data: out, shape };
}
