/**
 * Scans along an axis (kernels/scan.wgsl): cumulative sum, numpy-style phase unwrap, and
 * GANSynth's instantaneous frequency <-> phase conversions.
 *
 * Long rows: 1,024-element blocks per 64-thread workgroup in workgroup memory (16 terms per
 * thread, then one thread scans the 64 thread totals: a raking scan, O(n) work, 3 barriers), block
 * totals scanned recursively and added back. Short or strided rows: one thread per row.
 * Accuracy: every serial sum is Kahan-compensated and the levels nest, so the f32 error stays
 * within (8 + 2 log2 n) eps sum_{j<=i} |x_j| at element i (the bound the tests check; observed
 * far below it). unwrap sums integer jump counts (exact) and adds 2 pi times the count with a
 * two-part constant: one or two roundings of the output.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

const WG = 256;       // elementwise and serial kernels
const WG_BLOCK = 64;  // scan_block threads (K = 16 elements each in the kernel)
const K = 16;
const MAX_GROUPS = 65535;

/** Mirrors the M_* constants of kernels/scan.wgsl. */
const MODES = { sum: 0, unwrap: 1 } as const;

export type ScanMethod = 'auto' | 'serial' | 'block';

interface ScanJob {
  op: string;
  x: Tensor;
  axis: number;
  mode: keyof typeof MODES;
  scale: number;
  discont: number;
  method: ScanMethod;
  blockThreads: number;
}

function view(op: string, x: Tensor, axis: number): { outer: number; n: number; inner: number } {
  if (x.dtype !== 'f32') throw new WaveGpuError(op, `expects an f32 tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
  const ax = axis < 0 ? x.rank + axis : axis;
  if (!Number.isInteger(axis) || ax < 0 || ax >= x.rank) throw new WaveGpuError(op, `axis ${axis} is out of range for ${fmtShape(x.shape)} (rank ${x.rank}); use -${x.rank}..${x.rank - 1}`);
  const prod = (a: readonly number[]) => a.reduce((p, d) => p * d, 1);
  return { outer: prod(x.shape.slice(0, ax)), n: x.shape[ax], inner: prod(x.shape.slice(ax + 1)) };
}

/**
 * Serial rows win when rows are short (a block would be mostly empty) or strided with enough
 * rows to fill the device (the column walk is coalesced across threads).
 */
function useSerial(rows: number, n: number, inner: number, method: ScanMethod): boolean {
  if (method !== 'auto') return method === 'serial';
  return n <= 64 || (inner > 1 && rows >= 1024 && n <= 8192);
}

/** discont as hi + lo f32 parts, so |dd| < discont is decided as in float64. */
function splitDiscont(d: number): { discont_hi: number; discont_lo: number } {
  const hi = Math.fround(d);
  return { discont_hi: hi, discont_lo: Math.fround(d - hi) };
}

function params(rows: number, n: number, inner: number, nblocks: number, job: ScanJob) {
  return { params: { rows, n, inner, nblocks, block: job.blockThreads * K, mode: MODES[job.mode], scale: job.scale, ...splitDiscont(job.discont) } };
}

/** Block scan of `rows` rows of length n into y (recursing on the block totals). */
function blockScan(job: ScanJob, x: Tensor, y: Tensor, rows: number, n: number, inner: number): void {
  const gpu = x.gpu, WGB = job.blockThreads, nblocks = Math.ceil(n / (WGB * K)), groups = rows * nblocks;
  if (groups > MAX_GROUPS * MAX_GROUPS) throw new WaveGpuError(job.op, `${fmtShape(x.shape)} needs ${groups} workgroups; split the input`);
  gpu.scope(() => {
    const sums = gpu.empty([Math.max(rows * nblocks, 1)], 'f32', job.op);
    gpu.dispatch({
      op: job.op, kernel: 'scan', entry: 'scan_block', overrides: { WG: WGB },
      uniforms: params(rows, n, inner, nblocks, job), buffers: { x, y, sums }, workgroups: grid(groups, 1),
    });
    if (nblocks === 1) return;
    const offsets = gpu.empty([rows * nblocks], 'f32', job.op);
    scanRows({ ...job, mode: 'sum', scale: 1 }, sums, offsets, rows, nblocks, 1);
    gpu.dispatch({
      op: job.op, kernel: 'scan', entry: 'scan_add', overrides: { WG },
      uniforms: params(rows, n, inner, nblocks, job), buffers: { x, y, offsets }, workgroups: grid(rows * n, WG),
    });
  });
}

function scanRows(job: ScanJob, x: Tensor, y: Tensor, rows: number, n: number, inner: number): void {
  if (rows * n === 0) return;
  if (useSerial(rows, n, inner, job.method)) {
    x.gpu.dispatch({
      op: job.op, kernel: 'scan', entry: 'scan_serial', overrides: { WG },
      uniforms: params(rows, n, inner, 1, job), buffers: { x, y }, workgroups: grid(rows, WG),
    });
  } else {
    blockScan(job, x, y, rows, n, inner);
  }
}

function run(job: ScanJob): Tensor {
  const { outer, n, inner } = view(job.op, job.x, job.axis);
  const y = job.x.gpu.empty(job.x.shape, 'f32', job.op);
  scanRows(job, job.x, y, outer * inner, n, inner);
  return y;
}

export interface ScanOptions {
  /** 'auto' picks by shape; 'serial' / 'block' force one kernel (tests, benchmarks). */
  method?: ScanMethod;
  /** scan_block threads per workgroup (a block is 16x that); 1..64, default 64. Tuning and tests. */
  blockThreads?: number;
}

function options(op: string, o: ScanOptions): { method: ScanMethod; blockThreads: number } {
  const blockThreads = o.blockThreads ?? WG_BLOCK;
  if (!Number.isInteger(blockThreads) || blockThreads < 1 || blockThreads > 64) throw new WaveGpuError(op, `blockThreads must be an integer in [1, 64], got ${blockThreads}`);
  return { method: o.method ?? 'auto', blockThreads };
}

/** y = cumsum(scale * x) along `axis`. x: [...] f32 -> y: same shape. */
export function cumsum(x: Tensor, axis = -1, opts: ScanOptions & { scale?: number } = {}): Tensor {
  return run({ op: 'cumsum', x, axis, mode: 'sum', scale: opts.scale ?? 1, discont: 0, ...options('cumsum', opts) });
}

/** numpy.unwrap(p, discont, axis): removes 2 pi jumps larger than discont (>= pi). p: [...] f32 */
export function unwrap(p: Tensor, axis = -1, opts: ScanOptions & { discont?: number } = {}): Tensor {
  const discont = Math.max(opts.discont ?? Math.PI, Math.PI);
  return run({ op: 'unwrap', x: p, axis, mode: 'unwrap', scale: 1, discont, ...options('unwrap', opts) });
}

/**
 * GANSynth's instantaneous frequency: diff(unwrap(phase)) / pi along the time axis, the first
 * frame kept as phase[0] / pi. phase: [..., T, F] with the default axis -2 (time) -> same shape.
 */
export function instFreq(phase: Tensor, axis = -2): Tensor {
  const op = 'instFreq';
  const { outer, n, inner } = view(op, phase, axis);
  const y = phase.gpu.empty(phase.shape, 'f32', op);
  phase.gpu.dispatch({
    op, kernel: 'scan', entry: 'inst_freq', overrides: { WG },
    uniforms: { params: { rows: outer * inner, n, inner, nblocks: 1, block: 1, mode: MODES.unwrap, scale: 1, ...splitDiscont(Math.PI) } },
    buffers: { x: phase, y }, workgroups: grid(phase.size, WG),
  });
  return y;
}

/** GANSynth's inverse: phase = cumsum(IF * pi) along the time axis. ifreq: [..., T, F] (axis -2). */
export function phaseFromInstFreq(ifreq: Tensor, axis = -2, opts: ScanOptions = {}): Tensor {
  return run({ op: 'phaseFromInstFreq', x: ifreq, axis, mode: 'sum', scale: Math.PI, discont: 0, ...options('phaseFromInstFreq', opts) });
}
