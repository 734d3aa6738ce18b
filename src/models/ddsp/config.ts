/**
 * Magenta's DDSP tone-transfer models (magenta-js, music/src/ddsp/constants.ts @96e34aa, and the
 * per-instrument presets of its README / demo): fixed sizes of the TF.js graph and the presets
 * the tone-transfer front end applies before the model (not used by the model itself).
 */

/** Sizes fixed by the graph (every instrument shares the same 754-node graph). */
export const DDSP = {
  sampleRate: 16000,
  frameRate: 250,
  /** Samples per frame (sampleRate / frameRate). */
  hop: 64,
  /** The graph works on exactly this many frames (5 s); shorter inputs are padded. */
  frames: 1250,
  /** Decoder width and depth: conv_in + 16 residual (relu -> dilated conv -> norm) layers. */
  channels: 128,
  layers: 16,
  kernel: 3,
  /** Dense head: 1 amplitude + 60 harmonic distribution + 65 noise magnitudes. */
  harmonics: 60,
  noiseBands: 65,
  /** Noise impulse response length (irfft of 65 bins) and the FFT size of the graph's conv. */
  irSize: 128,
  /** magenta-js pads short inputs with these (ddsp.ts resizeAudioFeatures). */
  padF0: -1,
  lowestLoudness: -120,
} as const;

export const SAMPLES = DDSP.frames * DDSP.hop;

/** Front-end presets (magenta-js README "Preset Checkpoints"): loudness/pitch normalisation + gain. */
export interface DdspPreset {
  averageMaxLoudness: number;
  loudnessThreshold: number;
  meanLoudness: number;
  meanPitch: number;
  /** Output gain magenta-js applies after the model. */
  postGain: number;
  modelMaxFrameLength: number;
}

export const PRESETS: Readonly<Record<'violin' | 'tenor_saxophone' | 'trumpet' | 'flute', DdspPreset>> = {
  violin: { averageMaxLoudness: -48.6, loudnessThreshold: -100, meanLoudness: -68.5, meanPitch: 62.0, postGain: 2, modelMaxFrameLength: 1250 },
  tenor_saxophone: { averageMaxLoudness: -44.7, loudnessThreshold: -100, meanLoudness: -56, meanPitch: 58.9, postGain: 0.9, modelMaxFrameLength: 1250 },
  trumpet: { averageMaxLoudness: -61.7, loudnessThreshold: -100, meanLoudness: -72.5, meanPitch: 68.6, postGain: 1.5, modelMaxFrameLength: 1250 },
  flute: { averageMaxLoudness: -45.9, loudnessThreshold: -100, meanLoudness: -70.6, meanPitch: 63.2, postGain: 4, modelMaxFrameLength: 1250 },
};

export type DdspInstrument = keyof typeof PRESETS;
export const INSTRUMENTS = Object.keys(PRESETS) as DdspInstrument[];
