/**
 * The vocoder API:
 *   vocode(gpu, model, mel)            mel [nMels, frames] (as the model expects it) -> audio
 *   copySynthesis(gpu, model, audio)   the model's own front end, then vocode (one submit)
 *   loadVocoder(gpu, kind, file, ...)  any of the four from a WeightFile
 * Each call records the whole forward pass into one command encoder and reads back once.
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { WeightFile } from '../../weights/types.js';
import { loadMelgan } from '../melgan/load.js';
import { loadHifigan } from '../hifigan/load.js';
import { loadPwg } from '../pwg/load.js';
import { loadMbMelgan } from '../mbmelgan/load.js';
import { computeMel, normalizeHost, utteranceStats, type UtteranceNorm } from './frontend.js';
import type { Vocoder } from './types.js';

export type VocoderKind = 'melgan' | 'mbmelgan' | 'pwg' | 'hifigan';
export const VOCODER_KINDS: readonly VocoderKind[] = ['melgan', 'mbmelgan', 'pwg', 'hifigan'];

export interface MelInput {
  data: Float32Array;
  /** [nMels, frames] */
  shape: readonly number[];
}

function melTensor(gpu: Gpu, model: Vocoder, mel: Tensor | MelInput): Tensor {
  const shape = mel.shape;
  if (shape.length !== 2 || shape[0] !== model.nMels) {
    throw new WaveGpuError('vocode', `${model.kind} takes a mel [${model.nMels}, frames], got ${fmtShape(shape)}${shape.length === 2 && shape[1] === model.nMels ? ' (frames-first: transpose it)' : ''}`);
  }
  return 'gpu' in mel ? mel : gpu.tensor(mel.data, [shape[0], shape[1]]);
}

/** mel [nMels, frames] -> audio [frames * hop] (one submit, one readback). */
export async function vocode(gpu: Gpu, model: Vocoder, mel: Tensor | MelInput): Promise<Float32Array> {
  const y = gpu.scope(() => model.forward(melTensor(gpu, model, mel)));
  try {
    return (await y.read()) as Float32Array;
  } finally {
    y.dispose();
  }
}

export interface CopySynthesis {
  /** The mel the model was given [nMels, frames] (normalised when the model expects it). */
  mel: Float32Array;
  frames: number;
  audio: Float32Array;
  /** 'none' | 'stats' (dataset statistics) | 'utterance-mixed' | 'utterance-bin' | 'utterance-global' (see utteranceStats). */
  normalization: string;
}

/**
 * audio at the model's sample rate -> its own mel -> audio. One pass when no normalisation or the
 * model's statistics apply; a model trained on normalised mels without known statistics gets the
 * utterance's own statistics (`utteranceNorm`, an approximation), which needs a readback between.
 */
export async function copySynthesis(gpu: Gpu, model: Vocoder, audio: Float32Array, utteranceNorm: UtteranceNorm = 'mixed'): Promise<CopySynthesis> {
  const cfg = { ...model.melConfig, nMels: model.nMels };
  if (cfg.normalize && !model.stats) {
    const raw = gpu.scope(() => computeMel(gpu.tensor(audio), cfg));
    const data = (await raw.read()) as Float32Array, frames = raw.shape[1];
    raw.dispose();
    const mel = normalizeHost(data, utteranceStats(data, model.nMels, utteranceNorm));
    return { mel, frames, audio: await vocode(gpu, model, { data: mel, shape: [model.nMels, frames] }), normalization: `utterance-${utteranceNorm}` };
  }
  const [mel, y] = gpu.scope(() => {
    const m = computeMel(gpu.tensor(audio), cfg, cfg.normalize ? model.stats : null);
    return [m, model.forward(m)];
  });
  try {
    const out = (await y.read()) as Float32Array;
    return { mel: (await mel.read()) as Float32Array, frames: mel.shape[1], audio: out, normalization: cfg.normalize ? 'stats' : 'none' };
  } finally {
    mel.dispose();
    y.dispose();
  }
}

export interface LoadVocoderOptions {
  /** HiFi-GAN config.json (parsed) or PWG config.yml (text). */
  config?: Record<string, unknown> | string;
  /** PWG noise seed. */
  seed?: number;
  /** Multi-band MelGAN PQMF filters: 'graph' (default) or 'design'. */
  pqmf?: 'graph' | 'design';
}

export async function loadVocoder(gpu: Gpu, kind: VocoderKind, file: WeightFile, opts: LoadVocoderOptions = {}): Promise<Vocoder> {
  switch (kind) {
    case 'melgan': return loadMelgan(gpu, file);
    case 'hifigan': return loadHifigan(gpu, file, { configJson: typeof opts.config === 'object' ? opts.config : undefined });
    case 'pwg': return loadPwg(gpu, file, { configYaml: typeof opts.config === 'string' ? opts.config : undefined, seed: opts.seed });
    case 'mbmelgan': return loadMbMelgan(gpu, file, { pqmf: opts.pqmf });
  }
  throw new WaveGpuError('vocode', `unknown vocoder '${kind as string}' (${VOCODER_KINDS.join(', ')})`);
}
