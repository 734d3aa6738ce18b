/**
 * J. S. Bach, Cello Suite No. 1 in G major, BWV 1007, Prelude: bars 1-6 as a note list
 * (MIDI pitch, sixteenth notes). Public domain.
 */
export interface Note {
  /** MIDI note number (60 = middle C). */
  pitch: number;
  /** Start and length in seconds. */
  start: number;
  duration: number;
  /** 0..1 */
  velocity: number;
}

// Each bar is one 8-note figure played twice (bars 1-4), then bars 5-6 written out.
const G2 = 43, B2 = 47, Cs3 = 49, D3 = 50, E3 = 52, Fs3 = 54, G3 = 55, A3 = 57, B3 = 59, C4 = 60;
const FIGURES: number[][] = [
  [G2, D3, B3, A3, B3, D3, B3, D3],
  [G2, E3, C4, B3, C4, E3, C4, E3],
  [G2, Fs3, C4, B3, C4, Fs3, C4, Fs3],
  [G2, G3, B3, A3, B3, G3, B3, G3],
];
const BAR5 = [G2, E3, B3, A3, B3, G3, Fs3, G3, E3, G3, Fs3, G3, B2, D3, Cs3, B2];
const BAR6 = [Cs3, G3, A3, G3, A3, G3, A3, G3, Cs3, G3, A3, G3, A3, G3, A3, G3];

/** The opening of the prelude at `bpm` quarter notes per minute. */
export function bachPrelude(bpm = 72): Note[] {
  const sixteenth = 60 / bpm / 4;
  const pitches = [...FIGURES.flatMap((f) => [...f, ...f]), ...BAR5, ...BAR6];
  return pitches.map((pitch, i) => ({
    pitch,
    start: i * sixteenth,
    duration: sixteenth * 1.05, // slight legato overlap
    // Bass note on each beat a little louder, like a cellist's bow weight.
    velocity: i % 8 === 0 ? 0.95 : i % 4 === 0 ? 0.8 : 0.7,
  }));
}

export function midiToHz(pitch: number): number {
  return 440 * Math.pow(2, (pitch - 69) / 12);
}

/**
 * A monophonic line at `fps` frames per second: per frame the sounding note (a later note takes
 * over from an earlier one at its start), seconds since its start, and its f0 with a 5.5 Hz
 * vibrato of `vibrato` semitones that fades in from 0.15 s to 0.35 s into the note.
 */
export function followLine(notes: Note[], frames: number, fps: number, vibrato: number): { note: Note[]; since: Float64Array; f0: Float64Array } {
  const note: Note[] = [], since = new Float64Array(frames), f0 = new Float64Array(frames);
  let k = 0;
  for (let j = 0; j < frames; j++) {
    const t = j / fps;
    while (k + 1 < notes.length && notes[k + 1].start <= t) k++;
    const n = notes[k], s = t - n.start;
    const v = s > 0.15 ? vibrato * Math.sin(2 * Math.PI * 5.5 * s) * Math.min(1, (s - 0.15) / 0.2) : 0;
    note.push(n); since[j] = s; f0[j] = midiToHz(n.pitch + v);
  }
  return { note, since, f0 };
}
