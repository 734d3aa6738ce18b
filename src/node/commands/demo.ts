/** `wavegpu demo [--out out/] [--bpm 72]`: the README's first command. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Gpu } from '../../runtime/gpu.js';
import { bachPrelude } from '../../music/bach_prelude.js';
import { renderNotes } from '../../demo/additive.js';
import { writeWav } from '../../audio/wav.js';
import { flag, numberFlag, type Args } from '../args.js';

export async function demo(gpu: Gpu, args: Args): Promise<void> {
  const outDir = flag(args, 'out') ?? 'out';
  const notes = bachPrelude(numberFlag(args, 'bpm', 72));
  console.log(`wavegpu demo: Bach, Cello Suite No. 1, Prelude (bars 1-6, ${notes.length} notes) on ${gpu.describe()}`);
  await renderNotes(gpu, notes.slice(0, 4)); // warm-up: compile pipelines once
  const t0 = performance.now();
  const { audio, sampleRate } = await renderNotes(gpu, notes);
  const secs = (performance.now() - t0) / 1000;
  mkdirSync(outDir, { recursive: true });
  const wav = join(outDir, 'bach_prelude.wav');
  writeFileSync(wav, writeWav(audio, sampleRate));
  const dur = audio.length / sampleRate;
  console.log(`wrote ${wav}: ${dur.toFixed(2)} s at ${sampleRate} Hz, rendered in ${secs.toFixed(3)} s (${(dur / secs).toFixed(1)}x real time)`);
}
