/**
 * Batched matmul and linear (kernels/matmul.wgsl). Transposes and batch broadcasting become
 * strides, so every case is one dispatch of the same kernel; nothing is copied.
 */
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import { numel } from '../runtime/tensor.js';
import { broadcastShape } from './broadcast.js';

/** v1 naive, v2 workgroup tiles, v3 register-blocked (see the header of kernels/matmul.wgsl). */
export type MatmulVersion = 'naive' | 'tiled' | 'blocked';

export interface MatmulOptions {
  /** Use A^T: a is [..., K, M]. */
  transposeA?: boolean;
  /** Use B^T: b is [..., N, K]. */
  transposeB?: boolean;
  /** Kernel version; by default the register-blocked one, or the naive one for M <= 4 (GEMV-like). */
  version?: MatmulVersion;
}

interface Plan {
  m: number; n: number; k: number;
  batchShape: number[];
  batch: number;
  aBatchStride: number; bBatchStride: number;
}

function requireF32(op: string, ...ts: Tensor[]): void {
  for (const t of ts) if (t.dtype !== 'f32') throw new WaveGpuError(op, `expects f32 tensors, got ${t.dtype} ${fmtShape(t.shape)}`);
}

/** Batch count of one operand: its full batch (stride M*K) or 1 (stride 0, broadcast). */
function batchStride(op: string, side: string, own: readonly number[], full: number[], matSize: number, other: string): number {
  const count = numel(own);
  if (count === 1) return 0;
  const padded = [...new Array(full.length - own.length).fill(1), ...own];
  if (padded.some((d, i) => d !== full[i])) {
    throw new WaveGpuError(op, `batch dimensions ${fmtShape(own)} of ${side} broadcast to ${fmtShape(full)} only partially (${other}); expand ${side} to the full batch first, or give it batch 1`);
  }
  return matSize;
}

function plan(op: string, a: Tensor, b: Tensor, ta: boolean, tb: boolean): Plan {
  if (a.rank < 2 || b.rank < 2) {
    throw new WaveGpuError(op, `expects a [..., M, K] and b [..., K, N] (rank >= 2), got a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}; reshape a vector to [1, K] or [K, 1]`);
  }
  const [ar, ac] = a.shape.slice(-2), [br, bc] = b.shape.slice(-2);
  const [m, ka] = ta ? [ac, ar] : [ar, ac];
  const [kb, n] = tb ? [bc, br] : [br, bc];
  if (ka !== kb) {
    const want = tb ? `[..., N, ${ka}]` : `[..., ${ka}, N]`;
    throw new WaveGpuError(op, `inner dimensions differ: a ${fmtShape(a.shape)}${ta ? ' (transposed)' : ''} has K = ${ka}, b ${fmtShape(b.shape)}${tb ? ' (transposed)' : ''} has K = ${kb}; expected b ${want}`);
  }
  const aB = a.shape.slice(0, -2), bB = b.shape.slice(0, -2);
  const batchShape = broadcastShape(aB, bB, op);
  const why = `a ${fmtShape(a.shape)}, b ${fmtShape(b.shape)}`;
  return {
    m, n, k: ka, batchShape, batch: numel(batchShape),
    aBatchStride: batchStride(op, 'a', aB, batchShape, m * ka, why),
    bBatchStride: batchStride(op, 'b', bB, batchShape, ka * n, why),
  };
}

/** Strides (row, column) of opA(A) and opB(B) inside one matrix of the row-major operands. */
function strides(p: Plan, ta: boolean, tb: boolean): { a_rs: number; a_cs: number; b_rs: number; b_cs: number } {
  return {
    a_rs: ta ? 1 : p.k, a_cs: ta ? p.m : 1,     // A: [M, K] or [K, M]
    b_rs: tb ? 1 : p.n, b_cs: tb ? p.k : 1,     // B: [K, N] or [N, K]
  };
}

const TILE: Record<MatmulVersion, number> = { naive: 16, tiled: 16, blocked: 64 };

function encode(op: string, a: Tensor, b: Tensor, bias: Tensor | undefined, opts: MatmulOptions): Tensor<'f32'> {
  const ta = !!opts.transposeA, tb = !!opts.transposeB;
  const p = plan(op, a, b, ta, tb);
  const version = opts.version ?? (p.m <= 4 ? 'naive' : 'blocked');
  if (!(version in TILE)) throw new WaveGpuError(op, `unknown version '${version}' (naive, tiled, blocked)`);
  const maxZ = a.gpu.limits.maxComputeWorkgroupsPerDimension;
  if (p.batch > maxZ) throw new WaveGpuError(op, `batch ${fmtShape(p.batchShape)} has ${p.batch} matrices, over the ${maxZ} one dispatch can cover; split the batch`);
  const c = a.gpu.empty([...p.batchShape, p.m, p.n], 'f32', op);
  // naive with M <= 4 (a GEMV): 64 x 1 workgroups so no thread idles on rows that do not exist,
  // and 16-byte words when both operands' K runs are contiguous (x @ w^T, K % 4 == 0).
  const gemv = version === 'naive' && p.m <= 4;
  const words = gemv && !ta && tb && p.k % 4 === 0;
  const [tx, ty] = gemv ? [64, 1] : [TILE[version], TILE[version]];
  a.gpu.dispatch({
    op, kernel: 'matmul', entry: words ? 'gemv4' : version, overrides: version === 'naive' ? { WG_X: tx, WG_Y: ty } : {},
    uniforms: { params: { m: p.m, n: p.n, k: p.k, has_bias: bias ? 1 : 0, a_bs: p.aBatchStride, b_bs: p.bBatchStride, ...strides(p, ta, tb), _pad0: 0, _pad1: 0 } },
    buffers: words ? { a4: a, b4: b, bias: bias ?? b, c } : { a, b, bias: bias ?? b, c },
    workgroups: [Math.ceil(p.n / tx), Math.ceil(p.m / ty), p.batch],
  });
  return c;
}

/**
 * C = opA(a) @ opB(b), batched with numpy-style batch dims where each operand carries either the
 * full batch or batch 1 (broadcast).
 *   a: [...batch, M, K] ([...batch, K, M] with transposeA)
 *   b: [...batch, K, N] ([...batch, N, K] with transposeB)
 *   returns [...batch, M, N]
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor<'f32'> {
  requireF32('matmul', a, b);
  if (a.gpu !== b.gpu) throw new WaveGpuError('matmul', 'tensors live on different devices');
  return encode('matmul', a, b, undefined, opts);
}

/**
 * torch.nn.functional.linear: y = x @ w^T + bias.
 *   x: [..., in], w: [out, in], bias: [out] (optional); returns [..., out]
 */
export function linear(x: Tensor, w: Tensor, bias?: Tensor, version?: MatmulVersion): Tensor<'f32'> {
  requireF32('linear', x, w, ...(bias ? [bias] : []));
  if (x.rank < 1 || w.rank !== 2 || x.shape[x.rank - 1] !== w.shape[1]) {
    throw new WaveGpuError('linear', `expects x [..., in] and w [out, in], got x ${fmtShape(x.shape)} and w ${fmtShape(w.shape)}${w.rank === 2 ? `; expected x [..., ${w.shape[1]}]` : ''}`);
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== w.shape[0])) {
    throw new WaveGpuError('linear', `bias ${fmtShape(bias.shape)} does not match w ${fmtShape(w.shape)}; expected [${w.shape[0]}]`);
  }
  const inF = w.shape[1], outF = w.shape[0];
  const x2 = x.reshape([numel(x.shape.slice(0, -1)), inF]);
  const y2 = encode('linear', x2, w, bias, { transposeB: true, version });
  const y = y2.reshape([...x.shape.slice(0, -1), outF]);
  x2.dispose();
  y2.dispose();
  return y;
}
