/**
 * Normalisations (kernels/norm.wgsl) with torch.nn.functional conventions: layer_norm,
 * instance_norm (input statistics, no running stats), group_norm, and ProGAN's pixel norm.
 * One dispatch each.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

/** Small workgroups: with one thread per group, 256 groups still make 4 workgroups (CPU cores). */
const WG = 64;

export interface NormOptions {
  /** Scale (gamma): [C] for instance/group norm, normalizedShape for layer norm. */
  weight?: Tensor;
  /** Shift (beta), same shape as weight. */
  bias?: Tensor;
  /** Added to the variance; default 1e-5 (torch). */
  eps?: number;
}

const AFFINE = { none: 0, element: 1, channel: 2 } as const;

interface Groups { m: number; n: number; affine: keyof typeof AFFINE; spatial: number; chPerGroup: number; groups: number }

/**
 * Threads per group (a power of two <= WG): enough that all groups together keep ~512 threads
 * busy, but no fewer than ~32 values per thread. Every tree step is a workgroup barrier, which
 * on a CPU back end (SwiftShader) costs far more than summing serially: measured there, a
 * layer_norm of 16384 rows of 80 took 4x longer with 4 lanes per row than with 1, and 30x with
 * 64. So many small groups get one thread each, and few large groups (group_norm with 32 groups
 * of 8192) get up to a whole workgroup.
 */
export function normLanes(n: number, groups: number): number {
  let lanes = 1;
  while (lanes < WG && lanes * 32 < n && groups * lanes < 512) lanes *= 2;
  return lanes;
}

function checkF32(op: string, ...ts: (Tensor | undefined)[]): void {
  for (const t of ts) if (t && t.dtype !== 'f32') throw new WaveGpuError(op, `expects f32 tensors, got ${t.dtype} ${fmtShape(t.shape)}`);
}

function checkParam(op: string, name: string, t: Tensor | undefined, shape: readonly number[], x: Tensor): void {
  if (!t) return;
  if (t.gpu !== x.gpu) throw new WaveGpuError(op, 'tensors live on different devices');
  if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new WaveGpuError(op, `${name} must be ${fmtShape(shape)} for x ${fmtShape(x.shape)}, got ${fmtShape(t.shape)}`);
  }
}

function checkEps(op: string, eps: number): number {
  if (!(eps >= 0 && Number.isFinite(eps))) throw new WaveGpuError(op, `eps must be a finite number >= 0, got ${eps}`);
  return eps;
}

function dispatchGroups(op: string, x: Tensor, g: Groups, opts: NormOptions): Tensor {
  const y = x.gpu.empty(x.shape, 'f32', op);
  const lanes = normLanes(g.n, g.m);
  x.gpu.dispatch({
    op, kernel: 'norm', entry: 'group_norm', overrides: { WG },
    uniforms: { params: {
      n_groups: g.m, group_size: g.n, lanes, affine: AFFINE[g.affine], spatial: g.spatial, ch_per_group: g.chPerGroup,
      groups: g.groups, has_weight: opts.weight ? 1 : 0, has_bias: opts.bias ? 1 : 0, eps: checkEps(op, opts.eps ?? 1e-5),
    } },
    buffers: { x, gamma: opts.weight ?? x, beta: opts.bias ?? x, y },
    workgroups: grid(g.m * lanes, WG),
  });
  return y;
}

/** x: [..., *normalizedShape] normalised over the trailing dims; weight/bias: normalizedShape. */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], opts: NormOptions = {}): Tensor {
  const op = 'layer_norm';
  checkF32(op, x, opts.weight, opts.bias);
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.rank - k);
  if (k === 0 || k > x.rank || tail.some((d, i) => d !== normalizedShape[i])) {
    throw new WaveGpuError(op, `normalizedShape ${fmtShape(normalizedShape)} must be the trailing dims of x ${fmtShape(x.shape)}`);
  }
  checkParam(op, 'weight', opts.weight, normalizedShape, x);
  checkParam(op, 'bias', opts.bias, normalizedShape, x);
  const n = tail.reduce((a, b) => a * b, 1);
  if (n === 0 || x.size === 0) throw new WaveGpuError(op, `x ${fmtShape(x.shape)} is empty`);
  return dispatchGroups(op, x, { m: x.size / n, n, affine: opts.weight || opts.bias ? 'element' : 'none', spatial: 1, chPerGroup: 1, groups: 1 }, opts);
}

function channelGroups(op: string, x: Tensor, groups: number, opts: NormOptions): Tensor {
  checkF32(op, x, opts.weight, opts.bias);
  if (x.rank < 3) throw new WaveGpuError(op, `x must be [B, C, ...spatial] with at least one spatial dim, got ${fmtShape(x.shape)}`);
  const [b, c] = x.shape;
  const spatial = x.shape.slice(2).reduce((a, v) => a * v, 1);
  if (x.size === 0) throw new WaveGpuError(op, `x ${fmtShape(x.shape)} is empty`);
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) throw new WaveGpuError(op, `groups ${groups} must divide the ${c} channels of x ${fmtShape(x.shape)}`);
  checkParam(op, 'weight', opts.weight, [c], x);
  checkParam(op, 'bias', opts.bias, [c], x);
  const cpg = c / groups;
  return dispatchGroups(op, x, { m: b * groups, n: cpg * spatial, affine: opts.weight || opts.bias ? 'channel' : 'none', spatial, chPerGroup: cpg, groups }, opts);
}

/** x: [B, C, ...spatial] normalised per (b, c) over the spatial dims; weight/bias: [C]. */
export function instanceNorm(x: Tensor, opts: NormOptions = {}): Tensor {
  return channelGroups('instance_norm', x, x.shape[1] ?? 1, opts);
}

/** x: [B, C, ...spatial] normalised per (b, group of C/groups channels); weight/bias: [C]. */
export function groupNorm(x: Tensor, groups: number, opts: NormOptions = {}): Tensor {
  return channelGroups('group_norm', x, groups, opts);
}

/** x: [B, C, ...] -> x / sqrt(mean over C of x^2 + eps) (ProGAN/GANSynth pixel norm; eps 1e-8). */
export function pixelNorm(x: Tensor, eps = 1e-8): Tensor {
  const op = 'pixel_norm';
  checkF32(op, x);
  if (x.rank < 2 || x.size === 0) throw new WaveGpuError(op, `x must be [B, C, ...] and non-empty, got ${fmtShape(x.shape)}`);
  const [b, c] = x.shape;
  const spatial = x.size / (b * c);
  const y = x.gpu.empty(x.shape, 'f32', op);
  x.gpu.dispatch({
    op, kernel: 'norm', entry: 'pixel_norm', overrides: { WG },
    uniforms: { pparams: { n: b * spatial, channels: c, spatial, eps: checkEps(op, eps) } },
    buffers: { px: x, py: y },
    workgroups: grid(b * spatial, WG),
  });
  return y;
}
