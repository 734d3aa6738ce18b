/**
 * The vocoders' own mel front ends (copy synthesis: analysis then resynthesis), on the GPU with
 * the stft / mel ops:
 *   framing 'center'  librosa.stft(center=True, pad_mode='reflect')       (PWG, TensorFlowTTS)
 *   framing 'hop'     reflect pad (n_fft - hop) / 2, torch.stft(center=False) (MelGAN, HiFi-GAN)
 *   |X| (or sqrt(|X|^2 + eps), HiFi-GAN), Slaney mel filterbank (fmin..fmax), log10 or ln of
 *   max(mel, clamp), then (mel - mean) / scale when statistics are given.
 */
import type { Tensor } from '../../runtime/tensor.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import { stft, powerSpectrum } from '../../ops/stft.js';
import { bandProject, melBank } from '../../ops/mel.js';
import { pad } from '../../ops/layout.js';
import { scale, sqrt, sub, div } from '../../ops/elementwise.js';
import { consume } from './nn.js';
import type { MelConfig, MelStats } from './types.js';

/** Frames the front end makes from T samples. */
export function melFrames(cfg: MelConfig, T: number): number {
  return cfg.framing === 'center' ? 1 + Math.floor(T / cfg.hop) : 1 + Math.floor((T + 2 * ((cfg.nFft - cfg.hop) >> 1) - cfg.nFft) / cfg.hop);
}

/** audio [T] -> log-mel [nMels, frames] (normalised with `stats` when given). */
export function computeMel(audio: Tensor, cfg: MelConfig, stats: MelStats | null = null): Tensor {
  if (audio.dtype !== 'f32' || audio.rank !== 1) throw new WaveGpuError('mel', `audio must be f32 [T], got ${audio.dtype} ${fmtShape(audio.shape)}`);
  const gpu = audio.gpu;
  const minLen = cfg.framing === 'center' ? (cfg.nFft >> 1) + 1 : cfg.hop * 2;
  if (audio.size < minLen) throw new WaveGpuError('mel', `audio of ${audio.size} samples is too short for n_fft ${cfg.nFft} (need at least ${minLen})`);
  const bank = melBank(gpu, { sr: cfg.sampleRate, nFft: cfg.nFft, nMels: cfg.nMels, fmin: cfg.fmin, fmax: cfg.fmax ?? cfg.sampleRate / 2, htk: !cfg.slaney, norm: 'slaney' });
  return gpu.scope(() => {
    const p = (cfg.nFft - cfg.hop) >> 1;
    const x = cfg.framing === 'center' ? audio : pad(audio.reshape([1, audio.size]), [p, p], 'reflect').reshape([audio.size + 2 * p]);
    const spec = stft(x, { nFft: cfg.nFft, hop: cfg.hop, winLength: cfg.win, window: 'hann', center: cfg.framing === 'center', padMode: 'reflect' });
    const log = cfg.log === 'log10' ? '10' as const : 'e' as const;
    let mel: Tensor;
    if (cfg.magEps > 0) {
      const pw = consume(powerSpectrum(spec), spec);
      const pe = consume(scale(pw, 1, cfg.magEps), pw);
      const mag = consume(sqrt(pe), pe);
      mel = consume(bandProject(mag, bank, { log, eps: cfg.clampMin }, 'mel'), mag);
    } else {
      mel = consume(bandProject(spec, bank, { power: 1, log, eps: cfg.clampMin }, 'mel'), spec);
    }
    return stats ? normalize(mel, stats) : mel;
  });
}

/** (mel - mean) / scale per bin. mel: [nMels, frames]. */
export function normalize(mel: Tensor, stats: MelStats): Tensor {
  const n = mel.shape[0];
  if (stats.mean.length !== n || stats.scale.length !== n) throw new WaveGpuError('mel', `statistics hold ${stats.mean.length} / ${stats.scale.length} values, the mel has ${n} bins`);
  const gpu = mel.gpu;
  return gpu.scope(() => div(sub(mel, gpu.tensor(stats.mean, [n, 1])), gpu.tensor(stats.scale, [n, 1])));
}

/** Parses a stats .npy payload: [2, nMels] (row 0 mean, row 1 scale), PWG / TensorFlowTTS style. */
export function statsFromArray(data: Float32Array, shape: readonly number[]): MelStats {
  if (shape.length !== 2 || shape[0] !== 2) throw new WaveGpuError('mel', `statistics must be [2, nMels] (mean row, scale row), got ${fmtShape(shape)}`);
  const n = shape[1];
  return { mean: data.slice(0, n), scale: data.slice(n, 2 * n) };
}

/** How an utterance stands in for the training set's statistics (see utteranceStats). */
export type UtteranceNorm = 'bin' | 'global' | 'mixed';

/**
 * Statistics of one utterance's own mel [nMels, frames], for models trained on normalised mels
 * when the training set's statistics are not available: 'bin' (per-bin mean and standard
 * deviation over time, the shape of dataset statistics), 'global' (one mean and deviation for
 * all bins, which keeps the spectral envelope) or 'mixed' (per-bin means, one pooled deviation:
 * the average spectrum moves to the model's, the dynamics keep their proportions). `activeDb`
 * restricts the statistics to frames within that many dB of the loudest (pauses left out).
 */
export function utteranceStats(mel: Float32Array, nMels: number, mode: UtteranceNorm = 'bin', activeDb: number | null = null): MelStats {
  const F = mel.length / nMels;
  const frames = activeFrames(mel, nMels, activeDb);
  const moments = (bins: number[]) => {
    let s = 0, ss = 0;
    for (const b of bins) for (const f of frames) { const v = mel[b * F + f]; s += v; ss += v * v; }
    const n = bins.length * frames.length, m = s / n;
    return { m, sd: Math.sqrt(Math.max(ss / n - m * m, 1e-12)) };
  };
  const all = Array.from({ length: nMels }, (_, b) => b), g = moments(all);
  const mean = new Float32Array(nMels), scale = new Float32Array(nMels);
  for (const b of all) {
    const own = mode === 'global' ? g : moments([b]);
    mean[b] = own.m;
    scale[b] = mode === 'bin' ? own.sd : mode === 'mixed' ? Math.sqrt(all.reduce((a, c) => a + moments([c]).sd ** 2, 0) / nMels) : g.sd;
  }
  return { mean, scale };
}

/**
 * Frames whose level (mean log10 mel over the bins, times 20: dB of the mel magnitude) is within
 * `activeDb` of the loudest frame; every frame when null. Keeps pauses out of the statistics.
 */
export function activeFrames(mel: Float32Array, nMels: number, activeDb: number | null): number[] {
  const F = mel.length / nMels, level = new Float64Array(F);
  for (let b = 0; b < nMels; b++) for (let f = 0; f < F; f++) level[f] += (20 * mel[b * F + f]) / nMels;
  const top = Math.max(...level);
  return Array.from({ length: F }, (_, f) => f).filter((f) => activeDb === null || level[f] >= top - activeDb);
}

/** Host-side (mel - mean) / scale, mel [nMels, frames]. */
export function normalizeHost(mel: Float32Array, stats: MelStats): Float32Array {
  const n = stats.mean.length, F = mel.length / n, out = new Float32Array(mel.length);
  for (let b = 0; b < n; b++) for (let f = 0; f < F; f++) out[b * F + f] = (mel[b * F + f] - stats.mean[b]) / stats.scale[b];
  return out;
}
