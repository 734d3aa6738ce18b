/**
 * `wavegpu generate wavenet --weights <ckpt> --seconds 2 --seed 1 [--prime in.wav] [--temperature 1]
 *  [--batch 1] --out out.wav` (autoregressive fast generation on the GPU) and
 * `wavegpu fx <in.wav> --nam <file.nam> --out out.wav` (Neural Amp Modeler, streamed in blocks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError } from '../../runtime/errors.js';
import { writeWav } from '../../audio/wav.js';
import { loadWeightsFile } from '../../weights/source_node.js';
import { loadWaveNet, stateDictFrom } from '../../models/wavenet/load.js';
import { generate } from '../../models/wavenet/generate.js';
import { loadNam } from '../../models/nam/load.js';
import { loadAudio } from './spectral.js';
import { flag, numberFlag, type Args } from '../args.js';
import { Progress } from '../progress.js';

/** A WAV as mono samples at `rate` (loadAudio resamples on the GPU). */
async function readMono(gpu: Gpu, path: string, rate: number): Promise<Float32Array> {
  const { audio } = loadAudio(gpu, path, rate);
  try { return (await audio.read()) as Float32Array; } finally { audio.dispose(); }
}

export async function generateCommand(gpu: Gpu, args: Args): Promise<void> {
  const [model] = args.positional, weights = flag(args, 'weights'), out = flag(args, 'out');
  if (model !== 'wavenet') throw new WaveGpuError('generate', `unknown model '${model ?? ''}': generate supports 'wavenet' (nsynth/umt decode through 'wavegpu run')`);
  if (!weights || !out) throw new WaveGpuError('generate', 'usage: wavegpu generate wavenet --weights <checkpoint> --seconds 2 --seed 1 [--prime in.wav] --out out.wav');
  const file = await loadWeightsFile(weights);
  let sd;
  try { sd = await stateDictFrom(file); } finally { await file.close?.(); }
  const net = loadWaveNet(gpu, sd, {}, basename(weights));
  const rate = net.config.sampleRate;
  const primePath = flag(args, 'prime');
  const prime = primePath ? await readMono(gpu, primePath, rate) : undefined;
  const samples = Math.round(numberFlag(args, 'seconds', 2) * rate);
  const bar = new Progress('generate', samples);
  const res = await generate(net, {
    samples, prime, batch: numberFlag(args, 'batch', 1), seed: numberFlag(args, 'seed', 0),
    temperature: numberFlag(args, 'temperature', 1), onProgress: (d) => bar.update(d),
  });
  bar.done();
  writeFileSync(out, writeWav(res.audio, rate));
  console.log(`generate: ${res.batch} stream(s) x ${(res.length / rate).toFixed(2)} s (prime ${res.prime} samples) at ${rate} Hz -> ${out}`);
}

export async function fxCommand(gpu: Gpu, args: Args): Promise<void> {
  const [input] = args.positional, nam = flag(args, 'nam'), out = flag(args, 'out');
  if (!input || !nam || !out) throw new WaveGpuError('fx', 'usage: wavegpu fx <in.wav> --nam <model.nam> --out out.wav');
  const model = await loadNam(gpu, readFileSync(nam), { name: nam });
  const x = await readMono(gpu, input, model.sampleRate);
  const block = 48000;
  const bar = new Progress('fx', x.length);
  const y = new Float32Array(x.length);
  const t0 = performance.now();
  for (let s = 0; s < x.length; s += block) {
    y.set((await model.process(x.subarray(s, Math.min(x.length, s + block)))) as Float32Array, s);
    bar.update(Math.min(x.length, s + block));
  }
  bar.done();
  const secs = (performance.now() - t0) / 1000;
  writeFileSync(out, writeWav(y, model.sampleRate));
  console.log(`fx: ${(x.length / model.sampleRate).toFixed(2)} s through ${basename(nam)} in ${secs.toFixed(2)} s (${(x.length / model.sampleRate / secs).toFixed(2)}x real time) -> ${out}`);
}
