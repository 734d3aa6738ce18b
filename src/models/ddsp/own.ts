/**
 * The project's own DDSP instruments (weights/<name>.safetensors, trained by weights/train_ddsp.py
 * on FluidR3 renders): same decoder family as magenta's, narrower. Tensor names and the config
 * JSON in the file's metadata are listed in weights/README.md.
 */
import { WaveGpuError } from '../../runtime/errors.js';
import type { WeightFile } from '../../weights/types.js';
import type { DdspWeights, DdspLayer } from './weights.js';

export const OWN_FORMAT = 'wavegpu-ddsp-v1';

function ownConfig(file: WeightFile) {
  if (file.metadata.format !== OWN_FORMAT || !file.metadata.config) {
    throw new WaveGpuError('ddsp', `${file.name}: not a wavegpu DDSP instrument (metadata format '${file.metadata.format ?? ''}', expected '${OWN_FORMAT}' with a config)`);
  }
  return JSON.parse(file.metadata.config);
}

/** Peak loudness (dB, magenta-js scale) of the training renders: where a full-velocity note should sit. */
export function ownLoudnessPeak(file: WeightFile): number {
  const peak = ownConfig(file).loudnessStats?.averageMax;
  if (typeof peak !== 'number') throw new WaveGpuError('ddsp', `${file.name}: config has no loudnessStats.averageMax`);
  return peak;
}

export async function readOwnDdspWeights(file: WeightFile): Promise<DdspWeights> {
  const cfg = ownConfig(file);
  const t = async (n: string): Promise<Float32Array> => {
    const e = file.tensors.get(n);
    if (!e) throw new WaveGpuError('ddsp', `${file.name}: missing tensor '${n}'`);
    return e.read();
  };
  const layers: DdspLayer[] = [];
  for (let i = 0; i < cfg.layers; i++) {
    layers.push({ w: await t(`layers.${i}.weight`), cin: cfg.channels, b: await t(`layers.${i}.bias`), dilation: cfg.dilations[i], gamma: await t(`layers.${i}.gamma`), beta: await t(`layers.${i}.beta`) });
  }
  return {
    convIn: { w: await t('conv_in.weight'), cin: 2, b: await t('conv_in.bias'), dilation: 1 },
    layers,
    dense: { w: await t('dense.weight'), b: await t('dense.bias') },
    normEps: cfg.normEps,
    features: cfg.features,
    controls: cfg.controls,
    synth: { harmonicNumbers: await t('synth.harmonic_numbers'), ampWindow: await t('synth.amp_window'), noiseWindow: await t('synth.noise_window'), ...cfg.synth },
  };
}
