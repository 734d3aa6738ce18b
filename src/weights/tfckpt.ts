/**
 * TensorFlow (v1 "V2 format" and v2) checkpoints: <prefix>.index + <prefix>.data-NNNNN-of-MMMMM.
 * The index is an SSTable (sstable.ts) whose '' key holds a BundleHeaderProto
 *   {1: num_shards int32, 2: endianness enum (0 little), 3: version VersionDef}
 * and whose other keys (variable names) hold BundleEntryProto
 *   {1: dtype enum, 2: shape TensorShapeProto {2: dim {1: size int64, 2: name}, 3: unknown_rank},
 *    3: shard_id int32, 4: offset int64, 5: size int64, 6: crc32c fixed32 (masked), 7: slices}
 * (tensorflow/core/protobuf/tensor_bundle.proto). Tensor bytes are raw little-endian in the shard.
 */
import { bytesSource, decodeUtf8, readAll } from './bytes.js';
import { crc32c, unmaskCrc32c } from './crc.js';
import { decodeToF32 } from './dtype.js';
import { pbFields, type PbField } from './protobuf.js';
import { readTable } from './sstable.js';
import { DTYPE_SIZE, LIMITS, fail, q, shapeNumel, type ByteSource, type DType, type FileOpener, type TensorEntry, type WeightFile } from './types.js';
import { WaveGpuError } from '../runtime/errors.js';

const OP = 'tfckpt';

/** tensorflow/core/framework/types.proto DataType values this reader decodes. */
const TF_DTYPES: Record<number, DType> = { 1: 'f32', 2: 'f64', 3: 'i32', 4: 'u8', 5: 'i16', 6: 'i8', 9: 'i64', 10: 'bool', 14: 'bf16', 19: 'f16' };
const TF_NAMES: Record<number, string> = { 7: 'DT_STRING', 8: 'DT_COMPLEX64', 18: 'DT_COMPLEX128', 20: 'DT_RESOURCE', 21: 'DT_VARIANT', 17: 'DT_UINT16', 22: 'DT_UINT32', 23: 'DT_UINT64' };

interface BundleEntry { dtype: number; shape: number[]; unknownRank: boolean; shard: number; offset: number; size: number; crc: number | null; slices: number }

function parseShape(bytes: Uint8Array, file: string): { shape: number[]; unknownRank: boolean } {
  const shape: number[] = [];
  let unknownRank = false;
  for (const f of pbFields(bytes, OP, file, 'TensorShapeProto')) {
    if (f.field === 2 && f.wire === 2) {
      const size = pbFields(f.bytes, OP, file, 'TensorShapeProto.Dim').find((d) => d.field === 1 && d.wire === 0);
      shape.push(size ? size.num : 0);
    } else if (f.field === 3 && f.wire === 0) unknownRank = f.num !== 0;
  }
  return { shape, unknownRank };
}

function parseEntry(value: Uint8Array, file: string, what: string): BundleEntry {
  const e: BundleEntry = { dtype: 0, shape: [], unknownRank: false, shard: 0, offset: 0, size: 0, crc: null, slices: 0 };
  const num = (f: PbField): number => { if (f.wire !== 0) fail(OP, file, `${what}: field ${f.field} has wire type ${f.wire}`); return f.num; };
  for (const f of pbFields(value, OP, file, what)) {
    switch (f.field) {
      case 1: e.dtype = num(f); break;
      case 2: if (f.wire === 2) ({ shape: e.shape, unknownRank: e.unknownRank } = parseShape(f.bytes, file)); break;
      case 3: e.shard = num(f); break;
      case 4: e.offset = num(f); break;
      case 5: e.size = num(f); break;
      case 6: if (f.wire === 5) e.crc = f.num; break;
      case 7: e.slices++; break;
    }
  }
  return e;
}

function parseHeader(value: Uint8Array, file: string): number {
  let shards = 0, endianness = 0;
  for (const f of pbFields(value, OP, file, 'BundleHeaderProto')) {
    if (f.field === 1 && f.wire === 0) shards = f.num;
    if (f.field === 2 && f.wire === 0) endianness = f.num;
  }
  if (endianness !== 0) fail(OP, file, 'checkpoint was written big-endian; only little-endian checkpoints are supported');
  if (!(shards >= 1 && shards <= 100_000)) fail(OP, file, `header declares ${shards} data shards`);
  return shards;
}

/** '<dir>/model.ckpt-100.index' -> 'model.ckpt-100' (shard names are relative to the index). */
export function checkpointPrefix(indexName: string): string {
  const base = indexName.split('/').pop()!;
  return base.endsWith('.index') ? base.slice(0, -'.index'.length) : base;
}

export function shardName(prefix: string, i: number, n: number): string {
  return `${prefix}.data-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}`;
}

async function openShards(prefix: string, n: number, open: FileOpener, file: string): Promise<ByteSource[]> {
  const out: ByteSource[] = [];
  for (let i = 0; i < n; i++) {
    const rel = shardName(prefix, i, n);
    try { out.push(await open(rel)); } catch (e) {
      if (e instanceof WaveGpuError) throw e;
      fail(OP, file, `cannot open data shard ${rel}: ${(e as Error).message}`);
    }
  }
  return out;
}

function makeEntry(name: string, e: BundleEntry, dtype: DType, shard: ByteSource, file: string): TensorEntry {
  const what = `variable ${q(name)}`;
  const numel = shapeNumel(e.shape, OP, file, what);
  const byteLength = numel * DTYPE_SIZE[dtype];
  if (e.size !== byteLength) fail(OP, file, `${what}: shape [${e.shape.join(', ')}] needs ${byteLength} bytes but the entry says ${e.size}`);
  if (e.offset < 0 || e.offset + e.size > shard.size) fail(OP, file, `${what}: bytes [${e.offset}, ${e.offset + e.size}) lie outside data shard ${e.shard} (${shard.size} bytes)`);
  const readRaw = async (): Promise<Uint8Array> => {
    const bytes = await shard.read(e.offset, e.size);
    if (e.crc !== null && crc32c(bytes) !== unmaskCrc32c(e.crc)) fail(OP, file, `${what}: CRC-32C mismatch (corrupted data shard ${e.shard})`);
    return bytes;
  };
  return { name, dtype, shape: e.shape.slice(), byteLength, readRaw, read: async () => decodeToF32(await readRaw(), dtype, numel), storage: `shard ${e.shard} +${e.offset}` };
}

/**
 * Reads a checkpoint from its .index bytes; `open` opens the data shards named
 * '<prefix>.data-0000i-of-0000n' beside it. `name` is the index file's name.
 */
export async function readTfCheckpoint(index: ByteSource | Uint8Array, open: FileOpener, name = 'model.ckpt.index'): Promise<WeightFile> {
  const src = index instanceof Uint8Array ? bytesSource(index, name) : index;
  const table = readTable(await readAll(src, OP, name, LIMITS.maxHeaderBytes), OP, name);
  if (table.length === 0 || table[0][0].length !== 0) fail(OP, name, "index has no header entry (key '')");
  const nShards = parseHeader(table[0][1], name);
  const parsed: Array<[string, BundleEntry]> = [];
  const notes: string[] = [];
  for (const [k, v] of table.slice(1)) {
    const key = decodeUtf8(k, OP, name, 'variable name');
    const e = parseEntry(v, name, `entry ${q(key)}`);
    if (e.slices) { notes.push(`${key}: partitioned variable (${e.slices} slices) not assembled`); continue; }
    if (e.unknownRank) fail(OP, name, `variable ${q(key)} has an unknown rank`);
    if (e.shard < 0 || e.shard >= nShards) fail(OP, name, `variable ${q(key)} names data shard ${e.shard} of ${nShards}`);
    parsed.push([key, e]);
  }
  const shards = await openShards(checkpointPrefix(name), nShards, open, name);
  const tensors = new Map<string, TensorEntry>();
  for (const [key, e] of parsed) {
    const dtype = TF_DTYPES[e.dtype];
    if (!dtype) { notes.push(`${key}: ${TF_NAMES[e.dtype] ?? `dtype ${e.dtype}`} [${e.shape.join(', ')}] skipped`); continue; }
    tensors.set(key, makeEntry(key, e, dtype, shards[e.shard], name));
  }
  const close = async (): Promise<void> => { for (const s of [src, ...shards]) await s.close?.(); };
  return { format: 'tf-checkpoint', name, tensors, metadata: { num_shards: String(nShards) }, notes, close };
}
