/**
 * `wavegpu run umt --weights bestmodel_0.pth,bestmodel_1.pth,... --domain 1 --in audio=x.npy
 *  --out latent=z.npy --out audio=y.npy [--seed N] [--temperature T] [--samples N] [--layers 14]`:
 * Universal Music Translation (facebookresearch/music-translation training checkpoints, one per
 * decoder domain, in the order given): encode 16 kHz audio once, decode with domain's WaveNet.
 */
import { WaveGpuError } from '../../runtime/errors.js';
import { loadWeightsFile } from '../../weights/source_node.js';
import type { WeightFile } from '../../weights/types.js';
import { registerModel } from '../registry.js';
import { audioInput, intOption, temperatureOption } from '../nsynth/options.js';
import { UMT, UMT_SIZES } from './config.js';
import { MusicTranslator } from './model.js';

registerModel({
  name: 'umt',
  description: `Universal Music Translation Network (music-translation checkpoints bestmodel_<k>.pth, comma-separated, one per domain): shared ${UMT_SIZES.encoderBlocks}x${UMT_SIZES.encoderLayers}-layer encoder to a ${UMT_SIZES.latent}-dim latent every ${UMT.pool} samples, per-domain WaveNet decoders by fast generation, ${UMT.sampleRate} Hz`,
  inputs: [{ name: 'audio', dtype: 'f32', shape: '[T]', rank: 1, doc: `${UMT.sampleRate} Hz mono in [-1, 1]` }],
  outputs: [
    { name: 'latent', dtype: 'f32', shape: `[T/${UMT.pool}, ${UMT_SIZES.latent}]`, rank: 2 },
    { name: 'audio', dtype: 'f32', shape: `[floor(T/${UMT.pool})*${UMT.pool}]`, rank: 1, doc: 'the translated audio' },
  ],
  options: {
    domain: 'decoder to translate to: index into the --weights list (default 0)', seed: 'sampling seed (default 0)',
    temperature: 'softmax temperature (default 1; 0 = most likely class)', samples: 'decode only the first N samples (default: all)',
    layers: 'decoder layers per block (--layers of the training run; default 10, or 14 when 10 does not divide)',
    'encoder-layers': 'encoder layers per block (default 10)', pool: `samples per latent frame (--encoder-pool; default ${UMT.pool})`,
  },
  async load(gpu, weightsPath, options) {
    const paths = weightsPath.split(',').filter((p) => p);
    const domain = intOption('umt', options, 'domain', 0);
    if (domain >= paths.length) throw new WaveGpuError('umt', `--domain ${domain} needs at least ${domain + 1} checkpoints in --weights (got ${paths.length})`);
    const files: WeightFile[] = [];
    let model: MusicTranslator;
    try {
      // Every checkpoint carries the shared encoder: the chosen domain's file alone suffices.
      files.push(await loadWeightsFile(paths[domain]));
      const layers = options.layers === undefined ? undefined : intOption('umt', options, 'layers', 10);
      const encoderLayers = options['encoder-layers'] === undefined ? undefined : intOption('umt', options, 'encoder-layers', 10);
      model = await MusicTranslator.load(gpu, files, { layers, encoderLayers, pool: intOption('umt', options, 'pool', UMT.pool), layouts: 'generate' });
    } finally {
      for (const f of files) await f.close?.();
    }
    const seed = intOption('umt', options, 'seed', 0), temperature = temperatureOption('umt', options);
    return {
      async run(inputs, onProgress) {
        const code = await model.encode(audioInput('umt', inputs));
        const all = code.frames * model.config.pool;
        const samples = Math.min(intOption('umt', options, 'samples', all) || all, all);
        const [audio] = await model.decode(code, 0, { seed, temperature, samples, onProgress });
        return { latent: { shape: [code.frames, code.channels], data: code.data }, audio: { shape: [audio.length], data: audio } };
      },
      dispose: () => model.dispose(),
    };
  },
});
