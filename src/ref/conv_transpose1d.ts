/**
 * CPU reference for conv_transpose1d, written from the definition as a scatter (the adjoint of
 * conv1d): input step i of channel c adds x[b, c, i] * w[c, o, k] to output i*stride + k*dil - pad,
 * in float64; then conv1d's epilogue act(y + bias) + residual, rounded to f32 once.
 * No GPU imports.
 */
import { epilogueRef, type RefEpilogue, type RefResult } from './conv1d.js';

export interface ConvTranspose1dRefOptions extends RefEpilogue {
  stride?: number;
  padding?: number;
  outputPadding?: number;
  dilation?: number;
  groups?: number;
}

/** x [B, Cin, T], w [Cin, Cout/groups, K] -> y [B, Cout, (T-1)*stride - 2*pad + dil*(K-1) + outputPadding + 1]. */
export function convTranspose1dRef(x: ArrayLike<number>, xShape: readonly number[], w: ArrayLike<number>, wShape: readonly number[], o: ConvTranspose1dRefOptions = {}): RefResult {
  const [B, Cin, T] = xShape, [, Og, K] = wShape;
  const stride = o.stride ?? 1, pad = o.padding ?? 0, dil = o.dilation ?? 1, groups = o.groups ?? 1;
  const Cout = Og * groups, Cg = Cin / groups;
  const Tout = (T - 1) * stride - 2 * pad + dil * (K - 1) + (o.outputPadding ?? 0) + 1;
  if (!Number.isInteger(Cg) || wShape[0] !== Cin || Tout < 1) throw new Error(`convTranspose1dRef: bad shapes x [${xShape}] w [${wShape}] groups ${groups}`);
  const acc = new Float64Array(B * Cout * Tout);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < Cin; c++) {
      const g = Math.floor(c / Cg);
      for (let i = 0; i < T; i++) {
        const xv = x[(b * Cin + c) * T + i];
        for (let oc = 0; oc < Og; oc++) {
          const yrow = (b * Cout + g * Og + oc) * Tout;
          for (let k = 0; k < K; k++) {
            const t = i * stride + k * dil - pad;
            if (t >= 0 && t < Tout) acc[yrow + t] += xv * w[(c * Og + oc) * K + k];
          }
        }
      }
    }
  }
  return { data: epilogueRef(acc, Cout, Tout, o), shape: [B, Cout, Tout] };
}
