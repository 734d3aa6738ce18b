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
import { loadOwnInstrument } from '../../models/ddsp/load.js';
import { writeWav } from '../../audio/wav.js';
import { encodePng } from '../../audio/png.js';
import { audioPicture } from '../../audio/picture.js';
import { flag, numberFlag, type Args } from '../args.js';

const OWN = ['cello', 'flute'];

async function render(gpu: Gpu, instrument: string, notes: Note[]): Promise<{ audio: Float32Array; sampleRate: number; secs: number }> {
  if (instrument === 'additive') {
    await renderNotes(gpu, notes.slice(0, 4)); // compile pipelines before timing
    const t0 = performance.now();
    return { ...(await renderNotes(gpu, notes)), secs: (performance.now() - t0) / 1000 };
  }
  const path = fileURLToPath(new URL(`../../weights/${instrument}.safetensors`, import.meta.url)); // dist/node -> weights/
  if (!OWN.includes(instrument) || !existsSync(path)) throw new WaveGpuError('demo', `no instrument '${instrument}' (have: ${OWN.join(', ')}, additive)`);
  const { model, peakDb } = await loadOwnInstrument(gpu, path);
  await renderWithDdsp(model, notes.slice(0, 2), { peak: peakDb }); // compile pipelines before timing
  const t0 = performance.now();
  const out = await renderWithDdsp(model, notes, { peak: peakDb });
  const secs = (performance.now() - t0) / 1000;
  model.dispose();
  return { ...out, secs };
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
  const pic = await gpu.scope(() => audioPicture(gpu.tensor(audio)));
  writeFileSync(png, encodePng(pic.rgba, pic.width, pic.height));
  const dur = audio.length / sampleRate;
  console.log(`wrote ${wav} (${dur.toFixed(2)} s at ${sampleRate} Hz) and its rainbowgram ${png}`);
  console.log(`rendered in ${secs.toFixed(2)} s: ${(dur / secs).toFixed(2)}x real time`);
}
