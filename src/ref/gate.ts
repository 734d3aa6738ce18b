/**
 * CPU reference for the WaveNet residual layer, written from the definition with float64
 * accumulation. No GPU imports.
 *
 *   z[m, t]   = bd[m] + sum_{r,k} wd[m, r, k] x[r, t + k*dil] + sum_c wc[m, c] cond[c, t]
 *   a[i, t]   = tanh(z[i, t]) * sigmoid(z[D + i, t])   (gated)   or   tanh(z[i, t])
 *   y[r, t]   = x[r, t + (K-1)*dil] + br[r] + sum_i wr[r, i] a[i, t]
 *   s[j, t]   = bs[j] + sum_i ws[j, i] a[i, t]           (or a[j, t] for an identity skip)
 */
export interface RefArray { data: ArrayLike<number>; shape: readonly number[] }

export interface GateRefParts {
  wd: RefArray; bd?: RefArray; wc?: RefArray; wr?: RefArray; br?: RefArray; ws?: RefArray; bs?: RefArray;
  gated?: boolean;
  skip?: 'conv' | 'identity' | 'none';
}

export interface GateRefResult {
  /** [B, R, N] next-layer input, or null without a residual weight. */
  y: Float32Array | null;
  /** [B, S, N] this layer's skip contribution (not accumulated), or null. */
  skip: Float32Array | null;
  n: number;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * One layer over x [B, R, T] (valid convolution, N = T - (K-1)*dil outputs). `cond` is local
 * [B, C, N] (already aligned with the outputs) or global [B, C].
 */
export function gateRef(x: ArrayLike<number>, xShape: readonly number[], p: GateRefParts, dilation: number, cond?: RefArray): GateRefResult {
  const [B, R, T] = xShape;
  const [M, , K] = p.wd.shape;
  const gated = p.gated ?? true;
  const D = gated ? M / 2 : M;
  const n = T - (K - 1) * dilation;
  const C = p.wc ? p.wc.shape[1] : 0;
  const skipMode = p.skip ?? (p.ws ? 'conv' : 'none');
  const S = skipMode === 'conv' ? p.ws!.shape[0] : skipMode === 'identity' ? D : 0;
  const y = p.wr ? new Float32Array(B * R * n) : null;
  const skip = S ? new Float32Array(B * S * n) : null;
  const z = new Float64Array(M), a = new Float64Array(D);
  const condAt = (b: number, c: number, t: number) => (cond!.shape.length === 3 ? cond!.data[(b * C + c) * n + t] : cond!.data[b * C + c]);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < n; t++) {
      for (let m = 0; m < M; m++) {
        let acc = p.bd ? p.bd.data[m] : 0;
        for (let r = 0; r < R; r++) for (let k = 0; k < K; k++) acc += p.wd.data[(m * R + r) * K + k] * x[(b * R + r) * T + t + k * dilation];
        for (let c = 0; c < C; c++) acc += p.wc!.data[m * C + c] * condAt(b, c, t);
        z[m] = acc;
      }
      for (let i = 0; i < D; i++) a[i] = gated ? Math.tanh(z[i]) * sigmoid(z[D + i]) : Math.tanh(z[i]);
      if (y) {
        for (let r = 0; r < R; r++) {
          let acc = x[(b * R + r) * T + t + (K - 1) * dilation] + (p.br ? p.br.data[r] : 0);
          for (let i = 0; i < D; i++) acc += p.wr!.data[r * D + i] * a[i];
          y[(b * R + r) * n + t] = acc;
        }
      }
      if (skip) {
        for (let j = 0; j < S; j++) {
          let acc = skipMode === 'identity' ? a[j] : p.bs ? p.bs.data[j] : 0;
          if (skipMode === 'conv') for (let i = 0; i < D; i++) acc += p.ws!.data[j * D + i] * a[i];
          skip[(b * S + j) * n + t] = acc;
        }
      }
    }
  }
  return { y, skip, n };
}
