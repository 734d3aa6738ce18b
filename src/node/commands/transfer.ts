/**
 * `wavegpu transfer <in.wav> --instrument violin --weights <magenta ddsp folder> --out out.wav
 *  [--sr 16000|48000] [--seed 0]`: tone transfer. Pitch (YIN) and loudness are measured on the GPU,
 * normalised to the instrument's preset, and played by the DDSP model.
 */
import { writeFileSync } from 'node:fs';
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError } from '../../runtime/errors.js';
import { writeWav } from '../../audio/wav.js';
import { yin, rmsDb } from '../../ops/pitch.js';
import { Resampler } from '../../ops/resample.js';
import { loadDdsp } from '../../models/ddsp/load.js';
import { DDSP, PRESETS, INSTRUMENTS, type DdspInstrument } from '../../models/ddsp/config.js';
import { normaliseLoudness, shiftPitchRegister, chunkRanges, crossfade } from '../../models/ddsp/transfer.js';
import { flag, numberFlag, type Args } from '../args.js';
import { loadAudio } from './spectral.js';
import { Progress } from '../progress.js';

export async function transferCommand(gpu: Gpu, args: Args): Promise<void> {
  const [input] = args.positional, out = flag(args, 'out'), weights = flag(args, 'weights');
  const instrument = (flag(args, 'instrument') ?? 'violin') as DdspInstrument;
  if (!input || !out) throw new WaveGpuError('transfer', 'usage: wavegpu transfer <in.wav> --instrument violin --weights <ddsp model folder> --out out.wav');
  if (!INSTRUMENTS.includes(instrument)) throw new WaveGpuError('transfer', `unknown instrument '${instrument}' (presets: ${INSTRUMENTS.join(', ')})`);
  if (!weights) throw new WaveGpuError('transfer', `--weights <folder with model.json> is required (magenta's ${instrument} DDSP model; see weights/README.md)`);
  const sr = DDSP.sampleRate, hop = DDSP.hop, outRate = numberFlag(args, 'sr', sr);
  const { audio } = loadAudio(gpu, input, sr);
  const feats = gpu.scope(() => ({ ...yin(audio, { sampleRate: sr, hop, fmin: 50, fmax: 2000 }), ld: rmsDb(audio, { hop, win: 1024, offsetDb: -20.7, minDb: -120 }) }));
  const [f0raw, conf, ldraw] = [await feats.f0.read(), await feats.confidence.read(), await feats.ld.read()] as Float32Array[];
  const preset = PRESETS[instrument];
  const ld = normaliseLoudness(ldraw, conf, preset);
  const { f0, octaves } = shiftPitchRegister(f0raw, conf, ld, preset);
  const model = await loadDdsp(gpu, weights);
  const ranges = chunkRanges(f0.length);
  const bar = new Progress('transfer', ranges.length);
  const chunks: Float32Array[] = [];
  for (const [a, b] of ranges) {
    chunks.push(await model.synthesize(f0.subarray(a, b), ld.subarray(a, b), numberFlag(args, 'seed', 0)));
    bar.update(chunks.length);
  }
  bar.done();
  let y: Float32Array = crossfade(chunks, ranges.map(([a]) => a * hop), audio.size, 250 * hop).map((v) => v * preset.postGain);
  if (outRate !== sr) {
    const r = new Resampler(gpu, sr, outRate);
    y = (await r.apply(gpu.tensor(y)).read()) as Float32Array;
  }
  writeFileSync(out, writeWav(y, outRate));
  console.log(`transfer: ${instrument}, pitch moved ${octaves} octave(s), ${(audio.size / sr).toFixed(2)} s -> ${out} (${outRate} Hz)`);
  model.dispose();
}
