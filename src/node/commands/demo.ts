/**
 * `wavegpu demo [--out out/] [--bpm 72] [--instrument cello|flute|additive]`: the README's first
 * command. Bach's cello prelude played by the project's own DDSP instrument (weights/cello.safetensors,
 * trained on FluidR3 renders), written to out/ as a WAV and its rainbowgram, with the real-time factor.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError } from '../../runtime/errors.js';
import { bachPrelude, type Note } from '../../music/bach_prelude.js';
import { renderNotes } from '../../demo/additive.js';
import { renderWithDdsp } from '../../demo/instrument.js';
import { loadDdsp } from '../../models/ddsp/load.js';
import { writeWav } from '../../audio/wav.js';
import { encodePng } from '../../audio/png.js';
import { rainbowgramPicture } from '../../audio/rainbowgram.js';
import { stft, magnitude, angle, logClamp } from '../../ops/stft.js';
import { instFreq } from '../../ops/scan.js';
import { flag, numberFlag, type Args } from '../args.js';

/** Peak loudness (dB) each instrument was trained around (config.loudnessStats.averageMax). */
const OWN: Record<string, number> = { cello: -47.7, flute: -46 };

async function render(gpu: Gpu, instrument: string, notes: Note[]): Promise<{ audio: Float32Array; sampleRate: number; secs: number }> {
  if (instrument === 'additive') {
    await renderNotes(gpu, notes.slice(0, 4)); // compile pipelines before timing
    const t0 = performance.now();
    return { ...(await renderNotes(gpu, notes)), secs: (performance.now() - t0) / 1000 };
  }
  const path = fileURLToPath(new URL(`../../weights/${instrument}.safetensors`, import.meta.url)); // dist/node -> weights/
  if (!(instrument in OWN) || !existsSync(path)) throw new WaveGpuError('demo', `no instrument '${instrument}' (have: ${Object.keys(OWN).join(', ')}, additive)`);
  const model = await loadDdsp(gpu, path);
  await renderWithDdsp(model, notes.slice(0, 2), { peak: OWN[instrument] }); // compile pipelines before timing
  const t0 = performance.now();
  const out = await renderWithDdsp(model, notes, { peak: OWN[instrument] });
  const secs = (performance.now() - t0) / 1000;
  model.dispose();
  return { ...out, secs };
}

async function rainbowgram(gpu: Gpu, audio: Float32Array): Promise<Uint8Array> {
  const { db, ifreq } = gpu.scope(() => {
    const X = stft(gpu.tensor(audio), { nFft: 512, hop: 128, window: 'hann' });
    return { db: logClamp(magnitude(X), { base: 'db', eps: 1e-5 }), ifreq: instFreq(angle(X), -1) };
  });
  const [bins, frames] = db.shape;
  const pic = rainbowgramPicture((await db.read()) as Float32Array, (await ifreq.read()) as Float32Array, frames, bins);
  db.dispose(); ifreq.dispose();
  return encodePng(pic.rgba, pic.width, pic.height);
}

export async function demo(gpu: Gpu, args: Args): Promise<void> {
  const outDir = flag(args, 'out') ?? 'out', instrument = flag(args, 'instrument') ?? 'cello';
  const notes = bachPrelude(numberFlag(args, 'bpm', 72));
  console.log(`wavegpu demo: Bach, Cello Suite No. 1, Prelude (bars 1-6, ${notes.length} notes), instrument '${instrument}', on ${gpu.describe()}`);
  const { audio, sampleRate, secs } = await render(gpu, instrument, notes);
  mkdirSync(outDir, { recursive: true });
  const wav = join(outDir, 'bach_prelude.wav'), png = join(outDir, 'bach_prelude.png');
  const peak = audio.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  writeFileSync(wav, writeWav(peak > 0 ? audio.map((v) => (0.89 * v) / peak) : audio, sampleRate)); // peak at -1 dBFS
  writeFileSync(png, await rainbowgram(gpu, audio));
  const dur = audio.length / sampleRate;
  console.log(`wrote ${wav} (${dur.toFixed(2)} s at ${sampleRate} Hz) and its rainbowgram ${png}`);
  console.log(`rendered in ${secs.toFixed(2)} s: ${(dur / secs).toFixed(2)}x real time`);
}
