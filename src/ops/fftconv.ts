/**
 * FFT convolution of long signals (kernels/fftconv.wgsl + the real FFTs of kernels/fft.wgsl):
 * y = x * h (true convolution, not correlation), by overlap-add with FFT blocks of N points, or
 * one full-length FFT when the whole output fits a block. Meant for long filters (reverb
 * impulse responses) where direct convolution costs T K.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import { MAX_FFT, rfftInto, irfftInto, plainRows } from './fft_plan.js';

const WG = 256;

/**
 * 'full': all T + K - 1 samples (numpy.convolve); 'same': T samples centred on the full
 * output (scipy.signal.fftconvolve 'same', start (K - 1) / 2); 'causal': the first T samples
 * (a filter applied to a signal, e.g. a reverb tail cut at the input's end).
 */
export type ConvMode = 'full' | 'same' | 'causal';

export interface FftConvOptions {
  mode?: ConvMode;
  /** FFT block size (power of two >= 2 nextpow2(K)); default chosen from T and K. */
  block?: number;
}

const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/**
 * The block size: one FFT when the whole output fits 8 filter lengths (or 1024), else
 * 8 nextpow2(K), which keeps 7/8 of each block useful (cost per sample ~ (8/7) log2 N).
 */
export function fftConvBlock(T: number, K: number): number {
  const full = nextPow2(T + K - 1);
  return Math.max(2, Math.min(full, Math.max(8 * nextPow2(K), 1024), MAX_FFT));
}

interface Plan { B: number; T: number; K: number; hBatched: boolean; n: number; seg: number; blocks: number; len: number; start: number }

function plan(x: Tensor, h: Tensor, o: FftConvOptions): Plan {
  const op = 'fftConvolve';
  if (x.dtype !== 'f32' || h.dtype !== 'f32' || x.rank < 1 || x.rank > 2 || h.rank < 1 || h.rank > 2) {
    throw new WaveGpuError(op, `expects f32 x [T] or [B, T] and h [K] or [B, K], got x ${x.dtype} ${fmtShape(x.shape)}, h ${h.dtype} ${fmtShape(h.shape)}`);
  }
  const T = x.shape[x.rank - 1], K = h.shape[h.rank - 1], B = x.rank === 2 ? x.shape[0] : 1;
  const hBatched = h.rank === 2 && h.shape[0] !== 1;
  if (hBatched && (x.rank !== 2 || h.shape[0] !== B)) throw new WaveGpuError(op, `h ${fmtShape(h.shape)} has a batch that x ${fmtShape(x.shape)} does not match; give h [K], [1, K] or [${B}, K]`);
  if (T < 1 || K < 1) throw new WaveGpuError(op, `empty input: x ${fmtShape(x.shape)}, h ${fmtShape(h.shape)}`);
  if (K >= MAX_FFT) throw new WaveGpuError(op, `filter of ${K} taps does not fit the largest FFT block (${MAX_FFT}); split h into parts and add the shifted results`);
  const n = o.block ?? fftConvBlock(T, K);
  if (!Number.isInteger(Math.log2(n)) || n < 2 || n <= K || n > MAX_FFT) {
    throw new WaveGpuError(op, `block ${n} must be a power of two above the filter length ${K} and at most ${MAX_FFT} (best about 8 times ${nextPow2(K)})`);
  }
  const seg = Math.min(T, n - K + 1), blocks = Math.ceil(T / seg);
  const mode = o.mode ?? 'full';
  if (!['full', 'same', 'causal'].includes(mode)) throw new WaveGpuError(op, `mode '${mode}' is not 'full', 'same' or 'causal'`);
  const len = mode === 'full' ? T + K - 1 : T;
  const start = mode === 'same' ? Math.floor((K - 1) / 2) : 0;
  return { B, T, K, hBatched, n, seg, blocks, len, start };
}

/** Cuts [B, length] signals into [B, blocks, n] zero-padded segments of `seg` samples. */
function split(src: Tensor, B: number, length: number, n: number, seg: number, blocks: number): Tensor {
  const out = src.gpu.empty([B * blocks, n], 'f32', 'fftConvolve');
  src.gpu.dispatch({
    op: 'fftConvolve', kernel: 'fftconv', entry: 'split',
    uniforms: { sp: { count: out.size, n, seg, blocks, length } },
    buffers: { sx: src, sblocks: out },
    workgroups: grid(out.size, WG),
  });
  return out;
}

/** y = x * h: x [T] or [B, T], h [K] or [B, K] -> [B?, len] (len by mode). */
export function fftConvolve(x: Tensor, h: Tensor, opts: FftConvOptions = {}): Tensor<'f32'> {
  const p = plan(x, h, opts);
  const gpu = x.gpu, bins = p.n / 2 + 1, hB = p.hBatched ? p.B : 1, count = p.B * p.blocks;
  const layout = { frames: 1, outer: bins, frame: 0, bin: 1 };
  return gpu.scope(() => {
    const hb = split(h, hB, p.K, p.n, p.K, 1);
    const H = gpu.empty([hB, bins, 2], 'f32', 'fftConvolve');
    rfftInto(hb, H, p.n, plainRows(hB, p.n), bins, layout, 1, 'fftConvolve');
    const xb = split(x, p.B, p.T, p.n, p.seg, p.blocks);
    const X = gpu.empty([count, bins, 2], 'f32', 'fftConvolve');
    rfftInto(xb, X, p.n, plainRows(count, p.n), bins, layout, 1, 'fftConvolve');
    const Y = gpu.empty([count, bins, 2], 'f32', 'fftConvolve');
    gpu.dispatch({
      op: 'fftConvolve', kernel: 'fftconv', entry: 'spec_mul',
      uniforms: { mp: { count: count * bins, bins, blocks: p.blocks, h_batched: p.hBatched ? 1 : 0 } },
      buffers: { mx: X, mh: H, my: Y },
      workgroups: grid(count * bins, WG),
    });
    irfftInto(Y, xb, count, p.n, layout, 1, 'fftConvolve');
    const y = gpu.empty([...(x.rank === 2 ? [p.B] : []), p.len], 'f32', 'fftConvolve');
    gpu.dispatch({
      op: 'fftConvolve', kernel: 'fftconv', entry: 'overlap_add',
      uniforms: { op_: { count: p.B * p.len, len: p.len, start: p.start, n: p.n, seg: p.seg, blocks: p.blocks } },
      buffers: { oblocks: xb, oy: y },
      workgroups: grid(p.B * p.len, WG),
    });
    return y;
  });
}
