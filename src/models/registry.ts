/**
 * Models that `wavegpu run <model>` can drive: each declares its documented entry point
 * (named inputs and outputs with dtype and shape) and a loader from a weights path.
 */
import type { Gpu } from '../runtime/gpu.js';

export interface IOSpec {
  name: string;
  dtype: 'f32' | 'i32';
  /** Human-readable shape, e.g. '[T]' or '[80, frames]'. */
  shape: string;
  /** Required rank (checked before running). */
  rank: number;
  doc?: string;
}

export interface ArrayData {
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface LoadedModel {
  run(inputs: Record<string, ArrayData>, onProgress?: (done: number, total: number) => void): Promise<Record<string, ArrayData>>;
  dispose(): void;
}

export interface ModelEntry {
  name: string;
  description: string;
  inputs: IOSpec[];
  outputs: IOSpec[];
  /** Options accepted after the weights, e.g. { seed: 'sampling seed' }. */
  options?: Record<string, string>;
  load(gpu: Gpu, weightsPath: string, options: Record<string, string>): Promise<LoadedModel>;
}

const MODELS = new Map<string, ModelEntry>();

export function registerModel(m: ModelEntry): void {
  MODELS.set(m.name, m);
}

export function getModel(name: string): ModelEntry | undefined {
  return MODELS.get(name);
}

export function listModels(): ModelEntry[] {
  return [...MODELS.values()];
}
