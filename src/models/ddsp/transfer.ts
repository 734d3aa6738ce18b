/**
 * Tone transfer's front end: turns pitch/confidence/loudness features of any recording into the
 * controls a DDSP instrument was trained on, following magenta-js's normalisation:
 *  - loudness: shift so the peak sits at the preset's averageMaxLoudness, shift again so the mean
 *    of frames above loudnessThreshold sits at meanLoudness, clip to [-120, averageMaxLoudness],
 *    rescale [min, mean] onto [-120, meanLoudness], then lower frames whose confidence (moving
 *    average over 100 frames) is <= 0.7 by 25 dB;
 *  - pitch: move by whole octaves toward the preset's meanPitch (MIDI). The mean is taken over
 *    confident, audible frames (magenta-js's mask also admits unconfident ones, which lets
 *    unvoiced frames' octave errors pull the register).
 * And long inputs run in 5 s chunks crossfaded over 1 s, as magenta-js does.
 */
import type { DdspPreset } from './config.js';
import { DDSP } from './config.js';

export const LOWEST_LD = -120;
const CONF_THRESHOLD = 0.7, LD_CONF_REDUCTION = -25, CONF_SMOOTH = 100;

function movingAverage(x: Float32Array, size: number): Float32Array {
  // 'same' average pooling (TF semantics: the window is clipped at the edges, mean of what is inside).
  const out = new Float32Array(x.length), before = Math.floor((size - 1) / 2);
  for (let i = 0; i < x.length; i++) {
    const a = Math.max(0, i - before), b = Math.min(x.length, i - before + size);
    let s = 0;
    for (let k = a; k < b; k++) s += x[k];
    out[i] = s / (b - a);
  }
  return out;
}

export function normaliseLoudness(ld: Float32Array, conf: Float32Array, p: DdspPreset): Float32Array {
  const max = Math.max(...ld);
  const shifted = ld.map((v) => v + (p.averageMaxLoudness - max));
  const loud = shifted.filter((v) => v > p.loudnessThreshold);
  const mean = (loud.length ? loud : shifted).reduce((a, b) => a + b, 0) / Math.max(1, (loud.length ? loud : shifted).length);
  const clipped = shifted.map((v) => Math.min(p.averageMaxLoudness, Math.max(LOWEST_LD, v + (p.meanLoudness - mean))));
  const min = Math.min(...clipped);
  const span = p.meanLoudness - min; // the shifted mean sits at meanLoudness
  const smooth = movingAverage(conf, CONF_SMOOTH);
  return clipped.map((v, i) => {
    const rescaled = span > 0 ? ((v - min) / span) * (p.meanLoudness - LOWEST_LD) + LOWEST_LD : v;
    return Math.max(LOWEST_LD, rescaled + (smooth[i] <= CONF_THRESHOLD ? LD_CONF_REDUCTION : 0));
  });
}

export function shiftPitchRegister(f0: Float32Array, conf: Float32Array, ld: Float32Array, p: DdspPreset): { f0: Float32Array; octaves: number } {
  let sum = 0, n = 0;
  for (let i = 0; i < f0.length; i++) {
    if (conf[i] > CONF_THRESHOLD && ld[i] > p.loudnessThreshold && f0[i] > 0) { sum += 69 + 12 * Math.log2(f0[i] / 440); n++; }
  }
  const octaves = n ? Math.round((p.meanPitch - sum / n) / 12) : 0;
  return { f0: f0.map((v) => v * 2 ** octaves), octaves };
}

/** Frame ranges of 5 s chunks that overlap by 1 s (magenta-js's chunking). */
export function chunkRanges(frames: number, chunk = DDSP.frames, overlap = 250): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; ; s += chunk - overlap) {
    out.push([s, Math.min(frames, s + chunk)]);
    if (s + chunk >= frames) break;
  }
  return out;
}

/** Joins chunk outputs (samples) with linear crossfades over the overlap. */
export function crossfade(chunks: Float32Array[], starts: number[], total: number, overlapSamples: number): Float32Array {
  const out = new Float32Array(total);
  chunks.forEach((c, k) => {
    const s = starts[k];
    for (let i = 0; i < c.length && s + i < total; i++) {
      const fadeIn = k > 0 && i < overlapSamples ? i / overlapSamples : 1;
      const nextStart = k + 1 < chunks.length ? starts[k + 1] : Infinity;
      const fadeOut = s + i >= nextStart ? 1 - (s + i - nextStart) / overlapSamples : 1;
      out[s + i] += c[i] * fadeIn * Math.max(0, fadeOut);
    }
  });
  return out;
}
