/**
 * What every GAN vocoder here (MelGAN, Multi-band MelGAN, Parallel WaveGAN, HiFi-GAN) offers:
 * a forward pass mel [nMels, frames] -> audio [frames * hop] recorded into the current command
 * encoder, its own mel front end, and the receptive field that exact streaming needs.
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';

/** How a model's training recipe computed its log-mel input (see frontend.ts). */
export interface MelConfig {
  sampleRate: number;
  nFft: number;
  hop: number;
  win: number;
  nMels: number;
  fmin: number;
  /** null: sampleRate / 2 */
  fmax: number | null;
  /**
   * 'center': torch/librosa center=True, reflect-padded by nFft/2 (frames = 1 + floor(T / hop)).
   * 'hop': reflect-padded by (nFft - hop) / 2 each side, center=False (MelGAN, HiFi-GAN;
   * frames = floor(T / hop) for T a multiple of hop).
   */
  framing: 'center' | 'hop';
  /** Added inside the square root of |X|^2 (HiFi-GAN: 1e-9), else 0. */
  magEps: number;
  /** log(max(clampMin, mel)) */
  clampMin: number;
  log: 'log10' | 'ln';
  /** Slaney mel scale with Slaney area normalisation (librosa's default); HTK otherwise. */
  slaney: boolean;
  /** The model was trained on (mel - mean) / scale with dataset statistics (PWG, TensorFlowTTS). */
  normalize: boolean;
}

/** Per-bin normalisation the model was trained with: (mel - mean) / scale. */
export interface MelStats {
  mean: Float32Array;
  scale: Float32Array;
}

export interface ForwardOptions {
  /**
   * Index of mel[:, 0] within the whole utterance (streaming windows): only models with a
   * noise input (PWG) use it, so that noise sample i is the same in every window.
   */
  frameOffset?: number;
  /** PWG: an explicit noise signal [frames * hop] instead of the seeded one (parity tests). */
  noise?: Tensor;
}

export interface Vocoder {
  readonly gpu: Gpu;
  /** 'melgan' | 'mbmelgan' | 'pwg' | 'hifigan' */
  readonly kind: string;
  /** e.g. 'hifigan v1' */
  readonly description: string;
  readonly nMels: number;
  /** Output samples per mel frame. */
  readonly hop: number;
  readonly sampleRate: number;
  /** The front end the model was trained with (copy synthesis). */
  readonly melConfig: MelConfig;
  /** Normalisation statistics, when the checkpoint carries them (or the user supplied them). */
  stats: MelStats | null;
  /**
   * Mel frames of context either side that fully determine one output frame, padding effects of
   * every layer included (conservative): exact streaming needs `right` frames of look-ahead.
   */
  readonly context: { left: number; right: number };
  /** Multiply-accumulates per output sample (for GFLOP figures), at this configuration. */
  readonly macsPerSample: number;
  /** mel: [nMels, frames] (already normalised when the model expects it) -> audio [frames * hop]. */
  forward(mel: Tensor, opts?: ForwardOptions): Tensor;
  /** Frees the weights. */
  dispose(): void;
}

/** A host array with its shape (one state-dict entry). */
export interface HostTensor {
  data: Float32Array;
  shape: number[];
}
