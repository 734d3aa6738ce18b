/**
 * Loads a kan-bayashi/ParallelWaveGAN checkpoint (checkpoint-400000steps.pkl: a torch.save of
 * {'model': {'generator': state_dict, 'discriminator': ...}, 'optimizer': ..., 'steps': ...};
 * any nesting prefix is found). The architecture comes from the official config.yml when given,
 * else from the tensor shapes (stacks defaults to 3). Statistics registered in the generator
 * (`mean`, `scale` buffers, as register_stats() stores them) are picked up.
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { WeightFile } from '../../weights/types.js';
import { StateDict } from '../vocoder/weights.js';
import { parseYaml } from '../vocoder/yaml.js';
import { PWG_MEL, inferPwgConfig, parsePwgYaml, type PwgConfig } from './config.js';
import { ParallelWaveGAN } from './model.js';

export interface PwgLoadOptions {
  /** Text of the official config.yml. */
  configYaml?: string;
  config?: Partial<PwgConfig>;
  /** Noise seed (default 0). */
  seed?: number;
}

export async function loadPwg(gpu: Gpu, file: WeightFile, opts: PwgLoadOptions = {}): Promise<ParallelWaveGAN> {
  const sd = StateDict.open(file, 'first_conv', 'pwg');
  const yaml = opts.configYaml ? parsePwgYaml(parseYaml(opts.configYaml)) : { config: {}, mel: {} };
  const config = { ...inferPwgConfig(sd), ...yaml.config, ...opts.config };
  const model = await ParallelWaveGAN.load(gpu, sd, config, { ...PWG_MEL, ...yaml.mel, nMels: config.auxChannels });
  model.seed = opts.seed ?? 0;
  const mean = await sd.maybe('mean'), scale = await sd.maybe('scale');
  if (mean && scale && mean.data.length === config.auxChannels && scale.data.length === config.auxChannels) model.stats = { mean: mean.data, scale: scale.data };
  return model;
}
