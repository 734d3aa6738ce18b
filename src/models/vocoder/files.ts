/**
 * Opening official vocoder checkpoints from paths (Node): the weight file plus the configuration
 * that ships beside it (HiFi-GAN's config.json, ParallelWaveGAN's config.yml), and the registry
 * entry shared by the four models for `wavegpu run <model> --weights <path>`.
 * node:fs is only reached through src/weights/source_node.ts's dynamic import.
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import { loadWeightsFile, nodeOpener, openFileSource } from '../../weights/source_node.js';
import { loadWeights } from '../../weights/load.js';
import type { WeightFile } from '../../weights/types.js';
import type { ModelEntry, LoadedModel, ArrayData } from '../registry.js';
import { loadVocoder, vocode, type VocoderKind } from './vocode.js';
import type { Vocoder } from './types.js';

async function readText(path: string): Promise<string | null> {
  let src;
  try { src = await openFileSource(path); } catch { return null; }
  try { return new TextDecoder().decode(await src.read(0, src.size)); } finally { await src.close?.(); }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(0, i) : '.';
}

/** The weight file for a kind: Multi-band MelGAN takes its folder or model.json. */
export async function openVocoderWeights(kind: VocoderKind, path: string): Promise<WeightFile> {
  if (kind !== 'mbmelgan') return loadWeightsFile(path);
  // model.json is read whole and closed here (the TF.js reader keeps no handle on it).
  const p = path.endsWith('.json') ? path : `${path.replace(/\/+$/, '')}/model.json`;
  const src = await openFileSource(p);
  let bytes: Uint8Array;
  try { bytes = await src.read(0, src.size); } finally { await src.close?.(); }
  return loadWeights(bytes, { name: p, open: nodeOpener(dirOf(p)) });
}

/** Loads a vocoder from a path; HiFi-GAN / PWG pick up config.json / config.yml beside it (or `configPath`). */
export async function loadVocoderFile(gpu: Gpu, kind: VocoderKind, path: string, opts: { configPath?: string; seed?: number } = {}): Promise<Vocoder> {
  const file = await openVocoderWeights(kind, path);
  try {
    let config: Record<string, unknown> | string | undefined;
    if (kind === 'hifigan' || kind === 'pwg') {
      const cp = opts.configPath ?? `${dirOf(path)}/${kind === 'hifigan' ? 'config.json' : 'config.yml'}`;
      const text = await readText(cp);
      if (text === null && opts.configPath) throw new WaveGpuError(kind, `cannot read the config file ${opts.configPath}`);
      if (text !== null) {
        try { config = kind === 'hifigan' ? JSON.parse(text) : text; } catch (e) { throw new WaveGpuError(kind, `${cp}: ${(e as Error).message}`); }
      }
    }
    return await loadVocoder(gpu, kind, file, { config, seed: opts.seed });
  } finally {
    await file.close?.();
  }
}

/** The `wavegpu run` entry of one vocoder: mel [nMels, frames] -> audio [frames * hop]. */
export function vocoderEntry(kind: VocoderKind, description: string, melDoc: string, extra: Partial<ModelEntry> = {}): ModelEntry {
  return {
    name: kind,
    description,
    inputs: [{ name: 'mel', dtype: 'f32', shape: '[80, frames]', rank: 2, doc: melDoc }],
    outputs: [{ name: 'audio', dtype: 'f32', shape: '[frames * 256]', rank: 1, doc: 'waveform at 22,050 Hz (hop and rate follow the checkpoint)' }],
    options: { config: 'config file (default: config.json / config.yml beside the weights)', ...(kind === 'pwg' ? { seed: 'noise seed (default 0)' } : {}) },
    async load(gpu: Gpu, weightsPath: string, options: Record<string, string>): Promise<LoadedModel> {
      const seed = options.seed !== undefined ? Number(options.seed) : undefined;
      if (seed !== undefined && !Number.isSafeInteger(seed)) throw new WaveGpuError(kind, `--seed must be an integer, got '${options.seed}'`);
      const model = await loadVocoderFile(gpu, kind, weightsPath, { configPath: options.config, seed });
      return {
        async run(inputs: Record<string, ArrayData>, onProgress?: (done: number, total: number) => void): Promise<Record<string, ArrayData>> {
          const mel = inputs.mel;
          if (!(mel.data instanceof Float32Array) || mel.shape.length !== 2 || mel.shape[0] !== model.nMels) {
            throw new WaveGpuError(kind, `input 'mel' must be f32 [${model.nMels}, frames], got ${fmtShape(mel.shape)}`);
          }
          const audio = await vocode(gpu, model, { data: mel.data, shape: mel.shape });
          onProgress?.(1, 1);
          return { audio: { shape: [audio.length], data: audio } };
        },
        dispose: () => model.dispose(),
      };
    },
    ...extra,
  };
}
