/**
 * Uploads a checkpoint's tensors to the GPU one at a time: each is read (decoded to f32),
 * uploaded and dropped before the next, so host memory holds at most one tensor beyond the
 * source file, never two full copies of the model.
 */
import type { Gpu } from '../runtime/gpu.js';
import type { Tensor } from '../runtime/tensor.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { WeightFile } from './types.js';

export interface UploadOptions {
  /** Only these names (default: all). A listed name missing from the file is an error. */
  names?: string[];
  /** Expected shapes by name, checked before upload. */
  shapes?: Record<string, readonly number[]>;
  onProgress?: (done: number, total: number) => void;
}

export async function uploadWeights(gpu: Gpu, file: WeightFile, o: UploadOptions = {}): Promise<Map<string, Tensor<'f32'>>> {
  const names = o.names ?? [...file.tensors.keys()];
  const out = new Map<string, Tensor<'f32'>>();
  let i = 0;
  for (const name of names) {
    const e = file.tensors.get(name);
    if (!e) throw new WaveGpuError('weights', `${file.name}: no tensor '${name}' (it has ${file.tensors.size}: ${[...file.tensors.keys()].slice(0, 8).join(', ')}${file.tensors.size > 8 ? ', ...' : ''})`);
    const want = o.shapes?.[name];
    if (want && want.join() !== e.shape.join()) throw new WaveGpuError('weights', `${file.name}: tensor '${name}' has shape ${fmtShape(e.shape)}, the model expects ${fmtShape(want)}`);
    out.set(name, gpu.tensor(await e.read(), e.shape, 'f32'));
    o.onProgress?.(++i, names.length);
  }
  return out;
}
