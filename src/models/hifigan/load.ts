/**
 * Loads a jik876/hifi-gan generator checkpoint ({'generator': state_dict}, e.g. generator_v1 or
 * g_02500000; any nesting prefix is found). The configuration comes from the official
 * config.json when given (its JSON object), else from the tensor shapes (inferHifiganConfig).
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { WeightFile } from '../../weights/types.js';
import { StateDict } from '../vocoder/weights.js';
import { HIFIGAN_MEL, inferHifiganConfig, parseHifiganConfig, parseHifiganMel, type HifiganConfig } from './config.js';
import { HiFiGAN } from './model.js';

export interface HifiganLoadOptions {
  /** The official config.json, parsed. */
  configJson?: Record<string, unknown>;
  /** Overrides applied last. */
  config?: Partial<HifiganConfig>;
}

export async function loadHifigan(gpu: Gpu, file: WeightFile, opts: HifiganLoadOptions = {}): Promise<HiFiGAN> {
  const sd = StateDict.open(file, 'conv_pre', 'hifigan');
  const fromJson = opts.configJson ? parseHifiganConfig(opts.configJson) : {};
  const config = { ...inferHifiganConfig(sd), ...fromJson, ...opts.config };
  const mel = opts.configJson ? parseHifiganMel(opts.configJson) : HIFIGAN_MEL;
  return HiFiGAN.load(gpu, sd, config, { ...mel, nMels: config.nMels });
}
