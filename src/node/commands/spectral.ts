/**
 * `wavegpu mel <in.wav> --out mel.npy [--sr --n-fft --hop --n-mels --fmin --fmax --log --power]`
 * `wavegpu spectrogram <in.wav> --out picture.png [--n-fft --hop --plain]`
 * Both run on the GPU: resampling, STFT, mel projection, phase and instantaneous frequency.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';
import { WaveGpuError } from '../../runtime/errors.js';
import { readWav, downmix } from '../../audio/wav.js';
import { writeNpy } from '../../audio/npy.js';
import { encodePng } from '../../audio/png.js';
import { audioPicture } from '../../audio/picture.js';
import { Resampler } from '../../ops/resample.js';
import { melSpectrogram } from '../../ops/mel.js';
import type { LogBase } from '../../ops/stft.js';
import { flag, numberFlag, type Args } from '../args.js';

/** Reads a WAV as mono on the GPU, resampled to `sr` when given. */
export function loadAudio(gpu: Gpu, path: string, sr?: number): { audio: Tensor; sampleRate: number } {
  let bytes: Uint8Array;
  try { bytes = readFileSync(path); } catch (e) { throw new WaveGpuError('wav', `cannot read ${path}: ${(e as Error).message}`); }
  const wav = readWav(bytes);
  let audio: Tensor = gpu.tensor(downmix(wav.channels));
  if (sr && sr !== wav.sampleRate) {
    const r = new Resampler(gpu, wav.sampleRate, sr);
    const out = r.apply(audio);
    audio.dispose(); r.dispose();
    audio = out;
  }
  return { audio, sampleRate: sr ?? wav.sampleRate };
}

function requireIO(args: Args, cmd: string, ext: string): [string, string] {
  const [input] = args.positional, out = flag(args, 'out');
  if (!input || !out) throw new WaveGpuError(cmd, `usage: wavegpu ${cmd} <in.wav> --out <file${ext}> (see wavegpu help)`);
  return [input, out];
}

export async function melCommand(gpu: Gpu, args: Args): Promise<void> {
  const [input, out] = requireIO(args, 'mel', '.npy');
  const sr = numberFlag(args, 'sr', 22050);
  const log = flag(args, 'log') ?? '10';
  if (!['10', 'e', 'db', 'none'].includes(log)) throw new WaveGpuError('mel', `--log must be 10, e, db or none, got ${log}`);
  const { audio } = loadAudio(gpu, input, sr);
  const mel = gpu.scope(() => melSpectrogram(audio, {
    sr, nFft: numberFlag(args, 'n-fft', 1024), hop: numberFlag(args, 'hop', 256), nMels: numberFlag(args, 'n-mels', 80),
    fmin: numberFlag(args, 'fmin', 0), fmax: numberFlag(args, 'fmax', sr / 2), power: numberFlag(args, 'power', 1),
    log: log === 'none' ? false : (log as LogBase), eps: numberFlag(args, 'eps', 1e-5),
  }));
  const data = await mel.read();
  writeFileSync(out, writeNpy(data, mel.shape));
  console.log(`mel: [${mel.shape.join(', ')}] (n_mels, frames) at ${sr} Hz -> ${out}`);
}

export async function spectrogramCommand(gpu: Gpu, args: Args): Promise<void> {
  const [input, out] = requireIO(args, 'spectrogram', '.png');
  const { audio } = loadAudio(gpu, input);
  const plain = flag(args, 'plain') === 'true';
  const pic = await audioPicture(audio, { nFft: numberFlag(args, 'n-fft', 1024), hop: numberFlag(args, 'hop', 256), plain });
  writeFileSync(out, encodePng(pic.rgba, pic.width, pic.height));
  console.log(`${plain ? 'spectrogram' : 'rainbowgram'}: ${pic.width} frames x ${pic.height} bins -> ${out}`);
}
