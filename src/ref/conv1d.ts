/**
 * CPU reference for conv1d, written from the definition: pad the input explicitly (torch's
 * F.pad modes), then y[b, o, t] = sum_{c, k} w[o, c, k] * xp[b, g*Cin/groups + c, t*stride + k*dil]
 * in float64, then the epilogue act(y + bias) + residual, rounded to f32 once at the end.
 * No GPU imports; shares nothing with the kernels.
 */
export type RefPaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
export type RefActivation = 'none' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid';

export interface RefEpilogue {
  bias?: ArrayLike<number>;           // [Cout]
  activation?: RefActivation;
  slope?: number;                      // leaky_relu negative slope (default 0.01)
  residual?: ArrayLike<number>;       // [B, Cout, Tout]
}

export interface Conv1dRefOptions extends RefEpilogue {
  stride?: number;
  dilation?: number;
  groups?: number;
  padding?: number | readonly [number, number];
  paddingMode?: RefPaddingMode;
  causal?: boolean;
}

export interface RefResult { data: Float32Array; shape: number[] }

/** Source index of padded position i (0 <= i < n + left + right) in a row of length n, or -1 for a zero. */
export function padSource(i: number, n: number, left: number, mode: RefPaddingMode): number {
  const j = i - left;
  if (j >= 0 && j < n) return j;
  switch (mode) {
    case 'zeros': return -1;
    case 'replicate': return j < 0 ? 0 : n - 1;
    case 'reflect': return j < 0 ? -j : 2 * (n - 1) - j;     // mirror without repeating the edge
    case 'circular': return ((j % n) + n) % n;
  }
}

/** F.pad(x, [left, right], mode) of x [rows, n] -> float64 [rows, n + left + right]. */
export function padRef(x: ArrayLike<number>, rows: number, n: number, left: number, right: number, mode: RefPaddingMode): Float64Array {
  const m = n + left + right;
  const out = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < m; i++) {
      const s = padSource(i, n, left, mode);
      out[r * m + i] = s < 0 ? 0 : x[r * n + s];
    }
  }
  return out;
}

export function activationRef(v: number, act: RefActivation = 'none', slope = 0.01): number {
  switch (act) {
    case 'none': return v;
    case 'relu': return Math.max(v, 0);
    case 'leaky_relu': return v >= 0 ? v : slope * v;
    case 'tanh': return Math.tanh(v);
    case 'sigmoid': return 1 / (1 + Math.exp(-v));
  }
}

/** acc [B, Cout, T] (float64) -> act(acc + bias) + residual, as f32. */
export function epilogueRef(acc: Float64Array, cout: number, t: number, e: RefEpilogue): Float32Array {
  const y = new Float32Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    const o = Math.floor(i / t) % cout;
    let v = acc[i] + (e.bias ? e.bias[o] : 0);
    v = activationRef(v, e.activation, e.slope);
    y[i] = v + (e.residual ? e.residual[i] : 0);
  }
  return y;
}

/** x [B, Cin, T], w [Cout, Cin/groups, K] -> y [B, Cout, Tout]. */
export function conv1dRef(x: ArrayLike<number>, xShape: readonly number[], w: ArrayLike<number>, wShape: readonly number[], o: Conv1dRefOptions = {}): RefResult {
  const [B, Cin, T] = xShape, [Cout, Cg, K] = wShape;
  const stride = o.stride ?? 1, dil = o.dilation ?? 1, groups = o.groups ?? 1;
  const p = o.causal ? [dil * (K - 1), 0] : typeof o.padding === 'object' ? o.padding : [o.padding ?? 0, o.padding ?? 0];
  const [left, right] = p;
  const Tp = T + left + right;
  const Tout = Math.floor((Tp - dil * (K - 1) - 1) / stride) + 1;
  if (Cg * groups !== Cin || Cout % groups !== 0 || Tout < 1) throw new Error(`conv1dRef: bad shapes x [${xShape}] w [${wShape}] groups ${groups}`);
  const xp = padRef(x, B * Cin, T, left, right, o.paddingMode ?? 'zeros');
  const Og = Cout / groups;
  const acc = new Float64Array(B * Cout * Tout);
  for (let b = 0; b < B; b++) {
    for (let oc = 0; oc < Cout; oc++) {
      const g = Math.floor(oc / Og);
      for (let t = 0; t < Tout; t++) {
        let s = 0;
        for (let c = 0; c < Cg; c++) {
          const row = (b * Cin + g * Cg + c) * Tp;
          for (let k = 0; k < K; k++) s += w[(oc * Cg + c) * K + k] * xp[row + t * stride + k * dil];
        }
        acc[(b * Cout + oc) * Tout + t] = s;
      }
    }
  }
  return { data: epilogueRef(acc, Cout, Tout, o), shape: [B, Cout, Tout] };
}
