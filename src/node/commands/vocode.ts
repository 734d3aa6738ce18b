/**
 * wavegpu vocode --model <melgan|mbmelgan|pwg|hifigan> --weights <path> (--wav in.wav | --mel mel.npy)
 *                [--stats mean_scale.npy] [--config file] [--seed n] [--chunk frames] [--norm mixed|bin|global]
 *                --out out.wav
 * --wav: copy synthesis, the model's own front end then the vocoder (audio is downmixed and
 * resampled to the model's rate). --mel: a float32 [nMels, frames] .npy, fed as is. --stats: a
 * [2, nMels] .npy (mean row, scale row; ParallelWaveGAN / TensorFlowTTS) for models trained on
 * normalised mels; without it such a model gets the utterance's own statistics (--norm, default
 * 'mixed': per-bin means, one pooled deviation; see utteranceStats).
 * --chunk n streams the mel in chunks of n frames (createStream) instead of one pass.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import { readNpy } from '../../audio/npy.js';
import { readWav, writeWav, downmix } from '../../audio/wav.js';
import { Resampler } from '../../ops/resample.js';
import { flag, rejectUnknown, type Args } from '../args.js';
import { VOCODER_KINDS, copySynthesis, vocode, type VocoderKind } from '../../models/vocoder/vocode.js';
import { loadVocoderFile } from '../../models/vocoder/files.js';
import { statsFromArray, type UtteranceNorm } from '../../models/vocoder/frontend.js';
import { createStream } from '../../models/vocoder/stream.js';
import type { Vocoder } from '../../models/vocoder/types.js';

const OPTIONS = ['model', 'weights', 'wav', 'mel', 'stats', 'out', 'config', 'seed', 'chunk', 'norm'];

function read(path: string, what: string): Uint8Array {
  try { return readFileSync(path); } catch (e) { throw new WaveGpuError('vocode', `cannot read ${what} ${path}: ${(e as Error).message}`); }
}

/** WAV -> mono at the model's rate. */
async function loadAudio(gpu: Gpu, path: string, rate: number): Promise<Float32Array> {
  const wav = readWav(read(path, 'WAV'));
  const mono = downmix(wav.channels);
  if (wav.sampleRate === rate) return mono;
  const rs = new Resampler(gpu, wav.sampleRate, rate);
  try {
    const y = gpu.scope(() => rs.apply(gpu.tensor(mono)));
    const out = (await y.read()) as Float32Array;
    y.dispose();
    console.log(`resampled ${path} from ${wav.sampleRate} Hz to ${rate} Hz`);
    return out;
  } finally { rs.dispose(); }
}

function loadMel(model: Vocoder, path: string): { data: Float32Array; frames: number } {
  const a = readNpy(read(path, 'mel'));
  if (a.dtype !== 'f32' || a.shape.length !== 2) throw new WaveGpuError('vocode', `${path} must be float32 [${model.nMels}, frames], got ${a.descr} ${fmtShape(a.shape)}`);
  if (a.shape[0] === model.nMels) return { data: a.data as Float32Array, frames: a.shape[1] };
  if (a.shape[1] !== model.nMels) throw new WaveGpuError('vocode', `${path} is ${fmtShape(a.shape)}; ${model.kind} takes [${model.nMels}, frames]`);
  const F = a.shape[0], out = new Float32Array(a.data.length);  // frames-first (TensorFlowTTS / PWG dumps): transpose
  for (let f = 0; f < F; f++) for (let b = 0; b < model.nMels; b++) out[b * F + f] = a.data[f * model.nMels + b];
  console.log(`${path}: [frames, ${model.nMels}] transposed to [${model.nMels}, frames]`);
  return { data: out, frames: F };
}

async function streamed(model: Vocoder, mel: Float32Array, frames: number, chunk: number): Promise<Float32Array> {
  const s = createStream(model), parts: Float32Array[] = [];
  for (let f = 0; f < frames; f += chunk) {
    const n = Math.min(chunk, frames - f), c = new Float32Array(model.nMels * n);
    for (let b = 0; b < model.nMels; b++) c.set(mel.subarray(b * frames + f, b * frames + f + n), b * n);
    parts.push(await s.push(c));
  }
  parts.push(await s.flush());
  const out = new Float32Array(frames * model.hop);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  console.log(`streamed in chunks of ${chunk} frames (look-ahead ${s.latencySamples} samples)`);
  return out;
}

export async function vocodeCommand(gpu: Gpu, args: Args): Promise<void> {
  rejectUnknown(args, OPTIONS, 'vocode');
  const kind = flag(args, 'model') as VocoderKind | undefined;
  if (!kind || !VOCODER_KINDS.includes(kind)) throw new WaveGpuError('vocode', `--model must be one of ${VOCODER_KINDS.join(', ')}, got '${kind ?? ''}'`);
  const weights = flag(args, 'weights'), out = flag(args, 'out'), wav = flag(args, 'wav'), melPath = flag(args, 'mel');
  if (!weights) throw new WaveGpuError('vocode', '--weights <path> is required');
  if (!out) throw new WaveGpuError('vocode', '--out <file.wav> is required');
  if (!!wav === !!melPath) throw new WaveGpuError('vocode', 'give exactly one of --wav <in.wav> (copy synthesis) or --mel <mel.npy>');
  const seed = flag(args, 'seed') !== undefined ? Number(flag(args, 'seed')) : undefined;
  const chunk = flag(args, 'chunk') !== undefined ? Number(flag(args, 'chunk')) : 0;
  if (!Number.isInteger(chunk) || chunk < 0) throw new WaveGpuError('vocode', `--chunk must be a whole number of frames, got '${flag(args, 'chunk')}'`);
  const norm = (flag(args, 'norm') ?? 'mixed') as UtteranceNorm;
  if (!['mixed', 'bin', 'global'].includes(norm)) throw new WaveGpuError('vocode', `--norm must be 'mixed', 'bin' or 'global', got '${norm}'`);
  const model = await loadVocoderFile(gpu, kind, weights, { configPath: flag(args, 'config'), seed });
  try {
    const statsPath = flag(args, 'stats');
    if (statsPath) {
      const a = readNpy(read(statsPath, 'statistics'));
      const stats = statsFromArray(a.data as Float32Array, a.shape);
      if (stats.mean.length !== model.nMels) throw new WaveGpuError('vocode', `${statsPath} has ${stats.mean.length} bins, the model ${model.nMels}`);
      model.stats = stats;
    }
    const t0 = performance.now();
    let audio: Float32Array, frames: number, note = '';
    if (wav) {
      const r = await copySynthesis(gpu, model, await loadAudio(gpu, wav, model.sampleRate), norm);
      audio = r.audio; frames = r.frames; note = `, mel normalisation: ${r.normalization}`;
    } else {
      const m = loadMel(model, melPath!);
      frames = m.frames;
      audio = chunk ? await streamed(model, m.data, frames, chunk) : await vocode(gpu, model, { data: m.data, shape: [model.nMels, frames] });
    }
    const s = (performance.now() - t0) / 1e3, secs = audio.length / model.sampleRate;
    writeFileSync(out, writeWav(audio, model.sampleRate, { format: 'pcm16' }));
    console.log(`${model.description}: ${frames} frames -> ${secs.toFixed(2)} s of audio in ${s.toFixed(2)} s (${(secs / s).toFixed(2)}x real time${note}) -> ${out}`);
  } finally {
    model.dispose();
  }
}
