/**
 * `wavegpu run nsynth --weights wavenet-ckpt/model.ckpt-200000.index --in audio=note.npy
 *  --out encoding=z.npy --out audio=y.npy [--seed N] [--temperature T] [--samples N] [--ema true]`:
 * magenta's NSynth WaveNet autoencoder (TF checkpoint, or a safetensors converted from it):
 * encodes 16 kHz audio to a 16-dim code every 512 samples and decodes it back by fast generation.
 */
import { loadWeightsFile } from '../../weights/source_node.js';
import { registerModel } from '../registry.js';
import { audioInput, checkpointPath, intOption, temperatureOption } from './options.js';
import { NSYNTH, NSYNTH_SIZES } from './config.js';
import { NSynth } from './model.js';

registerModel({
  name: 'nsynth',
  description: `magenta's NSynth WaveNet autoencoder h512_bo16 (TF checkpoint wavenet-ckpt or its safetensors): ${NSYNTH_SIZES.aeLayers}-layer encoder to a ${NSYNTH_SIZES.bottleneck}-dim code every ${NSYNTH.hop} samples, ${NSYNTH_SIZES.layers}-layer decoder by fast generation, ${NSYNTH.sampleRate} Hz`,
  inputs: [{ name: 'audio', dtype: 'f32', shape: '[T]', rank: 1, doc: `${NSYNTH.sampleRate} Hz mono in [-1, 1]; trimmed to a multiple of ${NSYNTH.hop}` }],
  outputs: [
    { name: 'encoding', dtype: 'f32', shape: `[T/${NSYNTH.hop}, ${NSYNTH_SIZES.bottleneck}]`, rank: 2 },
    { name: 'audio', dtype: 'f32', shape: `[T/${NSYNTH.hop}*${NSYNTH.hop}]`, rank: 1, doc: 'the decoded (regenerated) audio' },
  ],
  options: {
    seed: 'sampling seed (default 0)', temperature: 'softmax temperature (default 1; 0 = most likely class)',
    samples: 'decode only the first N samples (default: all; generation runs sample by sample)', ema: "'true': use the /ExponentialMovingAverage weights",
    stages: `decoder dilation cycle (default ${NSYNTH.stages})`, 'ae-stages': `encoder dilation cycle (default ${NSYNTH.aeStages})`, hop: `samples per code frame (default ${NSYNTH.hop})`,
  },
  async load(gpu, weightsPath, options) {
    const file = await loadWeightsFile(checkpointPath(weightsPath));
    let model: NSynth;
    const cfg = { stages: intOption('nsynth', options, 'stages', NSYNTH.stages), aeStages: intOption('nsynth', options, 'ae-stages', NSYNTH.aeStages), hop: intOption('nsynth', options, 'hop', NSYNTH.hop) };
    try { model = await NSynth.load(gpu, file, { ...cfg, ema: options.ema === 'true', layouts: 'generate' }); } finally { await file.close?.(); }
    const seed = intOption('nsynth', options, 'seed', 0), temperature = temperatureOption('nsynth', options);
    return {
      async run(inputs, onProgress) {
        const code = await model.encode(audioInput('nsynth', inputs));
        const all = code.frames * model.config.hop;
        const samples = Math.min(intOption('nsynth', options, 'samples', all) || all, all);
        const [audio] = await model.decode(code, { seed, temperature, samples, onProgress });
        return { encoding: { shape: [code.frames, code.channels], data: code.data }, audio: { shape: [audio.length], data: audio } };
      },
      dispose: () => model.dispose(),
    };
  },
});
