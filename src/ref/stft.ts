/**
 * CPU references for the STFT family from torch.stft / torch.istft's definitions, float64,
 * no GPU imports. Signals are [B, T] row-major; spectrograms [B, bins, frames, 2].
 */
import { fftRef } from './fft.js';

export interface StftRefOptions {
  nFft: number;
  hop: number;
  /** win_length values (centred in nFft), or null for a rectangular window of winLength. */
  window: ArrayLike<number> | null;
  winLength?: number;
  center?: boolean;
  padMode?: 'reflect' | 'constant';
  onesided?: boolean;
  normalized?: boolean;
}

/** The window zero-padded (centred) to nFft samples, as torch pads it. */
export function paddedWindowRef(nFft: number, window: ArrayLike<number> | null, winLength = window ? window.length : nFft): Float64Array {
  const w = new Float64Array(nFft);
  const off = Math.floor((nFft - winLength) / 2);
  for (let j = 0; j < winLength; j++) w[off + j] = window ? window[j] : 1;
  return w;
}

/** Sample i of a signal padded by `pad` on both sides (numpy 'reflect' or zeros). */
function paddedAt(x: ArrayLike<number>, o: number, T: number, i: number, pad: number, reflect: boolean): number {
  let p = i - pad;
  if (reflect) {
    if (p < 0) p = -p;
    if (p >= T) p = 2 * (T - 1) - p;
    return x[o + p];
  }
  return p >= 0 && p < T ? x[o + p] : 0;
}

export function stftRef(x: ArrayLike<number>, B: number, T: number, opts: StftRefOptions): { data: Float64Array; bins: number; frames: number } {
  const { nFft, hop } = opts;
  const center = opts.center ?? true, reflect = (opts.padMode ?? 'reflect') === 'reflect';
  const pad = center ? Math.floor(nFft / 2) : 0;
  const frames = 1 + Math.floor((T + 2 * pad - nFft) / hop);
  const bins = (opts.onesided ?? true) ? nFft / 2 + 1 : nFft;
  const w = paddedWindowRef(nFft, opts.window, opts.winLength);
  const scale = opts.normalized ? 1 / Math.sqrt(nFft) : 1;
  const out = new Float64Array(B * bins * frames * 2);
  const z = new Float64Array(2 * nFft);
  for (let b = 0; b < B; b++) {
    for (let f = 0; f < frames; f++) {
      for (let m = 0; m < nFft; m++) { z[2 * m] = w[m] * paddedAt(x, b * T, T, f * hop + m, pad, reflect); z[2 * m + 1] = 0; }
      const X = fftRef(z, nFft);
      for (let k = 0; k < bins; k++) {
        const o = 2 * ((b * bins + k) * frames + f);
        out[o] = X[2 * k] * scale;
        out[o + 1] = X[2 * k + 1] * scale;
      }
    }
  }
  return { data: out, bins, frames };
}

export interface IstftRefOptions extends Omit<StftRefOptions, 'padMode' | 'onesided'> { length?: number }

/**
 * torch.istft: inverse real FFT of each frame (Hermitian, imaginary DC/Nyquist dropped), times
 * the window, overlap-added, divided by the overlap-added squared window; samples where that
 * envelope is below 1e-11 are 0 (torch raises instead).
 */
export function istftRef(X: ArrayLike<number>, B: number, frames: number, opts: IstftRefOptions): Float64Array {
  const { nFft, hop } = opts;
  const bins = nFft / 2 + 1, center = opts.center ?? true;
  const w = paddedWindowRef(nFft, opts.window, opts.winLength);
  const expected = nFft + hop * (frames - 1);
  const start = center ? Math.floor(nFft / 2) : 0;
  const len = opts.length ?? (center ? expected - 2 * start : expected);
  const scale = opts.normalized ? Math.sqrt(nFft) : 1;
  const out = new Float64Array(B * len);
  const full = new Float64Array(2 * nFft);
  for (let b = 0; b < B; b++) {
    const y = new Float64Array(Math.max(expected, start + len)), env = new Float64Array(y.length);
    for (let f = 0; f < frames; f++) {
      for (let k = 0; k < nFft; k++) {
        const kk = k < bins ? k : nFft - k, o = 2 * ((b * bins + kk) * frames + f);
        full[2 * k] = X[o];
        full[2 * k + 1] = kk === 0 || kk === nFft / 2 ? 0 : (k < bins ? 1 : -1) * X[o + 1];
      }
      const frame = fftRef(full, nFft, true);
      for (let m = 0; m < nFft; m++) { y[f * hop + m] += frame[2 * m] * scale * w[m]; env[f * hop + m] += w[m] * w[m]; }
    }
    for (let t = 0; t < len; t++) out[b * len + t] = env[start + t] > 1e-11 ? y[start + t] / env[start + t] : 0;
  }
  return out;
}
