/**
 * Loads the TensorFlowTTS Multi-band MelGAN from a TF.js graph model (model.json + shards, the
 * uint8-quantised LJSpeech vocoder of tfjs-tts): graph constants -> named weights
 * (src/models/mbmelgan/graph.ts) -> the model.
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { WeightFile } from '../../weights/types.js';
import type { TfjsGraph } from '../../weights/tfjs_graph.js';
import { readMbMelganGraph } from './graph.js';
import { MultiBandMelGAN } from './model.js';

export interface MbMelganLoadOptions {
  pqmf?: 'graph' | 'design';
}

export async function loadMbMelgan(gpu: Gpu, file: WeightFile & { graph?: TfjsGraph }, opts: MbMelganLoadOptions = {}): Promise<MultiBandMelGAN> {
  const g = await readMbMelganGraph(file);
  return MultiBandMelGAN.fromGraph(gpu, g, opts.pqmf ?? 'graph');
}
