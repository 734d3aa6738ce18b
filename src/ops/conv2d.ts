/**
 * 2-D convolution and transposed convolution, NCHW (kernels/conv2d.wgsl), with the argument
 * conventions of torch.nn.functional.conv2d / conv_transpose2d. One dispatch each.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

/** A value for both spatial axes, or [along H, along W]. */
export type Conv2dPair = number | readonly [number, number];

/**
 * Zero padding: one number for all sides, [ph, pw] (symmetric, as torch), [top, bottom, left,
 * right], 'valid' (none) or 'same' (stride 1 only; output size = input size; an odd total goes
 * to the bottom/right, as torch does).
 */
export type Padding2d = number | readonly [number, number] | readonly [number, number, number, number] | 'same' | 'valid';

export interface Conv2dOptions {
  stride?: Conv2dPair;
  padding?: Padding2d;
  dilation?: Conv2dPair;
  groups?: number;
  /** [Cout] */
  bias?: Tensor;
  /**
   * Kernel version (see kernels/conv2d.wgsl). Default 3, which needs stride 1 and dilation 1
   * along W (it reads a zero-padded copy of x made by a second dispatch); otherwise 2 runs.
   */
  version?: 1 | 2 | 3;
}

export interface ConvTranspose2dOptions {
  stride?: Conv2dPair;
  /** Removed from each side of the full output (torch's `padding`): number or [ph, pw]. */
  padding?: Conv2dPair;
  /** Extra rows/columns added at the bottom/right; must be < max(stride, dilation) per axis. */
  outputPadding?: Conv2dPair;
  dilation?: Conv2dPair;
  groups?: number;
  /** [Cout] */
  bias?: Tensor;
  /** Kernel version; default 3, which needs dilation 1 along W (and pads a copy of x); otherwise 2. */
  version?: 1 | 2 | 3;
}

const WG = 64;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function pair(v: Conv2dPair | undefined, dflt: number, what: string, op: string, min: number): [number, number] {
  const p: [number, number] = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (p.length !== 2 || !p.every((n) => Number.isInteger(n) && n >= min)) {
    throw new WaveGpuError(op, `${what} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p;
}

/** torch's 'same' padding for one axis at stride 1: total d*(k-1), the odd one at the end. */
export function samePadding(kernel: number, dilation = 1): [number, number] {
  const total = dilation * (kernel - 1);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** [top, bottom, left, right] for conv2d. */
export function conv2dPadding(padding: Padding2d | undefined, kernel: [number, number], dilation: [number, number], stride: [number, number], op = 'conv2d'): [number, number, number, number] {
  if (padding === undefined || padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new WaveGpuError(op, `padding 'same' needs stride 1 (as in torch), got stride [${stride.join(', ')}]; give the padding as numbers`);
    return [...samePadding(kernel[0], dilation[0]), ...samePadding(kernel[1], dilation[1])];
  }
  const p = typeof padding === 'number' ? [padding, padding, padding, padding]
    : padding.length === 2 ? [padding[0], padding[0], padding[1], padding[1]] : [...padding];
  if (p.length !== 4 || !p.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new WaveGpuError(op, `padding must be integers >= 0 (n, [ph, pw] or [top, bottom, left, right]) or 'same'/'valid', got ${JSON.stringify(padding)}`);
  }
  return p as [number, number, number, number];
}

function checkCommon(op: string, x: Tensor, w: Tensor, groups: number, bias?: Tensor): void {
  for (const t of [x, w, ...(bias ? [bias] : [])]) if (t.dtype !== 'f32') throw new WaveGpuError(op, `expects f32 tensors, got ${t.dtype} ${fmtShape(t.shape)}`);
  if (x.rank !== 4) throw new WaveGpuError(op, `x must be [B, Cin, H, W], got ${fmtShape(x.shape)}; reshape a [Cin, H, W] input to [1, Cin, H, W]`);
  if (w.rank !== 4) throw new WaveGpuError(op, `weight must be 4-D [out, in/groups, KH, KW], got ${fmtShape(w.shape)}`);
  if (!Number.isInteger(groups) || groups < 1) throw new WaveGpuError(op, `groups must be a positive integer, got ${groups}`);
  if (x.gpu !== w.gpu || (bias && bias.gpu !== x.gpu)) throw new WaveGpuError(op, 'tensors live on different devices');
}

function checkBias(op: string, bias: Tensor | undefined, cout: number): void {
  if (bias && (bias.rank !== 1 || bias.shape[0] !== cout)) throw new WaveGpuError(op, `bias must be [${cout}] (one per output channel), got ${fmtShape(bias.shape)}`);
}

function outSize(op: string, n: number, what: string, x: Tensor): number {
  if (n < 1) throw new WaveGpuError(op, `output ${what} would be ${n} for input ${fmtShape(x.shape)}; the input is smaller than the dilated kernel (add padding or use a smaller kernel)`);
  return n;
}

type ConvDims = { bb: number; cin: number; h: number; w: number; cout: number; oh: number; ow: number; kh: number; kw: number };
/** Entry point, per-thread blocking and thread count. co/ow blocks are 0 for one output per thread. */
type Plan = { entry: string; coBlocks: number; owBlocks: number; n: number; kt?: number };

function dispatchConv(op: string, x: Tensor, w: Tensor, bias: Tensor | undefined, d: ConvDims, groups: number,
  stride: [number, number], pad: [number, number], dil: [number, number], plan: Plan): Tensor {
  const y = x.gpu.empty([d.bb, d.cout, d.oh, d.ow], 'f32', op);
  const overrides: Record<string, number> = plan.kt ? { WG, KT: plan.kt, MASK_W: op === 'conv2d' ? 0 : 1 } : { WG };
  x.gpu.dispatch({
    op, kernel: 'conv2d', entry: plan.entry, overrides,
    uniforms: { params: {
      batch: d.bb, cin: d.cin, h: d.h, w: d.w, cout: d.cout, oh: d.oh, ow: d.ow, groups,
      kh: d.kh, kw: d.kw, stride_h: stride[0], stride_w: stride[1], pad_h: pad[0], pad_w: pad[1],
      dil_h: dil[0], dil_w: dil[1], has_bias: bias ? 1 : 0, n: plan.n, co_blocks: plan.coBlocks, ow_blocks: plan.owBlocks,
      kstep_h: stride[0] / gcd(stride[0], dil[0]),
    } },
    buffers: { x, w, b: bias ?? w, y },
    workgroups: grid(plan.n, WG),
  });
  return y;
}

/** x [B, C, H, W] -> [B, C, hp, wp] with x at rows top.., columns left.., zeros elsewhere (v3's input). */
function pad2d(op: string, x: Tensor, hp: number, wp: number, top: number, left: number): Tensor {
  const [bb, c, h, w] = x.shape;
  const xp = x.gpu.empty([bb, c, hp, wp], 'f32', op);
  x.gpu.dispatch({
    op, kernel: 'conv2d', entry: 'pad2d', overrides: { WG: 256 },
    uniforms: { pparams: { n: xp.size, h, w, hp, wp, top, left, _pad: 0 } },
    buffers: { src: x, dst: xp },
    workgroups: grid(xp.size, 256),
  });
  return xp;
}

/**
 * Threads for a kernel version. v1: one output each. v2: 4 channels x 4 columns. v3: 4 channels
 * x 16 columns. Transposed v2/v3 columns are one stride phase apart: tiles of 4*sw (16*sw) columns,
 * sw threads per tile.
 */
function plan(kind: 'conv2d' | 'conv_transpose2d', version: number, d: ConvDims, groups: number, [sh, sw]: [number, number], kt?: number): Plan {
  const entry = `${kind}_v${version}`;
  if (version === 1) return { entry, coBlocks: 0, owBlocks: 0, n: d.bb * d.cout * d.oh * d.ow };
  const cols = version === 2 ? 4 : 16;
  const coBlocks = Math.ceil(d.cout / groups / 4);
  const owBlocks = kind === 'conv2d' ? Math.ceil(d.ow / cols) : Math.ceil(d.ow / (cols * sw)) * sw;
  // Transposed v3 runs sh * ceil(OH / sh) rows (grouped by row phase; the extra ones exit).
  const rows = kind === 'conv_transpose2d' && version === 3 ? Math.ceil(d.oh / sh) * sh : d.oh;
  return { entry, coBlocks, owBlocks, n: d.bb * groups * coBlocks * rows * owBlocks, kt: version === 3 ? kt : undefined };
}

/**
 * y = conv2d(x, w) + bias.
 * x: [B, Cin, H, W]; w: [Cout, Cin/groups, KH, KW]; bias: [Cout] -> y: [B, Cout, OH, OW]
 * with OH = floor((H + top + bottom - dh*(KH-1) - 1) / sh) + 1 (OW likewise).
 */
export function conv2d(x: Tensor, w: Tensor, opts: Conv2dOptions = {}): Tensor {
  const op = 'conv2d';
  const groups = opts.groups ?? 1;
  checkCommon(op, x, w, groups, opts.bias);
  const [bb, cin, h, wd] = x.shape;
  const [cout, cig, kh, kw] = w.shape;
  if (cin % groups !== 0 || cout % groups !== 0) throw new WaveGpuError(op, `groups ${groups} must divide Cin ${cin} and Cout ${cout}`);
  if (cig !== cin / groups) throw new WaveGpuError(op, `weight ${fmtShape(w.shape)} expects ${cig * groups} input channels (groups ${groups}), x ${fmtShape(x.shape)} has ${cin}; expected weight [${cout}, ${cin / groups}, ${kh}, ${kw}]`);
  checkBias(op, opts.bias, cout);
  const stride = pair(opts.stride, 1, 'stride', op, 1);
  const dil = pair(opts.dilation, 1, 'dilation', op, 1);
  const [pt, pb, pl, pr] = conv2dPadding(opts.padding, [kh, kw], dil, stride, op);
  const oh = outSize(op, Math.floor((h + pt + pb - dil[0] * (kh - 1) - 1) / stride[0]) + 1, 'height', x);
  const ow = outSize(op, Math.floor((wd + pl + pr - dil[1] * (kw - 1) - 1) / stride[1]) + 1, 'width', x);
  const d = { bb, cin, h, w: wd, cout, oh, ow, kh, kw };
  const version = opts.version ?? 3;
  if (version === 3 && stride[1] === 1 && dil[1] === 1) {
    // v3 reads a padded copy: rows H + top + bottom, columns up to the last 16-column block's window.
    const pl3 = plan(op, 3, d, groups, [stride[0], 1], kw);
    return x.gpu.scope(() => {
      const xp = pad2d(op, x, h + pt + pb, pl3.owBlocks * 16 + kw - 1, pt, pl);
      return dispatchConv(op, xp, w, opts.bias, { ...d, h: xp.shape[2], w: xp.shape[3] }, groups, stride, [0, 0], dil, pl3);
    });
  }
  return dispatchConv(op, x, w, opts.bias, d, groups, stride, [pt, pl], dil, plan(op, version === 1 ? 1 : 2, d, groups, stride));
}

/**
 * y = conv_transpose2d(x, w) + bias (the gradient of conv2d with respect to its input).
 * x: [B, Cin, H, W]; w: [Cin, Cout/groups, KH, KW]; bias: [Cout] -> y: [B, Cout, OH, OW]
 * with OH = (H-1)*sh - 2*ph + dh*(KH-1) + oph + 1 (OW likewise).
 */
export function convTranspose2d(x: Tensor, w: Tensor, opts: ConvTranspose2dOptions = {}): Tensor {
  const op = 'conv_transpose2d';
  const groups = opts.groups ?? 1;
  checkCommon(op, x, w, groups, opts.bias);
  const [bb, cin, h, wd] = x.shape;
  const [win, cog, kh, kw] = w.shape;
  if (win !== cin) throw new WaveGpuError(op, `weight ${fmtShape(w.shape)} is [Cin, Cout/groups, KH, KW] with Cin ${win}, but x ${fmtShape(x.shape)} has ${cin} channels`);
  if (cin % groups !== 0) throw new WaveGpuError(op, `groups ${groups} must divide Cin ${cin}`);
  const cout = cog * groups;
  checkBias(op, opts.bias, cout);
  const stride = pair(opts.stride, 1, 'stride', op, 1);
  const pad = pair(opts.padding, 0, 'padding', op, 0);
  const dil = pair(opts.dilation, 1, 'dilation', op, 1);
  const opad = pair(opts.outputPadding, 0, 'outputPadding', op, 0);
  for (const a of [0, 1]) {
    if (opad[a] >= Math.max(stride[a], dil[a])) throw new WaveGpuError(op, `outputPadding ${opad[a]} must be smaller than stride ${stride[a]} or dilation ${dil[a]} (torch's rule)`);
  }
  const oh = outSize(op, (h - 1) * stride[0] - 2 * pad[0] + dil[0] * (kh - 1) + opad[0] + 1, 'height', x);
  const ow = outSize(op, (wd - 1) * stride[1] - 2 * pad[1] + dil[1] * (kw - 1) + opad[1] + 1, 'width', x);
  const d = { bb, cin, h, w: wd, cout, oh, ow, kh, kw };
  const version = opts.version ?? 3;
  if (version === 3 && dil[1] === 1) {
    // v3 reads x with KT - 1 zero columns on the left and enough on the right for the last window.
    const sw = stride[1], kt = Math.ceil(kw / sw);
    const pl3 = plan(op, 3, d, groups, stride, kt);
    const lastM0 = Math.floor(((pl3.owBlocks / sw - 1) * 16 * sw + sw - 1 + pad[1]) / sw);
    // Rows: tap rows run from (ph - dh*(KH-1)) / sh up to (OH - 1 + ph) / sh.
    const sh = stride[0], top = Math.max(0, Math.ceil((dil[0] * (kh - 1) - pad[0]) / sh));
    const bottom = Math.max(0, Math.floor((oh - 1 + pad[0]) / sh) - (h - 1));
    return x.gpu.scope(() => {
      const xp = pad2d(op, x, top + h + bottom, Math.max(kt - 1 + wd, lastM0 + 16 + kt - 1), top, kt - 1);
      return dispatchConv(op, xp, w, opts.bias, { ...d, h: xp.shape[2], w: xp.shape[3] }, groups, stride, [pad[0] + top * sh, pad[1]], dil, pl3);
    });
  }
  return dispatchConv(op, x, w, opts.bias, d, groups, stride, pad, dil, plan(op, version === 1 ? 1 : 2, d, groups, stride));
}
