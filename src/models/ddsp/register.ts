/**
 * `wavegpu run ddsp --weights <folder> [--seed N] --in f0_hz=f0.npy --in loudness_db=ld.npy
 *  --out audio=y.npy`: magenta's DDSP tone-transfer models (violin, flute, trumpet,
 * tenor_saxophone TF.js graph folders).
 */
import { WaveGpuError } from '../../runtime/errors.js';
import { registerModel, type ArrayData } from '../registry.js';
import { DDSP } from './config.js';
import { loadDdsp } from './load.js';

function seedOf(v: string | undefined): number {
  if (v === undefined) return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) throw new WaveGpuError('ddsp', `--seed must be a non-negative integer, got '${v}'`);
  return n;
}

function vector(inputs: Record<string, ArrayData>, name: string): Float32Array {
  const a = inputs[name];
  if (!a || !(a.data instanceof Float32Array) || a.shape.length !== 1) throw new WaveGpuError('ddsp', `input '${name}' must be float32 [frames]`);
  return a.data;
}

registerModel({
  name: 'ddsp',
  description: `magenta's DDSP tone transfer (TF.js graph folder: violin, flute, trumpet, tenor_saxophone): decoder + harmonic/noise synth, ${DDSP.sampleRate} Hz, before post-gain/resampling/reverb`,
  inputs: [
    { name: 'f0_hz', dtype: 'f32', shape: '[frames]', rank: 1, doc: `Hz at ${DDSP.frameRate} frames/s, 1 to ${DDSP.frames} frames` },
    { name: 'loudness_db', dtype: 'f32', shape: '[frames]', rank: 1, doc: 'dB (magenta-js loudness, about -120 to -20)' },
  ],
  outputs: [{ name: 'audio', dtype: 'f32', shape: `[frames*${DDSP.hop}]`, rank: 1, doc: `${DDSP.sampleRate} Hz` }],
  options: { seed: 'seed of the noise source (default 0)' },
  async load(gpu, weightsPath, options) {
    const seed = seedOf(options.seed);
    const model = await loadDdsp(gpu, weightsPath);
    return {
      async run(inputs, onProgress) {
        const audio = await model.synthesize(vector(inputs, 'f0_hz'), vector(inputs, 'loudness_db'), seed);
        onProgress?.(1, 1);
        return { audio: { shape: [audio.length], data: audio } };
      },
      dispose: () => model.dispose(),
    };
  },
});
