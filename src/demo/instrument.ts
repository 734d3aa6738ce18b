/**
 * Plays a note list with a DDSP instrument (the project's own, or magenta's): frame-rate f0 and
 * loudness controls from the notes, the model in 5 s chunks crossfaded over 1 s.
 */
import type { DdspModel } from '../models/ddsp/model.js';
import { DDSP } from '../models/ddsp/config.js';
import { chunkRanges, crossfade, LOWEST_LD } from '../models/ddsp/transfer.js';
import { followLine, type Note } from '../music/bach_prelude.js';

export interface LoudnessRange {
  /** Loudness (dB, magenta-js scale) of a full-velocity note's peak. */
  peak: number;
  /** Quietest velocity's peak sits this many dB below. */
  span?: number;
}

/** f0 (Hz) and loudness (dB) per 4 ms frame: legato line with vibrato, bowed envelopes. */
export function noteControls(notes: Note[], range: LoudnessRange, tail = 0.5): { f0: Float32Array; ld: Float32Array } {
  const fps = DDSP.sampleRate / DDSP.hop;
  const end = Math.max(...notes.map((n) => n.start + n.duration)) + tail;
  const frames = Math.ceil(end * fps);
  const { note, since: sinceAll, f0: hz } = followLine(notes, frames, fps, 0.12);
  const f0 = Float32Array.from(hz), ld = new Float32Array(frames);
  for (let j = 0; j < frames; j++) {
    const n = note[j], since = sinceAll[j];
    const peak = range.peak - (1 - n.velocity) * (range.span ?? 12);
    const attack = Math.min(1, since / 0.03), release = since > n.duration ? Math.max(0, 1 - (since - n.duration) / 0.1) : 1;
    const level = attack * release;
    ld[j] = level > 0 ? Math.max(LOWEST_LD, peak + 20 * Math.log10(level) - 3 * Math.min(1, since / 0.3)) : LOWEST_LD;
  }
  return { f0, ld };
}

/** Renders the notes (16 kHz mono): each 5 s chunk is one submit and one readback. */
export async function renderWithDdsp(model: DdspModel, notes: Note[], range: LoudnessRange, seed = 0): Promise<{ audio: Float32Array; sampleRate: number }> {
  const { f0, ld } = noteControls(notes, range);
  const ranges = chunkRanges(f0.length);
  const chunks: Float32Array[] = [];
  for (const [a, b] of ranges) chunks.push(await model.synthesize(f0.subarray(a, b), ld.subarray(a, b), seed));
  const audio = crossfade(chunks, ranges.map(([a]) => a * DDSP.hop), f0.length * DDSP.hop, 250 * DDSP.hop);
  return { audio, sampleRate: DDSP.sampleRate };
}
