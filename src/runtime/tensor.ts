/**
 * A contiguous, row-major tensor backed by a pooled GPUBuffer. Reshapes share the buffer
 * (reference counted); dispose() returns it to the pool when the last view goes.
 */
import type { Gpu } from './gpu.js';
import { WaveGpuError, fmtShape } from './errors.js';

export type DType = 'f32' | 'i32' | 'u32';
export type TypedArrayFor<D extends DType> = D extends 'f32' ? Float32Array : D extends 'i32' ? Int32Array : Uint32Array;

export interface Storage {
  buffer: GPUBuffer;
  refs: number;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function checkShape(shape: readonly number[], op: string): void {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new WaveGpuError(op, `invalid dimension ${d} in shape ${fmtShape(shape)}`);
  }
}

export class Tensor<D extends DType = DType> {
  private disposed = false;
  /** Number of elements. */
  readonly size: number;

  constructor(
    readonly gpu: Gpu,
    readonly shape: readonly number[],
    readonly dtype: D,
    readonly storage: Storage,
  ) {
    this.size = numel(shape);
  }

  get buffer(): GPUBuffer {
    if (this.disposed) throw new WaveGpuError('tensor', `use of a disposed tensor ${fmtShape(this.shape)} ${this.dtype}`);
    return this.storage.buffer;
  }
  get byteLength(): number { return this.size * 4; }
  get rank(): number { return this.shape.length; }
  get isDisposed(): boolean { return this.disposed; }

  /** Same data, new shape (no copy). `-1` infers one dimension. */
  reshape(shape: readonly number[]): Tensor<D> {
    const known = shape.filter((d) => d !== -1);
    const infer = shape.length - known.length;
    const k = numel(known);
    if (infer > 1 || (infer === 1 && (k === 0 || this.size % k !== 0))) throw new WaveGpuError('reshape', `cannot reshape ${fmtShape(this.shape)} to ${fmtShape(shape)}`);
    const full = shape.map((d) => (d === -1 ? this.size / k : d));
    checkShape(full, 'reshape');
    if (numel(full) !== this.size) throw new WaveGpuError('reshape', `cannot reshape ${fmtShape(this.shape)} (${this.size} elements) to ${fmtShape(full)} (${numel(full)} elements)`);
    this.buffer; // throws when disposed
    this.storage.refs++;
    return this.gpu.adopt(new Tensor(this.gpu, full, this.dtype, this.storage));
  }

  /** Reads the values back (submits pending work once). */
  read(): Promise<TypedArrayFor<D>> {
    return this.gpu.read(this);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.gpu.releaseStorage(this.storage);
  }

  toString(): string {
    return `Tensor(${fmtShape(this.shape)}, ${this.dtype})`;
  }
}
