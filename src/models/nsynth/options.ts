/** Option and input parsing shared by the `nsynth` and `umt` entries of `wavegpu run`. */
import { WaveGpuError } from '../../runtime/errors.js';
import type { ArrayData } from '../registry.js';

/** A non-negative integer option, or the fallback. */
export function intOption(model: string, options: Record<string, string>, name: string, fallback: number): number {
  const v = options[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new WaveGpuError(model, `--${name} must be a non-negative integer, got '${v}'`);
  return n;
}

export function temperatureOption(model: string, options: Record<string, string>): number {
  const v = options.temperature;
  const t = v === undefined ? 1 : Number(v);
  if (!Number.isFinite(t) || t < 0) throw new WaveGpuError(model, `--temperature must be a number >= 0 (0 = most likely class), got '${v}'`);
  return t;
}

/** The audio input as float32 [T]. */
export function audioInput(model: string, inputs: Record<string, ArrayData>): Float32Array {
  const a = inputs.audio;
  if (!a || !(a.data instanceof Float32Array) || a.shape.length !== 1) throw new WaveGpuError(model, "input 'audio' must be float32 [T] (16 kHz, in [-1, 1])");
  return a.data;
}

/** 'model.ckpt-200000' -> 'model.ckpt-200000.index' (the file the TF checkpoint reader opens). */
export function checkpointPath(path: string): string {
  return /\.ckpt-\d+$/.test(path) ? `${path}.index` : path;
}
