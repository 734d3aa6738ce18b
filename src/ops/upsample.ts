/**
 * Resampling (kernels/upsample.wgsl) with torch.nn.functional conventions: interpolate in
 * 'nearest' / 'linear' (1-D) and 'nearest' / 'bilinear' (2-D) modes, by scale factor or output
 * size, align_corners; avg_pool1d / avg_pool2d with stride, padding, ceil_mode and
 * count_include_pad. One dispatch each.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

const WG = 256;
const COLS = 4; // outputs per thread, kernels/upsample.wgsl COLS

export interface Upsample1dOptions {
  /** Output length; or give scaleFactor (output = floor(L * scaleFactor)). */
  size?: number;
  scaleFactor?: number;
  mode?: 'nearest' | 'linear';
  /** Linear only (torch refuses it for nearest). Default false. */
  alignCorners?: boolean;
}

export interface Upsample2dOptions {
  /** [OH, OW]; or give scaleFactor (one for both axes or [sh, sw]). */
  size?: readonly [number, number];
  scaleFactor?: number | readonly [number, number];
  mode?: 'nearest' | 'bilinear';
  alignCorners?: boolean;
}

export interface AvgPoolOptions<T> {
  /** Default: the kernel size. */
  stride?: T;
  /** Zeros on both sides, at most half the kernel (torch's rule). Default 0. */
  padding?: T;
  /** Round the output size up (a last, partial window), as torch. Default false. */
  ceilMode?: boolean;
  /** Divide by the padded window size (true, torch's default) or by the inputs summed. */
  countIncludePad?: boolean;
}

function checkX(op: string, x: Tensor, rank: number, layout: string): void {
  if (x.dtype !== 'f32') throw new WaveGpuError(op, `expects an f32 tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
  if (x.rank !== rank) throw new WaveGpuError(op, `x must be ${layout}, got ${fmtShape(x.shape)}`);
  if (x.size === 0) throw new WaveGpuError(op, `x ${fmtShape(x.shape)} is empty`);
}

/** Output size and f32 index scale for one axis (torch's area_pixel_compute_scale). */
function axis(op: string, n: number, size: number | undefined, factor: number | undefined, linear: boolean, align: boolean): { out: number; scale: number } {
  if ((size === undefined) === (factor === undefined)) throw new WaveGpuError(op, 'give exactly one of size and scaleFactor');
  if (factor !== undefined && !(factor > 0 && Number.isFinite(factor))) throw new WaveGpuError(op, `scaleFactor must be a positive number, got ${factor}`);
  const out = size ?? Math.floor(n * factor!);
  if (!Number.isInteger(out) || out < 1) throw new WaveGpuError(op, `output size must be a positive integer, got ${out} (input ${n}, ${size === undefined ? `scaleFactor ${factor}` : `size ${size}`})`);
  if (linear && align) return { out, scale: out > 1 ? Math.fround((n - 1) / (out - 1)) : 0 };
  return { out, scale: Math.fround(factor !== undefined ? 1 / factor : n / out) };
}

function dispatchInterp(op: string, x: Tensor, planes: number, inH: number, inW: number, h: { out: number; scale: number }, w: { out: number; scale: number }, linear: boolean, align: boolean, shape: number[]): Tensor {
  const y = x.gpu.empty(shape, 'f32', op);
  const colBlocks = Math.ceil(w.out / COLS);
  const n = planes * h.out * colBlocks;
  x.gpu.dispatch({
    op, kernel: 'upsample', entry: 'interp', overrides: { WG },
    uniforms: { params: { n, in_h: inH, in_w: inW, out_h: h.out, out_w: w.out, linear: linear ? 1 : 0, align_corners: align ? 1 : 0, scale_h: h.scale, scale_w: w.scale, col_blocks: colBlocks } },
    buffers: { x, y },
    workgroups: grid(n, WG),
  });
  return y;
}

function checkAlign(op: string, mode: string, align: boolean | undefined): void {
  if (align !== undefined && mode === 'nearest') throw new WaveGpuError(op, "alignCorners applies to the interpolating modes only (as in torch); leave it unset for 'nearest'");
}

/** x: [B, C, L] -> [B, C, L'] (F.interpolate on a 3-D input). */
export function upsample1d(x: Tensor, opts: Upsample1dOptions): Tensor {
  const op = 'upsample1d';
  checkX(op, x, 3, '[B, C, L]');
  const mode = opts.mode ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'linear') throw new WaveGpuError(op, `mode must be 'nearest' or 'linear', got '${mode}'`);
  checkAlign(op, mode, opts.alignCorners);
  const [b, c, l] = x.shape;
  const linear = mode === 'linear', align = !!opts.alignCorners;
  const w = axis(op, l, opts.size, opts.scaleFactor, linear, align);
  return dispatchInterp(op, x, b * c, 1, l, { out: 1, scale: 1 }, w, linear, align, [b, c, w.out]);
}

/** x: [B, C, H, W] -> [B, C, OH, OW] (F.interpolate on a 4-D input). */
export function upsample2d(x: Tensor, opts: Upsample2dOptions): Tensor {
  const op = 'upsample2d';
  checkX(op, x, 4, '[B, C, H, W]');
  const mode = opts.mode ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'bilinear') throw new WaveGpuError(op, `mode must be 'nearest' or 'bilinear', got '${mode}'`);
  checkAlign(op, mode, opts.alignCorners);
  const [b, c, hh, ww] = x.shape;
  const f = opts.scaleFactor;
  const [fh, fw] = f === undefined ? [undefined, undefined] : typeof f === 'number' ? [f, f] : f;
  const linear = mode === 'bilinear', align = !!opts.alignCorners;
  const h = axis(op, hh, opts.size?.[0], fh, linear, align);
  const w = axis(op, ww, opts.size?.[1], fw, linear, align);
  return dispatchInterp(op, x, b * c, hh, ww, h, w, linear, align, [b, c, h.out, w.out]);
}

/** F.interpolate by input rank: [B, C, L] -> upsample1d, [B, C, H, W] -> upsample2d. */
export function interpolate(x: Tensor, opts: Upsample1dOptions | Upsample2dOptions): Tensor {
  if (x.rank === 3) return upsample1d(x, opts as Upsample1dOptions);
  if (x.rank === 4) return upsample2d(x, opts as Upsample2dOptions);
  throw new WaveGpuError('interpolate', `x must be [B, C, L] or [B, C, H, W], got ${fmtShape(x.shape)}`);
}

/** Output length of a pooling window along one axis (torch's pooling_output_shape). */
function poolOut(op: string, n: number, k: number, s: number, p: number, ceil: boolean): number {
  if (!(Number.isInteger(k) && k >= 1 && Number.isInteger(s) && s >= 1 && Number.isInteger(p) && p >= 0)) {
    throw new WaveGpuError(op, `kernel, stride must be integers >= 1 and padding >= 0, got kernel ${k}, stride ${s}, padding ${p}`);
  }
  if (p > k / 2) throw new WaveGpuError(op, `padding ${p} must be at most half the kernel ${k} (torch's rule)`);
  let out = Math.floor((n + 2 * p - k + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  if (out < 1) throw new WaveGpuError(op, `kernel ${k} is larger than the padded input ${n + 2 * p}`);
  return out;
}

function dispatchPool(op: string, x: Tensor, planes: number, inH: number, inW: number, k: [number, number], s: [number, number], p: [number, number], opts: AvgPoolOptions<unknown>, shapeOf: (oh: number, ow: number) => number[]): Tensor {
  const ceil = !!opts.ceilMode;
  const oh = poolOut(op, inH, k[0], s[0], p[0], ceil), ow = poolOut(op, inW, k[1], s[1], p[1], ceil);
  const y = x.gpu.empty(shapeOf(oh, ow), 'f32', op);
  const colBlocks = Math.ceil(ow / COLS);
  const n = planes * oh * colBlocks;
  x.gpu.dispatch({
    op, kernel: 'upsample', entry: 'avg_pool', overrides: { WG },
    uniforms: { pool: { n, in_h: inH, in_w: inW, out_h: oh, out_w: ow, k_h: k[0], k_w: k[1], s_h: s[0], s_w: s[1], p_h: p[0], p_w: p[1], count_include_pad: opts.countIncludePad === false ? 0 : 1, col_blocks: colBlocks } },
    buffers: { px: x, py: y },
    workgroups: grid(n, WG),
  });
  return y;
}

/** x: [B, C, L] -> [B, C, L'] (F.avg_pool1d). */
export function avgPool1d(x: Tensor, kernel: number, opts: AvgPoolOptions<number> = {}): Tensor {
  const op = 'avg_pool1d';
  checkX(op, x, 3, '[B, C, L]');
  const [b, c, l] = x.shape;
  return dispatchPool(op, x, b * c, 1, l, [1, kernel], [1, opts.stride ?? kernel], [0, opts.padding ?? 0], opts, (_, ow) => [b, c, ow]);
}

/** x: [B, C, H, W] -> [B, C, OH, OW] (F.avg_pool2d; divisor_override is not supported). */
export function avgPool2d(x: Tensor, kernel: number | readonly [number, number], opts: AvgPoolOptions<number | readonly [number, number]> = {}): Tensor {
  const op = 'avg_pool2d';
  checkX(op, x, 4, '[B, C, H, W]');
  const two = (v: number | readonly [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
  const [b, c, h, w] = x.shape;
  const k = two(kernel);
  return dispatchPool(op, x, b * c, h, w, k, two(opts.stride ?? k), two(opts.padding ?? 0), opts, (oh, ow) => [b, c, oh, ow]);
}
