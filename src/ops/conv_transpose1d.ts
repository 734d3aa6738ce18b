/**
 * conv_transpose1d (kernels/conv_transpose1d.wgsl, kernels/conv_transpose1d_sg.wgsl),
 * torch.nn.functional.conv_transpose1d semantics, computed as a gather (each output sums its
 * own taps; no atomics), with conv1d's fused epilogue: y = act(conv_transpose1d(x, w) + bias) + residual.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import { epilogueOverrides, positiveInt, requireF32, splitBiasArg, tapsPerChunk, workgroupSize, type Epilogue } from './conv1d.js';

/** v1..v3 of kernels/conv_transpose1d.wgsl (v3 in conv_transpose1d_sg.wgsl, needs 'subgroups'). */
export type ConvTranspose1dVersion = 'naive' | 'window' | 'window_sg';

export interface ConvTranspose1dOptions extends Epilogue {
  stride?: number;
  /** Removes `padding` outputs from each end (torch's padding of a transposed conv). */
  padding?: number;
  /** Extra outputs at the end (< max(stride, dilation)), to pick among the lengths a strided conv maps to one. */
  outputPadding?: number;
  dilation?: number;
  groups?: number;
  version?: ConvTranspose1dVersion;
}

export interface ConvTranspose1dGeometry {
  batch: number; cin: number; cout: number; tin: number; tout: number; k: number;
  stride: number; dilation: number; groups: number; padding: number; outputPadding: number;
}

const WG = 64;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function nonNegativeInt(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) throw new WaveGpuError(op, `${name} must be a non-negative integer, got ${v}`);
  return v;
}

/** Validates shapes and options; Tout = (Tin-1)*stride - 2*padding + dilation*(K-1) + outputPadding + 1. */
export function convTranspose1dGeometry(x: Tensor, w: Tensor, o: ConvTranspose1dOptions = {}): ConvTranspose1dGeometry {
  const op = 'conv_transpose1d';
  requireF32(op, x, w);
  if (x.rank !== 3) throw new WaveGpuError(op, `x must be [B, Cin, T], got ${fmtShape(x.shape)}; reshape a [Cin, T] input to [1, Cin, T]`);
  if (w.rank !== 3) throw new WaveGpuError(op, `w must be [Cin, Cout/groups, K] (torch's ConvTranspose1d layout), got ${fmtShape(w.shape)}`);
  const [batch, cin, tin] = x.shape, [wcin, coutG, k] = w.shape;
  const stride = positiveInt(op, 'stride', o.stride ?? 1), dilation = positiveInt(op, 'dilation', o.dilation ?? 1);
  const groups = positiveInt(op, 'groups', o.groups ?? 1);
  const padding = nonNegativeInt(op, 'padding', o.padding ?? 0), outputPadding = nonNegativeInt(op, 'outputPadding', o.outputPadding ?? 0);
  if (cin % groups) throw new WaveGpuError(op, `groups = ${groups} must divide Cin = ${cin}`);
  if (wcin !== cin || k < 1 || coutG < 1) {
    throw new WaveGpuError(op, `w ${fmtShape(w.shape)} does not fit x ${fmtShape(x.shape)}: expected [${cin}, Cout/groups, K] (torch's layout: input channels first)`);
  }
  if (outputPadding >= Math.max(stride, dilation)) {
    throw new WaveGpuError(op, `outputPadding ${outputPadding} must be smaller than stride (${stride}) or dilation (${dilation}), as in torch`);
  }
  const tout = (tin - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1;
  if (tin < 1 || tout < 1) throw new WaveGpuError(op, `x ${fmtShape(x.shape)} gives output length ${tout} with padding ${padding}; reduce the padding`);
  return { batch, cin, cout: coutG * groups, tin, tout, k, stride, dilation, groups, padding, outputPadding };
}

/** The version conv_transpose1d runs when none is forced. */
export function convTranspose1dVersion(hasSubgroups: boolean): ConvTranspose1dVersion {
  return hasSubgroups ? 'window_sg' : 'window';
}

function chooseVersion(x: Tensor, forced?: ConvTranspose1dVersion): ConvTranspose1dVersion {
  const sg = x.gpu.features.has('subgroups');
  if (!forced) return convTranspose1dVersion(sg);
  if (!['naive', 'window', 'window_sg'].includes(forced)) throw new WaveGpuError('conv_transpose1d', `unknown version '${forced}' (naive, window, window_sg)`);
  if (forced === 'window_sg' && !sg) throw new WaveGpuError('conv_transpose1d', `version 'window_sg' needs the device feature 'subgroups', which this adapter lacks; use 'window'`);
  return forced;
}

/**
 * y = act(conv_transpose1d(x, w) + bias) + residual.
 * x: [B, Cin, Tin], w: [Cin, Cout/groups, K], bias: [Cout], residual: [B, Cout, Tout] -> y: [B, Cout, Tout].
 * The bias may also come third, as in torch: convTranspose1d(x, w, bias, { stride: 8 }).
 */
export function convTranspose1d(x: Tensor, w: Tensor, opts?: ConvTranspose1dOptions): Tensor<'f32'>;
export function convTranspose1d(x: Tensor, w: Tensor, bias: Tensor | null | undefined, opts?: ConvTranspose1dOptions): Tensor<'f32'>;
export function convTranspose1d(x: Tensor, w: Tensor, a?: Tensor | ConvTranspose1dOptions | null, b?: ConvTranspose1dOptions): Tensor<'f32'> {
  const opts = splitBiasArg(a, b);
  const op = 'conv_transpose1d';
  const g = convTranspose1dGeometry(x, w, opts);
  const outShape = [g.batch, g.cout, g.tout];
  const ovr = epilogueOverrides(op, opts, outShape);
  const version = chooseVersion(x, opts.version);
  const y = x.gpu.empty(outShape, 'f32', op);
  if (y.size === 0) return y;
  const coutG = g.cout / g.groups, rowBlocks = Math.ceil(coutG / 8);
  const e = g.dilation / gcd(g.stride, g.dilation);                 // input step between a phase's taps
  const perPhase = Math.ceil(g.tout / g.stride);                    // outputs of the largest phase
  const threads = Math.ceil(perPhase / (8 * e)) * e;
  const params = {
    cin: g.cin, cout: g.cout, tin: g.tin, tout: g.tout, k: g.k, stride: g.stride, dil: g.dilation, pad: g.padding,
    cin_g: g.cin / g.groups, cout_g: coutG, row_blocks: rowBlocks, groups: g.groups, e, threads, n: y.size, slope: opts.slope ?? 0.01,
  };
  const wg = version === 'naive' ? WG : workgroupSize(threads);
  const overrides: Record<string, number> = { WG: wg, ...ovr };
  if (version !== 'naive') overrides.KU = tapsPerChunk(Math.ceil(g.k / (g.stride / gcd(g.stride, g.dilation))));
  const cols = g.batch * g.groups * rowBlocks * g.stride, rows = Math.ceil(threads / wg);
  const max = x.gpu.limits.maxComputeWorkgroupsPerDimension;
  if (version !== 'naive' && (cols > max || rows > max)) {
    throw new WaveGpuError(op, `x ${fmtShape(x.shape)} needs a [${cols}, ${rows}] grid of workgroups, over this device's ${max} per dimension; split the batch or the time axis`);
  }
  x.gpu.dispatch({
    op, kernel: version === 'window_sg' ? 'conv_transpose1d_sg' : 'conv_transpose1d', entry: version, overrides,
    uniforms: { params },
    buffers: { x, w, bias: opts.bias ?? w, res: opts.residual ?? x, res2: opts.residual2 ?? x, y },
    workgroups: version === 'naive' ? grid(y.size, WG) : [cols, rows, 1],
  });
  return y;
}
