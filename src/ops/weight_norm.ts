/**
 * Weight-norm folding at load time (CPU): torch.nn.utils.weight_norm stores a layer's weight as
 * weight_g and weight_v with w = g * v / ||v||, the 2-norm taken over every dimension except
 * `dim` (over all of v when dim is null). Inference only needs w, so loaders fold the pair once
 * and upload a plain weight; the GPU never sees g or v.
 */
import { WaveGpuError, fmtShape } from '../runtime/errors.js';

export interface HostTensor {
  data: Float32Array;
  shape: readonly number[];
}

/**
 * w = g * v / ||v||. v: any shape (e.g. conv [Cout, Cin/groups, K], transposed conv
 * [Cin, Cout/groups, K]); g: v.shape[dim] values in any shape of that size (torch keeps
 * [Cout, 1, 1]), or one value when dim is null. Norms accumulate in float64. Returns w with v's shape.
 */
export function foldWeightNorm(g: HostTensor, v: HostTensor, dim: number | null = 0): HostTensor {
  const op = 'foldWeightNorm';
  const rank = v.shape.length;
  const size = v.shape.reduce((a, b) => a * b, 1);
  if (v.data.length !== size || g.data.length !== g.shape.reduce((a, b) => a * b, 1)) {
    throw new WaveGpuError(op, `data lengths (g ${g.data.length}, v ${v.data.length}) do not match shapes g ${fmtShape(g.shape)}, v ${fmtShape(v.shape)}`);
  }
  const d = dim === null ? null : dim < 0 ? dim + rank : dim;
  if (d !== null && !(Number.isInteger(d) && d >= 0 && d < rank)) throw new WaveGpuError(op, `dim ${dim} is out of range for v ${fmtShape(v.shape)}`);
  const groups = d === null ? 1 : v.shape[d];
  if (g.data.length !== groups) {
    const want = d === null ? '1 value' : `${groups} values (v.shape[${d}]), e.g. [${v.shape.map((n, i) => (i === d ? n : 1)).join(', ')}]`;
    throw new WaveGpuError(op, `g ${fmtShape(g.shape)} does not fit v ${fmtShape(v.shape)} with dim ${dim}: expected ${want}`);
  }
  // Element i of v belongs to slice (i / inner) % groups, inner = product of dims after d.
  const inner = d === null ? size : v.shape.slice(d + 1).reduce((a, b) => a * b, 1);
  const sumSq = new Float64Array(groups);
  for (let i = 0; i < size; i++) sumSq[Math.floor(i / inner) % groups] += v.data[i] * v.data[i];
  const scale = Array.from(sumSq, (s, j) => g.data[j] / Math.sqrt(s));
  const w = new Float32Array(size);
  for (let i = 0; i < size; i++) w[i] = v.data[i] * scale[Math.floor(i / inner) % groups];
  return { data: w, shape: [...v.shape] };
}
