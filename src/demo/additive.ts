/**
 * The built-in demo instrument: frame-rate controls for a note list (f0 with vibrato, a bowed
 * envelope, a cello-like harmonic spectrum) rendered by the GPU harmonic synthesiser. Until the
 * project's trained DDSP instruments land this is what the README's first command plays.
 */
import type { Gpu } from '../runtime/gpu.js';
import { harmonicSynth } from '../ops/harmonic.js';
import { followLine, type Note } from '../music/bach_prelude.js';

export interface RenderOptions {
  sampleRate?: number;
  /** Control frames per second (DDSP uses 250). */
  frameRate?: number;
  harmonics?: number;
  /** Seconds of release after the last note. */
  tail?: number;
}

export interface Controls {
  frames: number;
  f0: Float32Array;    // [frames] Hz
  amp: Float32Array;   // [frames]
  dist: Float32Array;  // [frames, harmonics]
}

/** Envelope of one note at time t (s) after its start: 20 ms attack, slight decay, 80 ms release. */
function envelope(t: number, duration: number): number {
  if (t < 0) return 0;
  const attack = Math.min(1, t / 0.02);
  const body = 1 - 0.15 * Math.min(1, t / 0.25);
  const release = t > duration ? Math.max(0, 1 - (t - duration) / 0.08) : 1;
  return attack * body * release;
}

/** Frame-rate controls for a monophonic line (later notes take over from earlier ones). */
export function notesToControls(notes: Note[], o: Required<RenderOptions>): Controls {
  const end = Math.max(...notes.map((n) => n.start + n.duration)) + o.tail;
  const frames = Math.ceil(end * o.frameRate);
  const line = followLine(notes, frames, o.frameRate, 0.1), { note, since } = line;
  const f0 = new Float32Array(frames), amp = new Float32Array(frames), dist = new Float32Array(frames * o.harmonics);
  for (let j = 0; j < frames; j++) {
    const hz = line.f0[j];
    f0[j] = hz;
    amp[j] = 0.6 * note[j].velocity * envelope(since[j], note[j].duration);
    for (let k = 1; k <= o.harmonics; k++) {
      // Sawtooth-like 1/k roll-off with a body resonance near 350 Hz and a bow-noise-free top.
      const body = 1 + 1.5 * Math.exp(-(((k * hz - 350) / 250) ** 2));
      dist[j * o.harmonics + k - 1] = body / Math.pow(k, 1.15);
    }
  }
  return { frames, f0, amp, dist };
}

/** Renders notes to mono audio on the GPU (one submit, one readback). */
export async function renderNotes(gpu: Gpu, notes: Note[], opts: RenderOptions = {}): Promise<{ audio: Float32Array; sampleRate: number }> {
  const o: Required<RenderOptions> = { sampleRate: 16000, frameRate: 250, harmonics: 40, tail: 0.5, ...opts };
  const hop = o.sampleRate / o.frameRate;
  if (!Number.isInteger(hop)) throw new Error(`sampleRate / frameRate must be an integer, got ${hop}`);
  const c = notesToControls(notes, o);
  const out = gpu.scope(() => harmonicSynth(
    gpu.tensor(c.f0, [1, c.frames]), gpu.tensor(c.amp, [1, c.frames]), gpu.tensor(c.dist, [1, c.frames, o.harmonics]),
    { sampleRate: o.sampleRate, hop, normalize: true },
  ));
  const audio = await out.read();
  out.dispose();
  return { audio, sampleRate: o.sampleRate };
}
