/**
 * conv1d (kernels/conv1d.wgsl, kernels/conv1d_sg.wgsl), torch.nn.functional.conv1d semantics plus
 * padding modes, causal padding and a fused prologue/epilogue:
 *   y = act(conv1d(inputAct(x), w) + bias) + residual
 * One dispatch; the version (see the kernel header) is chosen from the shape and the device.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import { Tensor } from '../runtime/tensor.js';

/** v1..v5 of kernels/conv1d.wgsl (v4 lives in conv1d_sg.wgsl and needs 'subgroups'). */
export type Conv1dVersion = 'naive' | 'tiled' | 'window' | 'window_sg' | 'thin';
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
/** Epilogue activation, applied to conv + bias before the residual is added. */
export type Activation = 'none' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid';

export const ACT_CODES: Record<Activation, number> = { none: 0, relu: 1, leaky_relu: 2, tanh: 3, sigmoid: 4 };
const PAD_CODES: Record<PaddingMode, number> = { zeros: 0, reflect: 1, replicate: 2, circular: 3 };
const WG = 64;

/**
 * The fused prologue and epilogue shared by conv1d and conv_transpose1d:
 *   y = act(conv(inputAct(x)) + bias) + residual + residual2.
 */
export interface Epilogue {
  /**
   * Activation applied to each input element as it is loaded (torch: conv(F.leaky_relu(x))), so
   * the pre-activation pass of GAN vocoders and its temporary tensor disappear. Zero padding stays
   * zero; reflect/replicate/circular padding pad the activated signal, as torch does.
   */
  inputActivation?: 'none' | 'relu' | 'leaky_relu';
  /** Negative slope of the input leaky_relu (default 0.01). */
  inputSlope?: number;
  /** [Cout] */
  bias?: Tensor | null;
  activation?: Activation;
  /** Negative slope of leaky_relu (torch's default 0.01; HiFi-GAN uses 0.1, MelGAN 0.2). */
  slope?: number;
  /** [B, Cout, Tout], added after the activation (a residual connection). */
  residual?: Tensor | null;
  /** A second [B, Cout, Tout] tensor added after `residual` (HiFi-GAN: the running sum of a stage's resblocks). */
  residual2?: Tensor | null;
}

export interface Conv1dOptions extends Epilogue {
  stride?: number;
  dilation?: number;
  groups?: number;
  /** Padding per side, or [left, right]. */
  padding?: number | readonly [number, number];
  paddingMode?: PaddingMode;
  /** Left-only padding of dilation*(K-1) (output step t sees inputs <= t); excludes `padding`. */
  causal?: boolean;
  /** Force a kernel version (tests); by default the fastest one the shape and device allow. */
  version?: Conv1dVersion;
}

/** Geometry of one conv1d call, after validation. */
export interface Conv1dGeometry {
  batch: number; cin: number; cout: number; tin: number; tout: number; k: number;
  stride: number; dilation: number; groups: number; padLeft: number; padRight: number;
  paddingMode: PaddingMode;
}

export function requireF32(op: string, ...ts: Tensor[]): void {
  for (const t of ts) if (t.dtype !== 'f32') throw new WaveGpuError(op, `expects f32 tensors, got ${t.dtype} ${fmtShape(t.shape)}`);
}

export function positiveInt(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new WaveGpuError(op, `${name} must be a positive integer, got ${v}`);
  return v;
}

function padPair(op: string, o: Conv1dOptions, k: number, dilation: number): [number, number] {
  if (o.causal) {
    if (o.padding !== undefined && o.padding !== 0) throw new WaveGpuError(op, `causal: true sets the padding to [${dilation * (k - 1)}, 0]; drop padding: ${JSON.stringify(o.padding)}`);
    return [dilation * (k - 1), 0];
  }
  const p = o.padding ?? 0;
  const pair: [number, number] = typeof p === 'number' ? [p, p] : [p[0], p[1]];
  if (!pair.every((v) => Number.isInteger(v) && v >= 0)) throw new WaveGpuError(op, `padding must be non-negative integers, got ${JSON.stringify(p)}`);
  return pair;
}

function checkPadMode(op: string, mode: PaddingMode, tin: number, pl: number, pr: number): void {
  if (!(mode in PAD_CODES)) throw new WaveGpuError(op, `unknown paddingMode '${mode}' (zeros, reflect, replicate, circular)`);
  if (mode === 'zeros' || (pl === 0 && pr === 0)) return;
  if (mode === 'reflect' && Math.max(pl, pr) >= tin) throw new WaveGpuError(op, `reflect padding [${pl}, ${pr}] must be smaller than the input length ${tin} (as in torch); use 'replicate' or a longer input`);
  if (mode === 'circular' && Math.max(pl, pr) > tin) throw new WaveGpuError(op, `circular padding [${pl}, ${pr}] must not exceed the input length ${tin}`);
  if (tin < 1) throw new WaveGpuError(op, `${mode} padding needs a non-empty input`);
}

/** Validates shapes and options; returns the geometry (torch's output length). */
export function conv1dGeometry(x: Tensor, w: Tensor, o: Conv1dOptions = {}): Conv1dGeometry {
  const op = 'conv1d';
  requireF32(op, x, w);
  if (x.rank !== 3) throw new WaveGpuError(op, `x must be [B, Cin, T], got ${fmtShape(x.shape)}; reshape a [Cin, T] input to [1, Cin, T]`);
  if (w.rank !== 3) throw new WaveGpuError(op, `w must be [Cout, Cin/groups, K], got ${fmtShape(w.shape)}`);
  const [batch, cin, tin] = x.shape, [cout, cinG, k] = w.shape;
  const stride = positiveInt(op, 'stride', o.stride ?? 1), dilation = positiveInt(op, 'dilation', o.dilation ?? 1);
  const groups = positiveInt(op, 'groups', o.groups ?? 1);
  if (cin % groups || cout % groups) throw new WaveGpuError(op, `groups = ${groups} must divide Cin = ${cin} and Cout = ${cout}`);
  if (cinG !== cin / groups || k < 1) {
    throw new WaveGpuError(op, `w ${fmtShape(w.shape)} does not fit x ${fmtShape(x.shape)} with groups = ${groups}: expected [${cout}, ${cin / groups}, K >= 1]`);
  }
  const [padLeft, padRight] = padPair(op, o, k, dilation);
  const paddingMode = o.paddingMode ?? 'zeros';
  checkPadMode(op, paddingMode, tin, padLeft, padRight);
  const span = dilation * (k - 1) + 1;
  const tout = Math.floor((tin + padLeft + padRight - span) / stride) + 1;
  if (tout < 1) {
    throw new WaveGpuError(op, `input length ${tin} with padding [${padLeft}, ${padRight}] is shorter than the kernel span ${span} (K = ${k}, dilation ${dilation}); pad more or use a longer input`);
  }
  return { batch, cin, cout, tin, tout, k, stride, dilation, groups, padLeft, padRight, paddingMode };
}

/** Checks the epilogue tensors against the output shape; returns the override constants. */
export function epilogueOverrides(op: string, e: Epilogue, outShape: readonly number[]): Record<string, number> {
  const act = e.activation ?? 'none';
  if (!(act in ACT_CODES)) throw new WaveGpuError(op, `unknown activation '${act}' (${Object.keys(ACT_CODES).join(', ')})`);
  const cout = outShape[1];
  if (e.bias) {
    requireF32(op, e.bias);
    if (e.bias.rank !== 1 || e.bias.shape[0] !== cout) throw new WaveGpuError(op, `bias ${fmtShape(e.bias.shape)} does not match the output channels: expected [${cout}]`);
  }
  for (const [name, r] of [['residual', e.residual], ['residual2', e.residual2]] as const) {
    if (!r) continue;
    requireF32(op, r);
    if (fmtShape(r.shape) !== fmtShape(outShape)) throw new WaveGpuError(op, `${name} ${fmtShape(r.shape)} must have the output shape ${fmtShape(outShape)}`);
  }
  const inAct = e.inputActivation ?? 'none';
  if (inAct !== 'none' && inAct !== 'relu' && inAct !== 'leaky_relu') throw new WaveGpuError(op, `unknown input activation '${inAct}' (none, relu, leaky_relu)`);
  const ovr: Record<string, number> = { ACT: ACT_CODES[act], HAS_BIAS: e.bias ? 1 : 0, HAS_RES: e.residual ? 1 : 0, HAS_RES2: e.residual2 ? 1 : 0, IN_ACT: ACT_CODES[inAct] };
  if (inAct === 'leaky_relu') {
    const s = e.inputSlope ?? 0.01;
    if (!Number.isFinite(s)) throw new WaveGpuError(op, `inputSlope must be a finite number, got ${s}`);
    ovr.IN_SLOPE = s;
  }
  return ovr;
}

/** Taps unrolled per chunk by the window kernels: K itself up to 8, else the least padded split. */
export function tapsPerChunk(k: number): number {
  if (k <= 8) return k;
  let best = 8;
  for (let ku = 4; ku <= 8; ku++) {
    const cost = Math.ceil(k / ku) * ku, bestCost = Math.ceil(k / best) * best;
    if (cost < bestCost || (cost === bestCost && ku > best)) best = ku;
  }
  return best;
}

/** Workgroup size for `threads` threads per row block: 64, or 16/32 when fewer exist (short inputs). */
export function workgroupSize(threads: number): number {
  return threads > 32 ? WG : threads > 16 ? 32 : 16;
}

/**
 * Uniforms, overrides and grid of one version. Tiled kernels: grid [row blocks, step tiles / WG]
 * with row blocks = (b, group, 8 channels) (thin: (b, channel)); a thread covers 8 steps (thin
 * 32) spaced q = dil/stride apart (tiled: consecutive).
 */
function launch(x: Tensor, g: Conv1dGeometry, version: Conv1dVersion, n: number, slope: number) {
  const coutG = g.cout / g.groups, rowBlocks = Math.ceil(coutG / 8);
  const q = version === 'tiled' || version === 'naive' ? 1 : g.dilation / g.stride;
  const steps = version === 'thin' ? 32 : 8;
  const threads = Math.ceil(g.tout / (steps * q)) * q;
  const params = {
    cin: g.cin, cout: g.cout, tin: g.tin, tout: g.tout, k: g.k, stride: g.stride, dil: g.dilation, pad_left: g.padLeft,
    cin_g: g.cin / g.groups, cout_g: coutG, row_blocks: rowBlocks, groups: g.groups, q, threads, n, slope,
  };
  const wg = version === 'naive' ? WG : workgroupSize(threads);
  const overrides: Record<string, number> = { WG: wg };
  if (version !== 'naive' && version !== 'tiled') overrides.KU = tapsPerChunk(g.k);
  if (version === 'naive') return { params, overrides, workgroups: grid(n, WG) };
  const rows = version === 'thin' ? g.batch * g.cout : g.batch * g.groups * rowBlocks, cols = Math.ceil(threads / wg);
  const max = x.gpu.limits.maxComputeWorkgroupsPerDimension;
  if (rows > max || cols > max) {
    throw new WaveGpuError('conv1d', `x ${fmtShape(x.shape)} needs a [${rows}, ${cols}] grid of workgroups, over this device's ${max} per dimension; split the batch or the time axis`);
  }
  return { params, overrides, workgroups: [rows, cols, 1] };
}

/** The version conv1d runs for this geometry on this device when none is forced. */
export function conv1dVersion(g: Conv1dGeometry, hasSubgroups: boolean): Conv1dVersion {
  if (g.dilation % g.stride !== 0) return 'tiled';
  if (g.cout / g.groups <= 2) return 'thin';
  return hasSubgroups ? 'window_sg' : 'window';
}

function chooseVersion(x: Tensor, g: Conv1dGeometry, forced?: Conv1dVersion): Conv1dVersion {
  const sg = x.gpu.features.has('subgroups');
  if (!forced) return conv1dVersion(g, sg);
  if (!['naive', 'tiled', 'window', 'window_sg', 'thin'].includes(forced)) throw new WaveGpuError('conv1d', `unknown version '${forced}' (naive, tiled, window, window_sg, thin)`);
  if (forced !== 'naive' && forced !== 'tiled' && g.dilation % g.stride !== 0) {
    throw new WaveGpuError('conv1d', `version '${forced}' needs dilation (${g.dilation}) to be a multiple of stride (${g.stride}); use 'tiled'`);
  }
  if (forced === 'window_sg' && !sg) throw new WaveGpuError('conv1d', `version 'window_sg' needs the device feature 'subgroups', which this adapter lacks; use 'window'`);
  return forced;
}

/** conv1d(x, w, opts) or, as torch's F.conv1d, conv1d(x, w, bias, opts): the options object with bias folded in. */
export function splitBiasArg<O extends Epilogue>(a?: Tensor | O | null, b?: O): O {
  if (a instanceof Tensor || a === null) return { ...(b ?? {}), bias: a } as O;
  return a ?? b ?? ({} as O);
}

/**
 * y = act(conv1d(x, w) + bias) + residual.
 * x: [B, Cin, Tin], w: [Cout, Cin/groups, K], bias: [Cout], residual: [B, Cout, Tout]
 * -> y: [B, Cout, Tout] with Tout = floor((Tin + padL + padR - dilation*(K-1) - 1) / stride) + 1.
 * The bias may also come third, as in torch: conv1d(x, w, bias, { padding: 1 }).
 */
export function conv1d(x: Tensor, w: Tensor, opts?: Conv1dOptions): Tensor<'f32'>;
export function conv1d(x: Tensor, w: Tensor, bias: Tensor | null | undefined, opts?: Conv1dOptions): Tensor<'f32'>;
export function conv1d(x: Tensor, w: Tensor, a?: Tensor | Conv1dOptions | null, b?: Conv1dOptions): Tensor<'f32'> {
  const opts = splitBiasArg(a, b);
  const g = conv1dGeometry(x, w, opts);
  const outShape = [g.batch, g.cout, g.tout];
  const ovr = epilogueOverrides('conv1d', opts, outShape);
  const version = chooseVersion(x, g, opts.version);
  const y = x.gpu.empty(outShape, 'f32', 'conv1d');
  if (y.size === 0) return y;
  const { params, overrides, workgroups } = launch(x, g, version, y.size, opts.slope ?? 0.01);
  x.gpu.dispatch({
    op: 'conv1d', kernel: version === 'window_sg' ? 'conv1d_sg' : 'conv1d', entry: version,
    overrides: { ...overrides, PAD_MODE: PAD_CODES[g.paddingMode], ...ovr },
    uniforms: { params },
    buffers: { x, w, bias: opts.bias ?? w, res: opts.residual ?? x, res2: opts.residual2 ?? x, y },
    workgroups,
  });
  return y;
}
