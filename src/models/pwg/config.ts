/**
 * Parallel WaveGAN (Yamamoto et al. 2020), kan-bayashi/ParallelWaveGAN generator with the
 * LJSpeech parallel_wavegan.v1.yaml configuration: 30 layers in 3 stacks (dilations 1..512),
 * kernel 3, 64 residual / 128 gate / 64 skip channels, 80 aux channels, aux context window 2,
 * ConvInUpsampleNetwork with scales 4, 4, 4, 4 (nearest stretch + Conv2d (1, 2s + 1)), weight
 * norm on every conv; noise input z ~ N(0, 1). Front end (bin/preprocess.py logmelfilterbank):
 * 22,050 Hz, fft 1024, hop 256, hann, 80 mels over 80..7600 Hz, librosa stft (center, reflect),
 * |X|, log10(max(1e-10, mel)), then (mel - mean) / scale with the training set's stats.
 */
import { WaveGpuError } from '../../runtime/errors.js';
import type { MelConfig } from '../vocoder/types.js';
import type { StateDict } from '../vocoder/weights.js';
import type { YamlValue } from '../vocoder/yaml.js';

export interface PwgConfig {
  layers: number;
  stacks: number;
  kernelSize: number;
  residualChannels: number;
  gateChannels: number;
  skipChannels: number;
  auxChannels: number;
  auxContextWindow: number;
  upsampleScales: number[];
}

export const PWG_DEFAULT: PwgConfig = {
  layers: 30, stacks: 3, kernelSize: 3, residualChannels: 64, gateChannels: 128, skipChannels: 64,
  auxChannels: 80, auxContextWindow: 2, upsampleScales: [4, 4, 4, 4],
};

export const PWG_MEL: MelConfig = {
  sampleRate: 22050, nFft: 1024, hop: 256, win: 1024, nMels: 80, fmin: 80, fmax: 7600,
  framing: 'center', magEps: 0, clampMin: 1e-10, log: 'log10', slaney: true, normalize: true,
};

/** Architecture from the tensor shapes; `stacks` (the dilation cycle) is not in them: default 3. */
export function inferPwgConfig(sd: StateDict): PwgConfig {
  let layers = 0;
  while (sd.weightShape(`conv_layers.${layers}.conv`)) layers++;
  const conv = sd.weightShape('conv_layers.0.conv'), skip = sd.weightShape('conv_layers.0.conv1x1_skip'), cin = sd.weightShape('upsample_net.conv_in');
  if (!layers || !conv || !skip || !cin) throw new WaveGpuError('pwg', `${sd.file.name}: not a Parallel WaveGAN generator (conv_layers.0.conv, conv1x1_skip and upsample_net.conv_in are needed)`);
  const scales: number[] = [];
  for (let i = 1; sd.weightShape(`upsample_net.upsample.up_layers.${i}`); i += 2) scales.push((sd.weightShape(`upsample_net.upsample.up_layers.${i}`)![3] - 1) / 2);
  if (!scales.length) throw new WaveGpuError('pwg', `${sd.file.name}: no upsample_net.upsample.up_layers.<i> Conv2d weights (only the ConvInUpsampleNetwork with nearest stretch is supported)`);
  return {
    layers, stacks: layers % 3 === 0 ? 3 : 1, kernelSize: conv[2], residualChannels: conv[1], gateChannels: conv[0], skipChannels: skip[0],
    auxChannels: cin[0], auxContextWindow: (cin[2] - 1) / 2, upsampleScales: scales,
  };
}

const num = (v: YamlValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/** generator_params (and the feature settings) of an official config.yml. */
export function parsePwgYaml(y: { [k: string]: YamlValue }): { config: Partial<PwgConfig>; mel: Partial<MelConfig> } {
  const g = (y.generator_params ?? {}) as { [k: string]: YamlValue };
  if (y.generator_type !== undefined && y.generator_type !== 'ParallelWaveGANGenerator') {
    throw new WaveGpuError('pwg', `config.yml is for a ${String(y.generator_type)}, not a ParallelWaveGANGenerator`);
  }
  if (g.use_causal_conv === true) throw new WaveGpuError('pwg', 'causal Parallel WaveGAN (use_causal_conv: true) is not supported');
  const up = (g.upsample_params ?? {}) as { [k: string]: YamlValue };
  const c: Partial<PwgConfig> = {};
  const set = <K extends keyof PwgConfig>(k: K, v: PwgConfig[K] | undefined) => { if (v !== undefined) c[k] = v; };
  set('layers', num(g.layers)); set('stacks', num(g.stacks)); set('kernelSize', num(g.kernel_size));
  set('residualChannels', num(g.residual_channels)); set('gateChannels', num(g.gate_channels)); set('skipChannels', num(g.skip_channels));
  set('auxChannels', num(g.aux_channels)); set('auxContextWindow', num(g.aux_context_window));
  if (Array.isArray(up.upsample_scales)) c.upsampleScales = up.upsample_scales.map(Number);
  const m: Partial<MelConfig> = {};
  if (num(y.sampling_rate)) m.sampleRate = num(y.sampling_rate);
  if (num(y.fft_size)) m.nFft = num(y.fft_size);
  if (num(y.hop_size)) m.hop = num(y.hop_size);
  m.win = num(y.win_length) ?? m.nFft;
  if (num(y.num_mels)) m.nMels = num(y.num_mels);
  if (y.fmin !== undefined) m.fmin = num(y.fmin) ?? 0;
  if (y.fmax !== undefined) m.fmax = num(y.fmax) ?? null;
  if (m.win === undefined) delete m.win;
  return { config: c, mel: m };
}
