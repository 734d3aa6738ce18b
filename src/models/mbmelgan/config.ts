/**
 * Multi-band MelGAN (Yang et al. 2020), TensorFlowTTS layout (multiband_melgan.v1.yaml):
 * 80 mels, 384 filters, upsampling 8 x 4 x 2 to 4 sub-bands at hop / 4, 4 residual blocks per
 * stage with dilations 1, 3, 9, 27, LeakyReLU 0.2, reflect padding, then PQMF synthesis
 * (4 bands, 62 taps, cutoff 0.142, beta 9) to 22,050 Hz. Front end (ljspeech_preprocess.yaml):
 * 22,050 Hz, fft 1024, hop 256, hann 1024, 80 mels over 80..7600 Hz (Slaney), librosa stft
 * (center, reflect), |X|, log10(max(1e-10, mel)), then z-normalised with the training set's
 * mean/scale (not published with the TF.js model).
 */
import type { MelConfig } from '../vocoder/types.js';

export interface MbMelganConfig {
  nMels: number;
  filters: number;
  upsampleScales: number[];
  stacks: number;
  subbands: number;
  slope: number;
  /**
   * 'graph': the PQMF filters stored in the graph (uint8-quantised, as the peer runs them);
   * 'design': src/ops/pqmf.ts's float64 Kaiser design of the same filter bank.
   */
  pqmf: 'graph' | 'design';
}

export const MBMELGAN_DEFAULT: MbMelganConfig = { nMels: 80, filters: 384, upsampleScales: [8, 4, 2], stacks: 4, subbands: 4, slope: 0.2, pqmf: 'graph' };

export const MBMELGAN_MEL: MelConfig = {
  sampleRate: 22050, nFft: 1024, hop: 256, win: 1024, nMels: 80, fmin: 80, fmax: 7600,
  framing: 'center', magEps: 0, clampMin: 1e-10, log: 'log10', slaney: true, normalize: true,
};
