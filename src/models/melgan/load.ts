/**
 * Loads a melgan-neurips generator checkpoint (a plain state_dict such as best_netG.pt or
 * mel2wav/models/linda_johnson.pt; any nesting prefix is found) with its configuration read
 * from the tensor shapes; official names `model.<i>.{weight_g, weight_v, bias}`.
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { WeightFile } from '../../weights/types.js';
import { StateDict } from '../vocoder/weights.js';
import { inferMelganConfig, type MelganConfig } from './config.js';
import { MelGAN } from './model.js';

export async function loadMelgan(gpu: Gpu, file: WeightFile, overrides: Partial<MelganConfig> = {}): Promise<MelGAN> {
  const sd = StateDict.open(file, 'model.1', 'melgan');
  return MelGAN.load(gpu, sd, { ...inferMelganConfig(sd), ...overrides });
}
