/**
 * CPU references for matmul and linear, from the definition C[i, j] = sum_k A[i, k] B[k, j]
 * (float64 sums over explicit multi-indices, rounded to f32 once). No GPU imports.
 */
export interface RefTensor { data: Float32Array; shape: number[] }

const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/** Element (i, k) of a row-major [rows, cols] matrix starting at `base`, transposed when `t`. */
function at(x: ArrayLike<number>, base: number, rows: number, cols: number, t: boolean, i: number, k: number): number {
  // opX[i, k] = t ? X[k, i] : X[i, k], where X is [rows, cols] as stored.
  return t ? x[base + k * cols + i] : x[base + i * cols + k];
}

/** Index of batch element `z` of an operand with batch dims `own`, broadcast to `full` (numpy rules). */
function batchIndex(z: number, full: number[], own: readonly number[]): number {
  const coord: number[] = [];
  let rem = z;
  for (let d = full.length - 1; d >= 0; d--) { coord[d] = rem % full[d]; rem = Math.floor(rem / full[d]); }
  let idx = 0;
  const off = full.length - own.length;
  for (let d = 0; d < own.length; d++) idx = idx * own[d] + (own[d] === 1 ? 0 : coord[off + d]);
  return idx;
}

/**
 * opA(a) @ opB(b) with batch broadcasting; `absolute` gives |opA(a)| @ |opB(b)| (the scale of the
 * rounding error bound, used by the tests).
 */
export function matmulRef(a: ArrayLike<number>, aShape: number[], b: ArrayLike<number>, bShape: number[],
  opts: { transposeA?: boolean; transposeB?: boolean; absolute?: boolean } = {}): RefTensor {
  const ta = !!opts.transposeA, tb = !!opts.transposeB;
  const [ar, ac] = aShape.slice(-2), [br, bc] = bShape.slice(-2);
  const m = ta ? ac : ar, k = ta ? ar : ac, n = tb ? br : bc;
  if ((tb ? bc : br) !== k) throw new Error(`matmulRef: inner dimensions ${k} and ${tb ? bc : br} differ`);
  const aB = aShape.slice(0, -2), bB = bShape.slice(0, -2);
  const rank = Math.max(aB.length, bB.length);
  const full: number[] = [];
  for (let d = 0; d < rank; d++) {
    const x = aB[aB.length - rank + d] ?? 1, y = bB[bB.length - rank + d] ?? 1;
    full.push(x === 1 ? y : x);
  }
  const batch = prod(full);
  const out = new Float32Array(batch * m * n);
  const f = opts.absolute ? Math.abs : (v: number) => v;
  for (let z = 0; z < batch; z++) {
    const abase = batchIndex(z, full, aB) * ar * ac, bbase = batchIndex(z, full, bB) * br * bc;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let kk = 0; kk < k; kk++) s += f(at(a, abase, ar, ac, ta, i, kk)) * f(at(b, bbase, br, bc, tb, kk, j));
        out[(z * m + i) * n + j] = s;
      }
    }
  }
  return { data: out, shape: [...full, m, n] };
}

/** torch.nn.functional.linear: x [..., in], w [out, in], bias [out] -> [..., out]. */
export function linearRef(x: ArrayLike<number>, xShape: number[], w: ArrayLike<number>, wShape: number[], bias?: ArrayLike<number>): RefTensor {
  const [outF, inF] = wShape;
  const rows = prod(xShape.slice(0, -1));
  const out = new Float32Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      let s = bias ? bias[o] : 0;
      for (let i = 0; i < inF; i++) s += x[r * inF + i] * w[o * inF + i];
      out[r * outF + o] = s;
    }
  }
  return { data: out, shape: [...xShape.slice(0, -1), outF] };
}
