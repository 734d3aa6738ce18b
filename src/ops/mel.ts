/**
 * Mel family (kernels/mel.wgsl): mel projection of (power) spectrograms with a banded matrix
 * product, log-mel, mel -> linear, and the melSpectrogram front end (stft + |X|^p + mel + log
 * in two dispatches). Matrices are built on the host (src/ops/mel_filters.ts, librosa's
 * definitions) and cached on the device per configuration.
 *
 * Layout: spectrograms [B?, bins, frames] (real) or [B?, bins, frames, 2] (complex, from stft);
 * mel spectrograms [B?, nMels, frames] (librosa / torchaudio).
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import type { Gpu } from '../runtime/gpu.js';
import { constantTensor } from './fft_tables.js';
import { stft, logClamp, logScale, type LogBase } from './stft.js';
import { matmul } from './matmul.js';
import { melFilterbank, resolveMelBank, bandRanges, melToLinearMatrix, type MelBankOptions, type MelInverse } from './mel_filters.js';

export * from './mel_filters.js';

const WG = 256;

/** A [rows, cols] matrix on the device with its row supports. */
export interface BandMatrix { weights: Tensor; ranges: Tensor; rows: number; cols: number }

function bandMatrix(gpu: Gpu, key: string, rows: number, cols: number, make: () => Float32Array): BandMatrix {
  let host: Float32Array | null = null;
  const values = () => (host ??= make());
  const weights = constantTensor(gpu, `${key}:w`, [rows, cols], values);
  const ranges = constantTensor(gpu, `${key}:r`, [rows, 2], () => bandRanges(values(), rows, cols));
  return { weights, ranges, rows, cols };
}

/** The librosa mel filterbank [nMels, nFft/2 + 1] on `gpu` (cached). */
export function melBank(gpu: Gpu, opts: MelBankOptions): BandMatrix {
  const o = resolveMelBank(opts);
  return bandMatrix(gpu, `mel:${JSON.stringify(o)}`, o.nMels, Math.floor(o.nFft / 2) + 1, () => melFilterbank(o));
}

export interface ProjectOptions {
  /** For complex input: project |X|^power (default 2, the power spectrogram). */
  power?: number;
  /** Apply scale * log(max(y, eps)) after projecting: 'e', '10' or 'db' (10 log10). */
  log?: LogBase | false;
  /** Clamp of the log, default 1e-5 (HiFi-GAN's log(clamp(x, 1e-5))). */
  eps?: number;
  /** How to read x when its shape allows both; default: complex when the last axis is 2. */
  input?: 'real' | 'complex';
}

/**
 * y[b, r, f] = sum_c W[r, c] v(x[b, c, f]) with W banded (see kernels/mel.wgsl).
 * x: [B?, C, F] real or [B?, C, F, 2] complex -> [B?, R, F].
 */
export function bandProject(x: Tensor, m: BandMatrix, opts: ProjectOptions = {}, op = 'melProject'): Tensor<'f32'> {
  const looksComplex = x.rank >= 3 && x.shape[x.rank - 1] === 2 && x.shape[x.rank - 3] === m.cols;
  const complex = opts.input ? opts.input === 'complex' : looksComplex;
  const core = complex ? x.shape.slice(0, -1) : x.shape;
  if (x.dtype !== 'f32' || core.length < 2 || core.length > 3 || core[core.length - 2] !== m.cols) {
    throw new WaveGpuError(op, `expects a spectrogram [B?, ${m.cols}, frames] (or complex [B?, ${m.cols}, frames, 2]), got ${x.dtype} ${fmtShape(x.shape)}`);
  }
  const power = opts.power ?? 2, eps = opts.eps ?? 1e-5, log = opts.log ?? false;
  if (!(power > 0)) throw new WaveGpuError(op, `power ${power} must be positive`);
  if (log && !(eps > 0)) throw new WaveGpuError(op, `log clamp eps ${eps} must be positive`);
  const F = core[core.length - 1], B = core.length === 3 ? core[0] : 1;
  const y = x.gpu.empty([...core.slice(0, -2), m.rows, F], 'f32', op);
  x.gpu.dispatch({
    op, kernel: 'mel', entry: 'band_matmul',
    uniforms: { bp: { count: y.size, rows: m.rows, cols: m.cols, frames: F, in_complex: complex ? 1 : 0, power, do_log: log ? 1 : 0, eps, log_scale: log ? logScale(log) : 1 } },
    buffers: { bw: m.weights, branges: m.ranges, bx: x, by: y },
    workgroups: grid(B * m.rows * F, WG),
  });
  return y;
}

/** Mel spectrogram from a spectrogram: fb @ |X|^power (complex X) or fb @ S (real S). */
export function melProject(spec: Tensor, bank: MelBankOptions, opts: ProjectOptions = {}): Tensor<'f32'> {
  return bandProject(spec, melBank(spec.gpu, bank), opts, 'melProject');
}

/** Log-mel: log(max(mel, eps)) in base e, 10 or dB. */
export function logMel(mel: Tensor, opts: { eps?: number; base?: LogBase } = {}): Tensor<'f32'> {
  return logClamp(mel, { eps: opts.eps ?? 1e-5, base: opts.base ?? 'e' });
}

/** The mel -> linear matrix [bins, nMels] on `gpu` (cached). */
export function melInverseBank(gpu: Gpu, opts: MelBankOptions, mode: MelInverse): BandMatrix {
  const o = resolveMelBank(opts);
  const bins = Math.floor(o.nFft / 2) + 1;
  return bandMatrix(gpu, `mel-inverse:${mode}:${JSON.stringify(o)}`, bins, o.nMels, () => melToLinearMatrix(melFilterbank(o), o.nMels, bins, mode));
}

/**
 * Linear-frequency spectrogram from a mel spectrogram: [B?, nMels, F] -> [B?, nFft/2 + 1, F].
 * 'pinv' is dense and goes through the matmul family; the transposes are banded.
 */
export function melToLinear(mel: Tensor, bank: MelBankOptions, mode: MelInverse = 'pinv'): Tensor<'f32'> {
  const m = melInverseBank(mel.gpu, bank, mode);
  if (mel.dtype !== 'f32' || mel.rank < 2 || mel.rank > 3 || mel.shape[mel.rank - 2] !== m.cols) {
    throw new WaveGpuError('melToLinear', `expects a mel spectrogram [B?, ${m.cols}, frames], got ${mel.dtype} ${fmtShape(mel.shape)}`);
  }
  if (mode !== 'pinv') return bandProject(mel, m, {}, 'melToLinear');
  return matmul(m.weights, mel);
}

export interface MelSpectrogramOptions extends MelBankOptions {
  /** Default floor(nFft / 4). */
  hop?: number;
  /** Window length (periodic Hann, centred in nFft); default nFft. */
  win?: number;
  /** |X|^power; default 2. */
  power?: number;
  /** Log of the result: false (default), 'e', '10' or 'db'. */
  log?: LogBase | false;
  /** Log clamp, default 1e-5. */
  eps?: number;
  /** Default true. */
  center?: boolean;
  /** Default 'reflect' (torchaudio); librosa >= 0.10 uses 'constant'. */
  padMode?: 'reflect' | 'constant';
}

/**
 * Mel spectrogram of audio [T] or [B, T] -> [B?, nMels, frames]:
 * fb @ |stft(audio, periodic Hann of `win`)|^power, then the optional clamped log.
 * The definition of librosa.feature.melspectrogram (with padMode 'constant' for librosa >= 0.10)
 * and of torchaudio.transforms.MelSpectrogram(norm='slaney', mel_scale='slaney'); tested against
 * numpy formulas of librosa's filterbank with torch.stft (neither library is installed here).
 */
export function melSpectrogram(audio: Tensor, o: MelSpectrogramOptions): Tensor<'f32'> {
  const gpu = audio.gpu;
  const bank = melBank(gpu, o);
  return gpu.scope(() => {
    const spec = stft(audio, { nFft: o.nFft, hop: o.hop, winLength: o.win, window: 'hann', center: o.center, padMode: o.padMode });
    return bandProject(spec, bank, { power: o.power, log: o.log, eps: o.eps }, 'melSpectrogram');
  });
}
