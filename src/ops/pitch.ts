/**
 * Pitch (YIN) and loudness (RMS dB) features on the GPU (kernels/pitch.wgsl), at one frame per
 * `hop` samples with windows centred on the frame's sample, as DDSP's 250 frames/s controls.
 */
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

export interface YinOptions {
  sampleRate: number;
  hop: number;
  /** Analysis window W (samples). */
  win?: number;
  fmin?: number;
  fmax?: number;
  /** YIN's absolute threshold on the normalised difference (0.1-0.2 typical). */
  threshold?: number;
}

export function frameCount(n: number, hop: number): number {
  return Math.floor(n / hop) + 1;
}

function grid2(frames: number): number[] {
  const x = Math.min(frames, 65535);
  return [x, Math.ceil(frames / x)];
}

/** audio [n] -> { f0 [frames] Hz, confidence [frames] in [0, 1] }, frames = floor(n/hop)+1. */
export function yin(audio: Tensor, o: YinOptions): { f0: Tensor<'f32'>; confidence: Tensor<'f32'> } {
  const op = 'yin';
  if (audio.rank !== 1) throw new WaveGpuError(op, `audio must be [samples], got ${fmtShape(audio.shape)}`);
  const win = o.win ?? 1024, fmin = o.fmin ?? 40, fmax = o.fmax ?? 2000;
  const tauMax = Math.ceil(o.sampleRate / fmin), tauMin = Math.max(2, Math.floor(o.sampleRate / fmax));
  if (tauMax > 2047 || win + tauMax > 6144) throw new WaveGpuError(op, `window ${win} + max lag ${tauMax} (fmin ${fmin} Hz at ${o.sampleRate} Hz) exceeds the kernel's workgroup span of 6144 samples; raise fmin or shrink win`);
  if (!(tauMin < tauMax)) throw new WaveGpuError(op, `fmin ${fmin} must be below fmax ${fmax}`);
  const frames = frameCount(audio.size, o.hop);
  const gpu = audio.gpu;
  const f0 = gpu.empty([frames], 'f32', op), confidence = gpu.empty([frames], 'f32', op);
  gpu.dispatch({
    op, kernel: 'pitch', entry: 'yin',
    uniforms: { params: { frames, n: audio.size, hop: o.hop, win, tau_min: tauMin, tau_max: tauMax, threshold: o.threshold ?? 0.15, sample_rate: o.sampleRate } },
    buffers: { audio, f0, conf: confidence }, workgroups: grid2(frames),
  });
  return { f0, confidence };
}

export interface LoudnessOptions {
  hop: number;
  win?: number;
  /** Added to 20 log10(rms); magenta-js uses -20.7. */
  offsetDb?: number;
  minDb?: number;
}

/** audio [n] -> loudness [frames] in dB (RMS over a centred window). */
export function rmsDb(audio: Tensor, o: LoudnessOptions): Tensor<'f32'> {
  const op = 'rmsDb';
  if (audio.rank !== 1) throw new WaveGpuError(op, `audio must be [samples], got ${fmtShape(audio.shape)}`);
  const frames = frameCount(audio.size, o.hop);
  const db = audio.gpu.empty([frames], 'f32', op);
  audio.gpu.dispatch({
    op, kernel: 'pitch', entry: 'rms_db',
    uniforms: { rparams: { frames, n: audio.size, hop: o.hop, win: o.win ?? 1024, offset_db: o.offsetDb ?? 0, min_db: o.minDb ?? -120 } },
    buffers: { x: audio, db }, workgroups: grid2(frames),
  });
  return db;
}
