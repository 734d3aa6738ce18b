/**
 * Spectrogram and rainbowgram pictures (RGBA pixels, time left to right, low frequencies at the
 * bottom). A rainbowgram (Engel et al., NSynth/GANSynth) draws brightness from log magnitude and
 * colour from instantaneous frequency, so harmonics show as coloured lines.
 */
export interface Picture {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** A perceptually ordered dark-to-bright ramp (black, purple, orange, yellow-white). */
const RAMP: [number, number, number][] = [[0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66], [245, 125, 21], [250, 193, 39], [252, 255, 164]];

function ramp(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, v)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x)), f = x - i;
  return [0, 1, 2].map((c) => RAMP[i][c] + (RAMP[i + 1][c] - RAMP[i][c]) * f) as [number, number, number];
}

/** Hue in [0, 1) to RGB at full saturation and value. */
function hue(h: number): [number, number, number] {
  const k = (n: number) => (n + h * 6) % 6;
  const f = (n: number) => 1 - Math.max(0, Math.min(k(n), 4 - k(n), 1));
  return [f(5), f(3), f(1)];
}

/** Maps log magnitudes to [0, 1] over the top `rangeDb` decibels. */
function normaliser(logMag: Float32Array, rangeDb: number): (v: number) => number {
  let max = -Infinity;
  for (const v of logMag) if (v > max) max = v;
  return (v) => (v - (max - rangeDb)) / rangeDb;
}

/**
 * magDb: [bins, frames] magnitudes in dB (torch's STFT layout). Returns a bins-high, frames-wide picture.
 */
export function spectrogramPicture(magDb: Float32Array, frames: number, bins: number, rangeDb = 80): Picture {
  const rgba = new Uint8ClampedArray(frames * bins * 4);
  const norm = normaliser(magDb, rangeDb);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      const [r, g, b] = ramp(norm(magDb[k * frames + t]));
      const p = ((bins - 1 - k) * frames + t) * 4;
      rgba[p] = r; rgba[p + 1] = g; rgba[p + 2] = b; rgba[p + 3] = 255;
    }
  }
  return { width: frames, height: bins, rgba };
}

/**
 * magDb: [bins, frames] magnitudes in dB; ifreq: [bins, frames] instantaneous frequency as the
 * phase advance per hop divided by pi, wrapped to [-1, 1) (GANSynth's representation).
 * Brightness from magnitude, hue from instantaneous frequency.
 */
export function rainbowgramPicture(magDb: Float32Array, ifreq: Float32Array, frames: number, bins: number, rangeDb = 80): Picture {
  const rgba = new Uint8ClampedArray(frames * bins * 4);
  const norm = normaliser(magDb, rangeDb);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      const i = k * frames + t;
      // Squared so the noise floor stays dark and the colour of quiet bins (whose phase is noise) fades.
      const v = Math.min(1, Math.max(0, norm(magDb[i]))) ** 2;
      const [r, g, b] = hue((ifreq[i] + 1) / 2);
      const p = ((bins - 1 - k) * frames + t) * 4;
      rgba[p] = 255 * r * v; rgba[p + 1] = 255 * g * v; rgba[p + 2] = 255 * b * v; rgba[p + 3] = 255;
    }
  }
  return { width: frames, height: bins, rgba };
}
