/**
 * Plans and records the FFT family's dispatches (kernels/fft.wgsl): per-device tuning, complex
 * line FFTs (one pass up to the tile, four-step beyond), and the real FFTs with their framed
 * loads and half-spectrum stores that stft, mel and fftconv build on. src/ops/fft.ts holds the
 * public ops.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import type { Gpu } from '../runtime/gpu.js';
import { twiddles } from './fft_tables.js';

/** Largest supported transform (the twiddle table is n complex values). */
export const MAX_FFT = 1 << 20;
/** Longest line held in workgroup memory: 4096 complex f32 = 32 KiB. */
export const MAX_TILE = 4096;
const WG = 256;
/** Smallest tile built (fewer pipeline variants; small problems leave lanes idle). */
const MIN_TILE = 256;

/** Per-device shape of fft_lines: the tile (longest line held whole) and the workgroup size. */
export interface FftTuning { tile: number; wg: number }

/**
 * SwiftShader (the CPU device) gets 1024-point tiles of 4 threads. Its compiler null-initialises
 * workgroup memory with one unrolled store per scalar, so a 32 KiB array takes 10-25 s to build
 * (8 KiB: ~2 s); and a barrier in a workgroup wider than its 4-lane SIMD switches coroutines:
 * 4 threads ran batched 1024-point FFTs ~13x faster than 256 threads (measured side by side).
 */
export const SWIFTSHADER_TUNING: FftTuning = { tile: 1024, wg: 4 };
export const GPU_TUNING: FftTuning = { tile: MAX_TILE, wg: WG };
const tunings = new WeakMap<Gpu, FftTuning>();

export function fftTuning(gpu: Gpu): FftTuning {
  let t = tunings.get(gpu);
  if (!t) tunings.set(gpu, (t = /swiftshader/i.test(gpu.describe()) ? SWIFTSHADER_TUNING : GPU_TUNING));
  return t;
}

/** Overrides the tuning of `gpu` (tests use it to build the 32 KiB tile once on SwiftShader). */
export function setFftTuning(gpu: Gpu, t: FftTuning): void {
  if (!isPow2(t.tile) || t.tile < 4 || t.tile > MAX_TILE) throw new WaveGpuError('fft', `tile ${t.tile} is not a power of two in [4, ${MAX_TILE}]`);
  if (!isPow2(t.wg) || t.wg > WG) throw new WaveGpuError('fft', `workgroup size ${t.wg} is not a power of two in [1, ${WG}]`);
  tunings.set(gpu, { ...t });
}

export function isPow2(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

const log2i = (n: number) => Math.round(Math.log2(n));

/** One FFT stage plan: `lines` lines of length `len` in the strided layout fft_lines reads. */
interface LinesPass {
  lines: number; len: number; perItem: number; itemStride: number;
  inQ: number; inM: number; outQ: number; outK: number; postStep: number; scale: number;
}

function dispatchLines(src: Tensor, dst: Tensor, table: Tensor, tableLen: number, p: LinesPass, dir: number, op: string): void {
  const { tile, wg, groups } = tileFor(src.gpu, p.lines, p.len);
  src.gpu.dispatch({
    op, kernel: 'fft', entry: 'fft_lines',
    overrides: { WG: wg, TILE: tile },
    uniforms: {
      lp: {
        lines: p.lines, len: p.len, log2_len: log2i(p.len), per_item: p.perItem, item_stride: p.itemStride,
        in_q: p.inQ, in_m: p.inM, out_q: p.outQ, out_k: p.outK,
        tw_step: tableLen / p.len, post_step: p.postStep, dir, scale: p.scale,
      },
    },
    buffers: { lsrc: src, ltable: table, ldst: dst },
    workgroups: grid(groups, 1),
  });
}

/**
 * Records `count` complex FFTs of length n from src to dst (both [count, n, 2] in memory,
 * distinct buffers). tableLen: length of the twiddle table (a multiple of n). The inverse
 * conjugates the twiddles; `scale` multiplies the result (1/n for a normalised inverse).
 */
export function fftLinesInto(src: Tensor, dst: Tensor, count: number, n: number, inverse: boolean, scale: number, op = 'fft'): void {
  fftLinesWithTable(src, dst, count, n, inverse, scale, n, op);
}

export function fftLinesWithTable(src: Tensor, dst: Tensor, count: number, n: number, inverse: boolean, scale: number, tableLen: number, op: string): void {
  const gpu = src.gpu;
  const table = twiddles(gpu, tableLen);
  const dir = inverse ? -1 : 1;
  const maxLine = fftTuning(gpu).tile;
  if (n <= maxLine) {
    dispatchLines(src, dst, table, tableLen, { lines: count, len: n, perItem: 1, itemStride: n, inQ: 0, inM: 1, outQ: 0, outK: 1, postStep: 0, scale }, dir, op);
    return;
  }
  const n1 = 2 ** Math.floor(log2i(n) / 2), n2 = n / n1;
  if (n2 > maxLine) throw new WaveGpuError(op, `length ${n} needs lines of ${n2} points but the workgroup tile holds ${maxLine}; raise it with setFftTuning()`);
  const tmp = gpu.empty([count, n, 2], 'f32', op);
  // Pass 1: for each n2, FFT over n1 of x[n2 + N2 n1] -> Y[k1 N2 + n2] * w_n^(k1 n2).
  dispatchLines(src, tmp, table, tableLen, { lines: count * n2, len: n1, perItem: n2, itemStride: n, inQ: 1, inM: n2, outQ: 1, outK: n2, postStep: tableLen / n, scale: 1 }, dir, op);
  // Pass 2: for each k1, FFT over n2 of Y[k1 N2 + n2] -> X[k1 + N1 k2].
  dispatchLines(tmp, dst, table, tableLen, { lines: count * n1, len: n2, perItem: n1, itemStride: n, inQ: n2, inM: 1, outQ: 1, outK: n1, postStep: 0, scale }, dir, op);
  tmp.dispose();
}

/** Output strides (in complex elements) of a spectrum; line = outer * frames + frame. */
export interface SpectrumLayout {
  frames: number;
  outer: number;
  frame: number;
  bin: number;
}

/**
 * How the real FFT reads its lines: frame f of row r is samples [f hop - pad, f hop - pad + n)
 * of row r of a [rows, length] signal, padded by reflection or zeros, times a window of
 * `window.len` values placed at `window.off` (none: rectangular). A plain rfft of [rows, n] is
 * one frame per row: plainRows(rows, n).
 */
export interface FrameSource {
  rows: number; frames: number; length: number; hop: number; pad: number;
  padMode: 'reflect' | 'zeros';
  window: { tensor: Tensor; off: number; len: number } | null;
}

export const plainRows = (rows: number, n: number): FrameSource => ({ rows, frames: 1, length: n, hop: 0, pad: 0, padMode: 'zeros', window: null });

/** Tile and workgroup size for lines of `len` points, `lines` of them. */
function tileFor(gpu: Gpu, lines: number, len: number): { tile: number; wg: number; groups: number } {
  const tune = fftTuning(gpu);
  const total = Math.min(tune.tile, 2 ** Math.ceil(Math.log2(Math.max(1, lines * len))));
  const tile = Math.max(MIN_TILE, len, total);
  return { tile, wg: Math.min(tune.wg, tile / 4), groups: Math.ceil(lines / (tile / len)) };
}

/**
 * Records real n-point FFTs of the frames `src` describes into `dst` at the strides of `layout`
 * with `bins` = n/2 + 1 (one-sided) or n (two-sided), times scale: one dispatch when n/2 fits
 * the tile, else framing, the split complex FFT and the half-spectrum split as three passes.
 */
export function rfftInto(src: Tensor, dst: Tensor, n: number, f: FrameSource, bins: number, layout: SpectrumLayout, scale = 1, op = 'rfft'): void {
  const gpu = src.gpu, half = n / 2, lines = f.rows * f.frames;
  const rp = {
    lines, half, log2_half: log2i(half), tw_step: 2, frames: f.frames, length: f.length, hop: f.hop, pad: f.pad,
    pad_mode: f.padMode === 'reflect' ? 0 : 1, win_off: f.window?.off ?? 0, win_len: f.window?.len ?? 0, has_win: f.window ? 1 : 0,
    bins, out_outer: layout.outer, out_frame: layout.frame, out_bin: layout.bin, scale,
  };
  const table = twiddles(gpu, n), rwin = f.window?.tensor ?? src;
  if (half <= fftTuning(gpu).tile) {
    const t = tileFor(gpu, lines, half);
    gpu.dispatch({ op, kernel: 'fft', entry: 'rfft_lines', overrides: { WG: t.wg, TILE: t.tile }, uniforms: { rp }, buffers: { rsrc: src, ltable: table, rdst: dst, rwin }, workgroups: grid(t.groups, 1) });
    return;
  }
  const frames = gpu.empty([lines, half, 2], 'f32', op);
  gpu.dispatch({ op, kernel: 'fft', entry: 'real_frames', uniforms: { rp }, buffers: { rsrc: src, rdst: frames, rwin }, workgroups: grid(lines * half, WG) });
  const z = gpu.empty([lines, half, 2], 'f32', op);
  fftLinesWithTable(frames, z, lines, half, false, 1, n, op);
  frames.dispose();
  gpu.dispatch({
    op, kernel: 'fft', entry: 'rfft_post',
    uniforms: { pp: { count: lines * bins, half, bins, frames: layout.frames, out_outer: layout.outer, out_frame: layout.frame, out_bin: layout.bin, tw_step: 1, scale } },
    buffers: { pz: z, ltable: table, pout: dst },
    workgroups: grid(lines * bins, WG),
  });
  z.dispose();
}

/**
 * Records inverse real FFTs: the half spectra (n/2 + 1 bins) of `count` lines read from `src`
 * at the strides of `layout`, into dst ([count, n] real samples), times scale (1 = numpy's irfft).
 */
export function irfftInto(src: Tensor, dst: Tensor, count: number, n: number, layout: SpectrumLayout, scale = 1, op = 'irfft'): void {
  const gpu = src.gpu, half = n / 2;
  const qp = { lines: count, half, log2_half: log2i(half), tw_step: 2, frames: layout.frames, in_outer: layout.outer, in_frame: layout.frame, in_bin: layout.bin, scale: scale / half };
  const table = twiddles(gpu, n);
  if (half <= fftTuning(gpu).tile) {
    const t = tileFor(gpu, count, half);
    gpu.dispatch({ op, kernel: 'fft', entry: 'irfft_lines', overrides: { WG: t.wg, TILE: t.tile }, uniforms: { qp }, buffers: { qx: src, ltable: table, qz: dst }, workgroups: grid(t.groups, 1) });
    return;
  }
  const z = gpu.empty([count, half, 2], 'f32', op);
  gpu.dispatch({ op, kernel: 'fft', entry: 'irfft_pre', uniforms: { qp }, buffers: { qx: src, ltable: table, qz: z }, workgroups: grid(count * half, WG) });
  fftLinesWithTable(z, dst, count, half, true, scale / half, n, op);
  z.dispose();
}

export function checkFftSize(op: string, n: number, what: string): void {
  if (!isPow2(n) || n < 2 || n > MAX_FFT) {
    throw new WaveGpuError(op, `${what} ${n} is not a power of two in [2, ${MAX_FFT}]; pad the input to the next power of two (${n > 1 ? 2 ** Math.ceil(Math.log2(n)) : 2})`);
  }
}

