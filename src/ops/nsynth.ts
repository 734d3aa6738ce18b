/**
 * Whole-sequence conditioning ops of the WaveNet autoencoders (kernels/nsynth.wgsl): the gated
 * activation and the head's add-and-relu, each reading a frame-rate conditioning tensor
 * c [B, Ctot, F] at a channel offset, frame min(t / hop, F - 1) (the encoding upsampled by
 * repetition, never materialised at the sample rate).
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

const WG = 256;

export interface CondView {
  /** [B, Ctot, F] frame-rate conditioning. */
  c: Tensor;
  /** First channel of c this call reads. */
  offset: number;
  /** Samples per frame. */
  hop: number;
}

function checkCond(op: string, b: number, channels: number, v: CondView): void {
  const { c, offset, hop } = v;
  if (c.dtype !== 'f32' || c.rank !== 3 || c.shape[0] !== b || c.shape[2] < 1) {
    throw new WaveGpuError(op, `cond is ${fmtShape(c.shape)} ${c.dtype}, expected f32 [${b}, Ctot, F >= 1]`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + channels > c.shape[1]) {
    throw new WaveGpuError(op, `cond channels ${offset}..${offset + channels} do not fit cond ${fmtShape(c.shape)}; pass an offset in [0, ${c.shape[1] - channels}]`);
  }
  if (!Number.isInteger(hop) || hop < 1) throw new WaveGpuError(op, `hop must be a positive integer, got ${hop}`);
}

function run(op: 'gate_cond' | 'cond_relu', x: Tensor, y: Tensor, ch: number, v: CondView): Tensor {
  const [b, , t] = y.shape;
  x.gpu.dispatch({
    op, kernel: 'nsynth', entry: op, overrides: { WG },
    uniforms: { params: { batch: b, ch, t_len: t, hop: v.hop, frames: v.c.shape[2], c_total: v.c.shape[1], c_off: v.offset, n: y.size } },
    buffers: { z: x, c: v.c, y },
    workgroups: grid(y.size, WG),
  });
  return y;
}

/**
 * a = sigmoid(z[:, :R] + c_up[:R]) * tanh(z[:, R:] + c_up[R:]) with c_up the conditioning
 * channels offset .. offset + 2R repeated `hop` times. z: [B, 2R, T] -> a: [B, R, T]
 */
export function gateCond(z: Tensor, cond: CondView): Tensor {
  const op = 'gateCond';
  if (z.dtype !== 'f32' || z.rank !== 3 || z.shape[1] % 2) throw new WaveGpuError(op, `z is ${fmtShape(z.shape)} ${z.dtype}, expected f32 [B, 2R, T] (the dilated conv output, sigmoid half first)`);
  const [b, m, t] = z.shape;
  checkCond(op, b, m, cond);
  const a = z.gpu.empty([b, m / 2, t], 'f32', op);
  if (a.size === 0) return a;
  return run('gate_cond', z, a, m / 2, cond);
}

/** y = relu(x + c_up) with c_up the channels offset .. offset + C repeated `hop` times. x: [B, C, T] -> [B, C, T] */
export function condRelu(x: Tensor, cond: CondView): Tensor {
  const op = 'condRelu';
  if (x.dtype !== 'f32' || x.rank !== 3) throw new WaveGpuError(op, `x is ${fmtShape(x.shape)} ${x.dtype}, expected f32 [B, C, T]`);
  checkCond(op, x.shape[0], x.shape[1], cond);
  const y = x.gpu.empty(x.shape, 'f32', op);
  if (y.size === 0) return y;
  return run('cond_relu', x, y, x.shape[1], cond);
}
