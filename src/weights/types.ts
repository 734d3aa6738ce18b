/**
 * The common model every weight reader produces: a name -> TensorEntry map whose entries read
 * lazily, one tensor at a time, so a loader can upload tensor by tensor without holding two
 * full copies of a checkpoint.
 */
import { WaveGpuError } from '../runtime/errors.js';

export type DType = 'f32' | 'f16' | 'bf16' | 'f64' | 'i64' | 'i32' | 'i16' | 'i8' | 'u8' | 'bool';

/** Bytes per element of each dtype. */
export const DTYPE_SIZE: Readonly<Record<DType, number>> = {
  f32: 4, f16: 2, bf16: 2, f64: 8, i64: 8, i32: 4, i16: 2, i8: 1, u8: 1, bool: 1,
};

export const FLOAT_DTYPES: ReadonlySet<DType> = new Set<DType>(['f32', 'f16', 'bf16', 'f64']);

export interface TensorEntry {
  name: string;
  /** The logical dtype (for quantized TF.js weights: the dequantized one, 'f32'). */
  dtype: DType;
  shape: number[];
  /** Bytes of the logical tensor: numel * DTYPE_SIZE[dtype]. */
  byteLength: number;
  /** Reads and decodes the tensor to float32, C order (contiguous, row-major). */
  read(): Promise<Float32Array>;
  /** Reads the tensor's bytes in `dtype`, little-endian, C order (byteLength bytes). */
  readRaw?(): Promise<Uint8Array>;
  /** Free-form facts about how it is stored, e.g. 'uint8 affine: q*0.0157 + -1' or 'view of storage 3 at +128'. */
  storage?: string;
}

export interface WeightFile {
  /** 'safetensors' | 'torch-zip' | 'torch-legacy' | 'tfjs-graph' | 'tfjs-layers' | 'tf-checkpoint' | 'nam' */
  format: string;
  /** The file's name as given to the reader (used in messages and converter metadata). */
  name: string;
  tensors: Map<string, TensorEntry>;
  /** String metadata (safetensors __metadata__, NAM version/sample_rate, TF.js generatedBy ...). */
  metadata: Record<string, string>;
  /** Non-tensor entries reported, e.g. "epoch = 12", "optimizer.param_groups.0.lr = 0.001". */
  notes: string[];
  /** Model configuration carried by the file, when it has one (NAM config, TF.js signature). */
  config?: unknown;
  /** Releases a file handle held for lazy reads (Node); a no-op for in-memory sources. */
  close?(): Promise<void>;
}

/**
 * Random-access bytes: a Uint8Array, a Node file handle, a Blob, an HTTP resource.
 * read() must return exactly `length` bytes or throw; readers check bounds against `size`
 * before they call it, so a declared size larger than the file never allocates.
 */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  close?(): Promise<void>;
}

/** Opens a file that lives beside the one being read (TF.js shards, TF checkpoint data shards). */
export type FileOpener = (relPath: string) => Promise<ByteSource>;

export type ProgressFn = (loadedBytes: number, totalBytes: number) => void;

/** Throws the reader's WaveGpuError naming the file: `op: file: message`. */
export function fail(op: string, file: string, message: string): never {
  throw new WaveGpuError(op, `${file}: ${message}`);
}

/** Hard caps shared by the readers. */
export const LIMITS = {
  /** Largest JSON header / pickle / index we will parse into memory. */
  maxHeaderBytes: 100 * 1024 * 1024,
  /** Largest rank accepted for a tensor. */
  maxRank: 16,
  /** Largest element count accepted for one tensor (2^40). */
  maxElements: 2 ** 40,
} as const;

/**
 * Validates a shape (non-negative safe integers, bounded rank) and returns its element count.
 * `what` names the tensor in the message.
 */
export function shapeNumel(shape: unknown, op: string, file: string, what: string): number {
  if (!Array.isArray(shape)) fail(op, file, `${what}: shape is not a list`);
  if (shape.length > LIMITS.maxRank) fail(op, file, `${what}: rank ${shape.length} exceeds ${LIMITS.maxRank}`);
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      fail(op, file, `${what}: bad dimension ${String(d)} in shape [${shape.join(', ')}] (dimensions must be integers >= 0)`);
    }
    n *= d;
    if (n > LIMITS.maxElements) fail(op, file, `${what}: shape [${shape.join(', ')}] has more than 2^40 elements`);
  }
  return n;
}

/** Short printable form of a name for messages (names come from untrusted files). */
export function q(name: string): string {
  const s = name.length > 120 ? name.slice(0, 117) + '...' : name;
  return JSON.stringify(s);
}
