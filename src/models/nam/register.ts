/**
 * `wavegpu run nam --weights model.nam --in audio=x.npy --out audio=y.npy`: a Neural Amp Modeler
 * WaveNet applied to mono audio at the model's sample rate (48 kHz for the standard models),
 * with silence before the first sample. Node only (reads the file system).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { WaveGpuError } from '../../runtime/errors.js';
import { registerModel } from '../registry.js';
import { loadNam } from './load.js';

registerModel({
  name: 'nam',
  description: 'Neural Amp Modeler feed-forward WaveNet (.nam): guitar amp / pedal model, mono audio in, mono audio out',
  inputs: [{ name: 'audio', dtype: 'f32', shape: '[T]', rank: 1, doc: 'mono audio in [-1, 1] at the model sample rate' }],
  outputs: [{ name: 'audio', dtype: 'f32', shape: '[T]', rank: 1 }],
  options: { block: 'samples per GPU pass (default 512)' },
  async load(gpu, weightsPath, options) {
    const block = options.block === undefined ? undefined : Number(options.block);
    if (block !== undefined && (!Number.isInteger(block) || block < 1)) throw new WaveGpuError('nam', `--block must be a positive integer, got ${options.block}`);
    const model = await loadNam(gpu, new Uint8Array(await readFile(weightsPath)), { name: basename(weightsPath), blockSize: block });
    return {
      async run(inputs, onProgress) {
        const x = inputs.audio;
        if (!(x.data instanceof Float32Array)) throw new WaveGpuError('nam', 'audio must be float32');
        const y = (await model.process(x.data)) as Float32Array;
        onProgress?.(x.data.length, x.data.length);
        return { audio: { shape: [y.length], data: y } };
      },
      dispose: () => model.dispose(),
    };
  },
});
