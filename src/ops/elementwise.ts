/**
 * Elementwise ops (kernels/elementwise.wgsl): activations, affine maps and broadcasting
 * arithmetic. One dispatch each; outputs are new tensors.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import { broadcastShape, broadcastStrides } from './broadcast.js';

const WG = 256;

/** Mirrors the U_* constants of kernels/elementwise.wgsl. */
export const UNARY_CODES = {
  relu: 0, leaky_relu: 1, tanh: 2, sigmoid: 3, softplus: 4, exp: 5, sin: 6, clamp: 7, affine: 8,
  abs: 9, log: 10, sqrt: 11, cos: 12, square: 13,
} as const;
export type UnaryOp = keyof typeof UNARY_CODES;

/** Mirrors the B_* constants. `pow` is defined for a >= 0 only (WGSL pow). */
export const BINARY_CODES = { add: 0, sub: 1, mul: 2, div: 3, max: 4, min: 5, pow: 6 } as const;
export type BinaryOp = keyof typeof BINARY_CODES;

function requireF32(op: string, ...ts: Tensor[]): void {
  for (const t of ts) if (t.dtype !== 'f32') throw new WaveGpuError(op, `expects f32 tensors, got ${t.dtype} ${fmtShape(t.shape)}`);
}

/** y = f(x) with f one of UNARY_CODES; alpha/beta parametrise leaky_relu, clamp and affine. */
export function unary(x: Tensor, op: UnaryOp, alpha = 0, beta = 0): Tensor<'f32'> {
  requireF32(op, x);
  const y = x.gpu.empty(x.shape, 'f32', op);
  x.gpu.dispatch({
    op, kernel: 'elementwise', entry: 'unary',
    uniforms: { uparams: { n: x.size, op: UNARY_CODES[op], alpha, beta } },
    buffers: { x, y },
    workgroups: grid(x.size, WG),
  });
  return y;
}

export const relu = (x: Tensor) => unary(x, 'relu');
export const leakyRelu = (x: Tensor, slope = 0.01) => unary(x, 'leaky_relu', slope);
export const tanh = (x: Tensor) => unary(x, 'tanh');
export const sigmoid = (x: Tensor) => unary(x, 'sigmoid');
export const softplus = (x: Tensor) => unary(x, 'softplus');
export const exp = (x: Tensor) => unary(x, 'exp');
export const sin = (x: Tensor) => unary(x, 'sin');
export const cos = (x: Tensor) => unary(x, 'cos');
export const abs = (x: Tensor) => unary(x, 'abs');
export const log = (x: Tensor) => unary(x, 'log');
export const sqrt = (x: Tensor) => unary(x, 'sqrt');
export const square = (x: Tensor) => unary(x, 'square');
/** y = scale * x + shift */
export const scale = (x: Tensor, s: number, shift = 0) => unary(x, 'affine', s, shift);
export function clamp(x: Tensor, lo: number, hi: number): Tensor<'f32'> {
  if (!(lo <= hi)) throw new WaveGpuError('clamp', `lower bound ${lo} is above upper bound ${hi}`);
  return unary(x, 'clamp', lo, hi);
}

function pack8(v: readonly number[]): [number[], number[]] {
  const full = [...new Array(8 - v.length).fill(0), ...v];
  return [full.slice(0, 4), full.slice(4)];
}

/** out = a (op) b with numpy broadcasting, rank <= 8. */
export function binary(a: Tensor, b: Tensor, op: BinaryOp): Tensor<'f32'> {
  requireF32(op, a, b);
  if (a.gpu !== b.gpu) throw new WaveGpuError(op, 'tensors live on different devices');
  const shape = broadcastShape(a.shape, b.shape, op);
  if (shape.length > 8) throw new WaveGpuError(op, `rank ${shape.length} is over the supported 8`);
  const out = a.gpu.empty(shape, 'f32', op);
  const dims = [...new Array(8 - shape.length).fill(1), ...shape];
  const [dims_lo, dims_hi] = [dims.slice(0, 4), dims.slice(4)];
  const [a_lo, a_hi] = pack8(broadcastStrides(a.shape, shape));
  const [b_lo, b_hi] = pack8(broadcastStrides(b.shape, shape));
  a.gpu.dispatch({
    op, kernel: 'elementwise', entry: 'binary',
    uniforms: { bparams: { n: out.size, op: BINARY_CODES[op], rank: shape.length, _pad: 0, dims_lo, dims_hi, a_lo, a_hi, b_lo, b_hi } },
    buffers: { a, b, out },
    workgroups: grid(out.size, WG),
  });
  return out;
}

export const add = (a: Tensor, b: Tensor) => binary(a, b, 'add');
export const sub = (a: Tensor, b: Tensor) => binary(a, b, 'sub');
export const mul = (a: Tensor, b: Tensor) => binary(a, b, 'mul');
export const div = (a: Tensor, b: Tensor) => binary(a, b, 'div');
export const maximum = (a: Tensor, b: Tensor) => binary(a, b, 'max');
export const minimum = (a: Tensor, b: Tensor) => binary(a, b, 'min');
export const pow = (a: Tensor, b: Tensor) => binary(a, b, 'pow');

/** x + bias along `axis` (default 1: [B, C, ...] + [C]). */
export function addBias(x: Tensor, bias: Tensor, axis = 1): Tensor<'f32'> {
  const ax = axis < 0 ? x.rank + axis : axis;
  if (bias.rank !== 1 || x.shape[ax] !== bias.shape[0]) {
    throw new WaveGpuError('bias', `bias ${fmtShape(bias.shape)} does not match axis ${axis} of ${fmtShape(x.shape)}; expected [${x.shape[ax]}]`);
  }
  const view = bias.reshape([bias.shape[0], ...new Array(x.rank - ax - 1).fill(1)]);
  const y = add(x, view);
  view.dispose();
  return y;
}
