/**
 * CPU references for the mel family, float64, no GPU imports: the mel scales and filterbank
 * written from librosa's definitions (piecewise triangles), projection of power spectrograms,
 * and the whole mel spectrogram through the STFT reference.
 */
import { stftRef } from './stft.js';

/** Slaney (Auditory Toolbox) mel: linear 3 mels per 200 Hz to 1 kHz, then 27 mels per factor 6.4. */
export function hzToMelRef(f: number, htk: boolean): number {
  if (htk) return 2595 * Math.log10(1 + f / 700);
  return f < 1000 ? (3 * f) / 200 : 15 + (27 * Math.log(f / 1000)) / Math.log(6.4);
}

export function melToHzRef(m: number, htk: boolean): number {
  if (htk) return 700 * (Math.pow(10, m / 2595) - 1);
  return m < 15 ? (200 * m) / 3 : 1000 * Math.pow(6.4, (m - 15) / 27);
}

export interface MelRefOptions { sr: number; nFft: number; nMels: number; fmin: number; fmax: number; htk: boolean; slaney: boolean }

/** [nMels, nFft/2 + 1]: triangle m over mel points m, m+1, m+2 at bin frequencies k sr / nFft. */
export function melFilterbankRef(o: MelRefOptions): Float64Array {
  const bins = Math.floor(o.nFft / 2) + 1;
  const lo = hzToMelRef(o.fmin, o.htk), hi = hzToMelRef(o.fmax, o.htk);
  const hz: number[] = [];
  for (let i = 0; i < o.nMels + 2; i++) hz.push(melToHzRef(lo + ((hi - lo) * i) / (o.nMels + 1), o.htk));
  const out = new Float64Array(o.nMels * bins);
  for (let m = 0; m < o.nMels; m++) {
    const [a, b, c] = [hz[m], hz[m + 1], hz[m + 2]];
    for (let k = 0; k < bins; k++) {
      const f = (k * o.sr) / o.nFft;
      let v = 0;
      if (f > a && f <= b) v = (f - a) / (b - a);
      else if (f > b && f < c) v = (c - f) / (c - b);
      out[m * bins + k] = o.slaney ? (v * 2) / (c - a) : v;
    }
  }
  return out;
}

/** y[b, r, f] = sum_c W[r, c] x[b, c, f]: W [R, C], x [B, C, F]. */
export function projectRef(w: ArrayLike<number>, R: number, C: number, x: ArrayLike<number>, B: number, F: number): Float64Array {
  const y = new Float64Array(B * R * F);
  for (let b = 0; b < B; b++) for (let r = 0; r < R; r++) for (let f = 0; f < F; f++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += w[r * C + c] * x[(b * C + c) * F + f];
    y[(b * R + r) * F + f] = s;
  }
  return y;
}

export interface MelSpecRefOptions extends MelRefOptions { hop: number; win: number; power: number; log: 'e' | '10' | 'db' | false; eps: number; center?: boolean; padMode?: 'reflect' | 'constant' }

/** fb @ |STFT(x, periodic Hann(win))|^power, then scale * log(max(., eps)). x: [B, T]. */
export function melSpectrogramRef(x: ArrayLike<number>, B: number, T: number, o: MelSpecRefOptions): { data: Float64Array; frames: number } {
  const hann = Array.from({ length: o.win }, (_, j) => 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / o.win));
  const s = stftRef(x, B, T, { nFft: o.nFft, hop: o.hop, window: hann, winLength: o.win, center: o.center, padMode: o.padMode });
  const p = new Float64Array(s.data.length / 2);
  for (let i = 0; i < p.length; i++) p[i] = Math.pow(Math.hypot(s.data[2 * i], s.data[2 * i + 1]), o.power);
  const fb = melFilterbankRef(o);
  const y = projectRef(fb, o.nMels, s.bins, p, B, s.frames);
  if (o.log) {
    const k = o.log === 'e' ? 1 : o.log === '10' ? 1 / Math.LN10 : 10 / Math.LN10;
    for (let i = 0; i < y.length; i++) y[i] = k * Math.log(Math.max(y[i], o.eps));
  }
  return { data: y, frames: s.frames };
}
