/**
 * FFT family (kernels/fft.wgsl): batched complex FFT / inverse FFT of every power of two from 2
 * to MAX_FFT, and the real-input FFT and its inverse in the half-spectrum form n/2 + 1.
 *
 * Complex layout: interleaved f32 pairs, shape [..., n, 2] with [..., k, 0] = re, [..., k, 1] = im
 * (the memory layout of torch.view_as_real / numpy complex64).
 * Conventions are numpy's / torch's (norm="backward"): X_k = sum_j x_j e^{-2 pi i jk/n}; the
 * inverse divides by n.
 *
 * Plan (src/ops/fft_plan.ts): n up to the tile (4096 on GPUs: 32 KiB of workgroup memory) runs
 * in one dispatch, every stage in workgroup memory. Larger n uses the four-step split
 * n = N1 * N2: N2 strided FFTs of length N1 with the twiddle w_n^(k1 n2) applied on the way out,
 * then N1 contiguous FFTs of length N2 written transposed: two dispatches. Real FFTs of n points
 * are n/2-point complex FFTs with the split done in workgroup memory (one dispatch).
 */
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import { checkFftSize, fftLinesInto, rfftInto, irfftInto, plainRows } from './fft_plan.js';

export { MAX_FFT, MAX_TILE, fftTuning, setFftTuning, GPU_TUNING, SWIFTSHADER_TUNING, type FftTuning } from './fft_plan.js';

function requireF32(op: string, x: Tensor): void {
  if (x.dtype !== 'f32') throw new WaveGpuError(op, `expects an f32 tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
}

function complexShape(op: string, x: Tensor): number {
  requireF32(op, x);
  if (x.rank < 2 || x.shape[x.rank - 1] !== 2) {
    throw new WaveGpuError(op, `expects complex input [..., n, 2] (interleaved re, im), got ${fmtShape(x.shape)}; view real data as complex with zeros, or use rfft`);
  }
  const n = x.shape[x.rank - 2];
  checkFftSize(op, n, 'transform length');
  return n;
}

function complexFft(x: Tensor, inverse: boolean, op: string): Tensor<'f32'> {
  const n = complexShape(op, x);
  const y = x.gpu.empty(x.shape, 'f32', op);
  fftLinesInto(x, y, x.size / (2 * n), n, inverse, inverse ? 1 / n : 1, op);
  return y;
}

/** X = FFT(x) along the second-last axis. x: [..., n, 2] complex, n a power of two. */
export function fft(x: Tensor): Tensor<'f32'> {
  return complexFft(x, false, 'fft');
}

/** x = IFFT(X) (divides by n). X: [..., n, 2] complex. */
export function ifft(x: Tensor): Tensor<'f32'> {
  return complexFft(x, true, 'ifft');
}

/** Half spectrum of real signals. x: [..., n] real, n a power of two >= 2 -> [..., n/2 + 1, 2]. */
export function rfft(x: Tensor): Tensor<'f32'> {
  requireF32('rfft', x);
  if (x.rank < 1) throw new WaveGpuError('rfft', `expects [..., n], got a scalar ${fmtShape(x.shape)}`);
  const n = x.shape[x.rank - 1];
  checkFftSize('rfft', n, 'signal length');
  const bins = n / 2 + 1;
  const y = x.gpu.empty([...x.shape.slice(0, -1), bins, 2], 'f32', 'rfft');
  rfftInto(x, y, n, plainRows(x.size / n, n), bins, { frames: 1, outer: bins, frame: 0, bin: 1 });
  return y;
}

/**
 * Real signals from half spectra (numpy/torch irfft: the imaginary parts of bins 0 and n/2 are
 * ignored). X: [..., m, 2] complex; n = 2 (m - 1), the default and only length supported.
 */
export function irfft(x: Tensor, n?: number): Tensor<'f32'> {
  requireF32('irfft', x);
  if (x.rank < 2 || x.shape[x.rank - 1] !== 2) throw new WaveGpuError('irfft', `expects a half spectrum [..., n/2 + 1, 2], got ${fmtShape(x.shape)}`);
  const m = x.shape[x.rank - 2];
  const len = n ?? 2 * (m - 1);
  if (len !== 2 * (m - 1)) throw new WaveGpuError('irfft', `output length ${len} needs ${len / 2 + 1} bins but the input has ${m}; pass n = ${2 * (m - 1)} or slice/pad the spectrum`);
  checkFftSize('irfft', len, 'output length');
  const count = x.size / (2 * m);
  const y = x.gpu.empty([...x.shape.slice(0, -2), len], 'f32', 'irfft');
  irfftInto(x, y, count, len, { frames: 1, outer: m, frame: 0, bin: 1 });
  return y;
}
