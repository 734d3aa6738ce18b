/**
 * MelGAN (Kumar et al. 2019), descriptinc/melgan-neurips: Generator(n_mel_channels=80, ngf=32,
 * n_residual_layers=3) with the repository's fixed upsampling ratios 8, 8, 2, 2 (hop 256), and
 * its Audio2Mel front end (22,050 Hz, n_fft 1024, hop 256, win 1024, 80 mels over 0 Hz..Nyquist,
 * reflect-padded by (n_fft - hop) / 2, center=False, |X| (no eps), log10(clamp(mel, 1e-5))).
 */
import { WaveGpuError } from '../../runtime/errors.js';
import type { MelConfig } from '../vocoder/types.js';
import type { StateDict } from '../vocoder/weights.js';

export interface MelganConfig {
  nMels: number;
  ngf: number;
  nResidualLayers: number;
  ratios: number[];
}

export const MELGAN_DEFAULT: MelganConfig = { nMels: 80, ngf: 32, nResidualLayers: 3, ratios: [8, 8, 2, 2] };

export const MELGAN_MEL: MelConfig = {
  sampleRate: 22050, nFft: 1024, hop: 256, win: 1024, nMels: 80, fmin: 0, fmax: null,
  framing: 'hop', magEps: 0, clampMin: 1e-5, log: 'log10', slaney: true, normalize: false,
};

/** Index of each layer in the official nn.Sequential `model`. */
export function melganLayout(c: MelganConfig): { first: number; stages: { up: number; blocks: number[] }[]; last: number } {
  const per = 2 + c.nResidualLayers;
  const stages = c.ratios.map((_, i) => {
    const base = 2 + i * per;
    return { up: base + 1, blocks: Array.from({ length: c.nResidualLayers }, (_, j) => base + 2 + j) };
  });
  return { first: 1, stages, last: 2 + c.ratios.length * per + 2 };
}

/** Reads ngf, n_mel_channels and n_residual_layers from the checkpoint's shapes. */
export function inferMelganConfig(sd: StateDict): MelganConfig {
  const first = sd.weightShape('model.1');
  if (!first || first.length !== 3) throw new WaveGpuError('melgan', `${sd.file.name}: 'model.1.weight' (the first conv) is missing or not 3-D`);
  const ratios = MELGAN_DEFAULT.ratios;
  const mult = 2 ** ratios.length;
  if (first[0] % mult !== 0) throw new WaveGpuError('melgan', `first conv has ${first[0]} output channels, not a multiple of ${mult} (16 * ngf)`);
  const blocks = new Set(sd.keys('model.').filter((k) => k.includes('.shortcut.')).map((k) => k.split('.')[1]));
  if (blocks.size % ratios.length !== 0) throw new WaveGpuError('melgan', `${blocks.size} residual blocks do not split evenly over ${ratios.length} upsampling stages`);
  return { nMels: first[1], ngf: first[0] / mult, nResidualLayers: blocks.size / ratios.length, ratios };
}
