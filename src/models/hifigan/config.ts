/**
 * HiFi-GAN (Kong et al. 2020), jik876/hifi-gan generator configurations V1, V2, V3 (config_v1/2/3
 * .json) and its mel front end (meldataset.mel_spectrogram: 22,050 Hz, n_fft 1024, hop 256,
 * win 1024, 80 mels over 0..8000 Hz, reflect-padded by (n_fft - hop) / 2, center=False,
 * sqrt(|X|^2 + 1e-9), ln(clamp(mel, 1e-5))).
 */
import { WaveGpuError } from '../../runtime/errors.js';
import type { MelConfig } from '../vocoder/types.js';
import type { StateDict } from '../vocoder/weights.js';

export interface HifiganConfig {
  resblock: '1' | '2';
  upsampleRates: number[];
  upsampleKernelSizes: number[];
  upsampleInitialChannel: number;
  resblockKernelSizes: number[];
  resblockDilationSizes: number[][];
  nMels: number;
}

const V1_BLOCKS = { resblockKernelSizes: [3, 7, 11], resblockDilationSizes: [[1, 3, 5], [1, 3, 5], [1, 3, 5]] };
export const HIFIGAN_V1: HifiganConfig = { resblock: '1', upsampleRates: [8, 8, 2, 2], upsampleKernelSizes: [16, 16, 4, 4], upsampleInitialChannel: 512, ...V1_BLOCKS, nMels: 80 };
export const HIFIGAN_V2: HifiganConfig = { ...HIFIGAN_V1, upsampleInitialChannel: 128 };
export const HIFIGAN_V3: HifiganConfig = {
  resblock: '2', upsampleRates: [8, 8, 4], upsampleKernelSizes: [16, 16, 8], upsampleInitialChannel: 256,
  resblockKernelSizes: [3, 5, 7], resblockDilationSizes: [[1, 2], [2, 6], [3, 12]], nMels: 80,
};
export const HIFIGAN_CONFIGS: Record<string, HifiganConfig> = { v1: HIFIGAN_V1, v2: HIFIGAN_V2, v3: HIFIGAN_V3 };

export const HIFIGAN_MEL: MelConfig = {
  sampleRate: 22050, nFft: 1024, hop: 256, win: 1024, nMels: 80, fmin: 0, fmax: 8000,
  framing: 'hop', magEps: 1e-9, clampMin: 1e-5, log: 'ln', slaney: true, normalize: false,
};

function numbers(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && x > 0)) throw new WaveGpuError('hifigan', `config ${what} must be a list of positive integers, got ${JSON.stringify(v)}`);
  return v as number[];
}

/** The official config.json (keys resblock, upsample_rates, ...; training keys ignored). */
export function parseHifiganConfig(json: Record<string, unknown>): Partial<HifiganConfig> {
  const c: Partial<HifiganConfig> = {};
  if (json.resblock !== undefined) {
    if (String(json.resblock) !== '1' && String(json.resblock) !== '2') throw new WaveGpuError('hifigan', `config resblock must be "1" or "2", got ${JSON.stringify(json.resblock)}`);
    c.resblock = String(json.resblock) as '1' | '2';
  }
  if (json.upsample_rates !== undefined) c.upsampleRates = numbers(json.upsample_rates, 'upsample_rates');
  if (json.upsample_kernel_sizes !== undefined) c.upsampleKernelSizes = numbers(json.upsample_kernel_sizes, 'upsample_kernel_sizes');
  if (json.upsample_initial_channel !== undefined) c.upsampleInitialChannel = numbers([json.upsample_initial_channel], 'upsample_initial_channel')[0];
  if (json.resblock_kernel_sizes !== undefined) c.resblockKernelSizes = numbers(json.resblock_kernel_sizes, 'resblock_kernel_sizes');
  if (json.resblock_dilation_sizes !== undefined) {
    const d = json.resblock_dilation_sizes;
    if (!Array.isArray(d)) throw new WaveGpuError('hifigan', 'config resblock_dilation_sizes must be a list of lists');
    c.resblockDilationSizes = d.map((x, i) => numbers(x, `resblock_dilation_sizes[${i}]`));
  }
  if (json.num_mels !== undefined) c.nMels = numbers([json.num_mels], 'num_mels')[0];
  return c;
}

/** The front end of a config.json (sampling_rate, n_fft, hop_size, win_size, fmin, fmax). */
export function parseHifiganMel(json: Record<string, unknown>): MelConfig {
  const n = (k: string, d: number | null) => (typeof json[k] === 'number' ? (json[k] as number) : d);
  return {
    ...HIFIGAN_MEL, sampleRate: n('sampling_rate', 22050)!, nFft: n('n_fft', 1024)!, hop: n('hop_size', 256)!, win: n('win_size', 1024)!,
    nMels: n('num_mels', 80)!, fmin: n('fmin', 0)!, fmax: json.fmax === null ? null : n('fmax', 8000),
  };
}

/**
 * The configuration from the tensor shapes: channels, upsampling kernels (rates = kernel / 2,
 * as in every official config), resblock type and kernel sizes. Dilations are not in the
 * shapes: an official config with the same shapes supplies them (V1/V2/V3), else the defaults
 * of the resblock type.
 */
export function inferHifiganConfig(sd: StateDict): HifiganConfig {
  const pre = sd.weightShape('conv_pre');
  if (!pre) throw new WaveGpuError('hifigan', `${sd.file.name}: no conv_pre weight`);
  const ups: number[] = [];
  for (let i = 0; sd.weightShape(`ups.${i}`); i++) ups.push(sd.weightShape(`ups.${i}`)![2]);
  const resblock = sd.keys('resblocks.0.').some((k) => k.startsWith('resblocks.0.convs1.')) ? '1' : '2';
  const kernels: number[] = [];
  const first = resblock === '1' ? 'convs1.0' : 'convs.0';
  for (let j = 0; sd.weightShape(`resblocks.${j}.${first}`) && j < 64; j++) kernels.push(sd.weightShape(`resblocks.${j}.${first}`)![2]);
  const nk = ups.length ? kernels.length / ups.length : 0;
  if (!ups.length || !Number.isInteger(nk) || nk < 1) throw new WaveGpuError('hifigan', `${sd.file.name}: ${kernels.length} resblocks do not divide over ${ups.length} upsampling layers`);
  const shape: HifiganConfig = {
    resblock, upsampleRates: ups.map((k) => k >> 1), upsampleKernelSizes: ups, upsampleInitialChannel: pre[0],
    resblockKernelSizes: kernels.slice(0, nk), resblockDilationSizes: [], nMels: pre[1],
  };
  const official = Object.values(HIFIGAN_CONFIGS).find((c) => c.resblock === resblock && c.upsampleKernelSizes.join() === ups.join() &&
    c.resblockKernelSizes.join() === shape.resblockKernelSizes.join());
  const per = (j: number) => sd.keys(`resblocks.${j}.${resblock === '1' ? 'convs1' : 'convs'}.`).filter((k) => /\.(weight|weight_v|original1)$/.test(k)).length;
  const dflt = resblock === '1' ? [1, 3, 5] : [1, 3];
  shape.resblockDilationSizes = official ? official.resblockDilationSizes.map((d) => d.slice())
    : shape.resblockKernelSizes.map((_, j) => dflt.slice(0, per(j)));
  if (official) shape.upsampleRates = official.upsampleRates.slice();
  return shape;
}
