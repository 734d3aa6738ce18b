/**
 * `wavegpu run wavenet --weights violin_7-2-128-64-64-64-2.pt_legacy --in input=x.npy --out logits=y.npy`:
 * teacher-forced logits of a pytorch-wavenet checkpoint (legacy or zip torch file, or safetensors).
 * Layers and blocks come from the checkpoint's file name (<data>_<layers>-<blocks>-...) or the
 * --layers / --blocks options. Node only (reads the file system).
 */
import { basename } from 'node:path';
import { loadWeightsFile } from '../../weights/source_node.js';
import { WaveGpuError } from '../../runtime/errors.js';
import { registerModel } from '../registry.js';
import { loadWaveNet, stateDictFrom } from './load.js';
import type { WaveNetConfig } from './config.js';

function intOpt(options: Record<string, string>, key: string): number | undefined {
  if (options[key] === undefined) return undefined;
  const v = Number(options[key]);
  if (!Number.isInteger(v) || v < 1) throw new WaveGpuError('wavenet', `--${key} must be a positive integer, got ${options[key]}`);
  return v;
}

registerModel({
  name: 'wavenet',
  description: 'autoregressive WaveNet (vincentherrmann/pytorch-wavenet layout): teacher-forced next-sample logits over mu-law classes',
  inputs: [{ name: 'input', dtype: 'f32', shape: '[T]', rank: 1, doc: 'companded mu-law values bins[q] (bins = linspace(-1, 1, classes)), T >= receptive field' }],
  outputs: [{ name: 'logits', dtype: 'f32', shape: '[classes, T - receptive_field + 1]', rank: 2, doc: 'column j predicts the class of sample receptive_field + j' }],
  options: { layers: 'layers per block (default: from the file name)', blocks: 'blocks (default: from the file name)' },
  async load(gpu, weightsPath, options) {
    const file = await loadWeightsFile(weightsPath);
    const hint: Partial<WaveNetConfig> = {};
    const layers = intOpt(options, 'layers'), blocks = intOpt(options, 'blocks');
    if (layers) hint.layers = layers;
    if (blocks) hint.blocks = blocks;
    let sd;
    try { sd = await stateDictFrom(file); } finally { await file.close?.(); }
    const model = loadWaveNet(gpu, sd, hint, basename(weightsPath));
    return {
      async run(inputs) {
        const x = inputs.input;
        if (!(x.data instanceof Float32Array)) throw new WaveGpuError('wavenet', 'input must be float32 companded values');
        const y = model.forward(gpu.tensor(x.data, x.shape));
        const data = (await y.read()) as Float32Array;
        const shape = [...y.shape];
        y.dispose();
        return { logits: { shape, data } };
      },
      dispose: () => model.dispose(),
    };
  },
});
