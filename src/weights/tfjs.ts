/**
 * TensorFlow.js models: model.json + binary weight shards, layers-model and graph-model.
 *
 * weightsManifest: [{paths: ['group1-shard1of2.bin', ...], weights: [{name, shape, dtype,
 * quantization?: {dtype: 'uint8'|'uint16', scale, min} | {dtype: 'float16'}}]}]. A group's
 * shards concatenate into one buffer holding its weights back to back (a weight may straddle
 * shards). Affine quantized values decode as q * scale + min; float16 as IEEE half.
 * A graph-model's GraphDef nodes are exposed as `graph.nodes`; each Const node's value is the
 * weight of the same name.
 */
import { decodeToF32, decodeToI32 } from './dtype.js';
import { decodeGraph, type TfjsGraph } from './tfjs_graph.js';
import { DTYPE_SIZE, fail, q, shapeNumel, type DType, type ProgressFn, type TensorEntry, type WeightFile } from './types.js';
import { WaveGpuError } from '../runtime/errors.js';

const OP = 'tfjs';

export interface TfjsWeightFile extends WeightFile {
  format: 'tfjs-graph' | 'tfjs-layers';
  /** graph-model only: the GraphDef's nodes (Const nodes name weights). */
  graph?: TfjsGraph;
  /** layers-model only: the Keras model topology JSON. */
  topology?: unknown;
}

export type FetchFile = (relPath: string) => Promise<Uint8Array>;

interface Quant { dtype: 'uint8' | 'uint16' | 'float16'; scale: number; min: number; original: string }

const PLAIN: Record<string, DType> = { float32: 'f32', int32: 'i32', bool: 'bool' };

/** Shard bytes of one group, concatenated lazily: slices that straddle shards are copied. */
class GroupBuffer {
  readonly starts: number[] = [];
  size = 0;
  constructor(readonly chunks: Uint8Array[]) {
    for (const c of chunks) { this.starts.push(this.size); this.size += c.length; }
  }
  slice(off: number, len: number): Uint8Array {
    let i = this.starts.length - 1;
    while (i > 0 && this.starts[i] > off) i--;
    const local = off - this.starts[i];
    if (local + len <= this.chunks[i].length) return this.chunks[i].subarray(local, local + len);
    const out = new Uint8Array(len);
    let done = 0;
    for (let j = i, pos = local; done < len; j++, pos = 0) {
      const take = Math.min(len - done, this.chunks[j].length - pos);
      out.set(this.chunks[j].subarray(pos, pos + take), done);
      done += take;
    }
    return out;
  }
}

/** Shard paths must stay beside model.json: relative, no '..', no scheme, no backslashes. */
function checkPath(p: unknown, file: string): string {
  if (typeof p !== 'string' || p.length === 0 || p.length > 1024 || p.startsWith('/') || p.includes('\\') ||
      /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p) || p.split('/').some((s) => s === '..')) {
    fail(OP, file, `weight shard path ${JSON.stringify(String(p).slice(0, 100))} is not a plain relative path beside model.json`);
  }
  return p;
}

function parseQuant(raw: unknown, file: string, what: string): Quant | null {
  if (raw === undefined || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const dtype = r.dtype;
  if (dtype === 'float16') return { dtype, scale: 1, min: 0, original: String(r.original_dtype ?? 'float32') };
  if (dtype !== 'uint8' && dtype !== 'uint16') fail(OP, file, `${what}: unsupported quantization dtype ${JSON.stringify(dtype)}`);
  const { scale, min } = r;
  if (typeof scale !== 'number' || typeof min !== 'number' || !Number.isFinite(scale) || !Number.isFinite(min)) {
    fail(OP, file, `${what}: ${dtype} quantization needs finite numeric scale and min`);
  }
  return { dtype, scale, min, original: String(r.original_dtype ?? 'float32') };
}

function dequantize(bytes: Uint8Array, qz: Quant, count: number): Float32Array {
  if (qz.dtype === 'float16') return decodeToF32(bytes, 'f16', count);
  const raw = decodeToF32(bytes, qz.dtype === 'uint8' ? 'u8' : 'i16', count);
  const out = new Float32Array(count);
  if (qz.dtype === 'uint16') for (let i = 0; i < count; i++) raw[i] = raw[i] < 0 ? raw[i] + 65536 : raw[i];
  const round = qz.original === 'int32';
  for (let i = 0; i < count; i++) { const v = raw[i] * qz.scale + qz.min; out[i] = round ? Math.round(v) : v; }
  return out;
}

/** Byte length of `count` strings (each u32 length + bytes) starting at `off`. */
function stringBytes(buf: GroupBuffer, off: number, count: number, file: string, what: string): number {
  let pos = off;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > buf.size) fail(OP, file, `${what}: string lengths run past the shards`);
    const b = buf.slice(pos, 4);
    pos += 4 + (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 2 ** 24;
    if (pos > buf.size) fail(OP, file, `${what}: strings run past the shards`);
  }
  return pos - off;
}

async function fetchGroup(paths: string[], fetchFile: FetchFile, file: string, progress: { done: number; onProgress?: ProgressFn }): Promise<GroupBuffer> {
  const chunks: Uint8Array[] = [];
  for (const p of paths) {
    let bytes: Uint8Array;
    try { bytes = await fetchFile(p); } catch (e) {
      if (e instanceof WaveGpuError) throw e;
      fail(OP, file, `cannot read weight shard ${JSON.stringify(p)}: ${(e as Error).message}`);
    }
    chunks.push(bytes);
    progress.done += bytes.length;
    progress.onProgress?.(progress.done, progress.done);
  }
  return new GroupBuffer(chunks);
}

/** Builds the entries of one manifest group. */
function groupEntries(weights: unknown[], buf: GroupBuffer, file: string, tensors: Map<string, TensorEntry>, notes: string[]): void {
  let off = 0;
  for (const w of weights) {
    const r = (w ?? {}) as Record<string, unknown>;
    if (typeof r.name !== 'string') fail(OP, file, 'a manifest weight has no name');
    const name = r.name;
    const what = `weight ${q(name)}`;
    if (tensors.has(name)) fail(OP, file, `${what} appears twice in the manifest`);
    const numel = shapeNumel(r.shape, OP, file, what);
    const qz = parseQuant(r.quantization, file, what);
    if (r.dtype === 'string' || r.dtype === 'complex64') {
      const len = r.dtype === 'string' ? stringBytes(buf, off, numel, file, what) : numel * 8;
      notes.push(`${name}: ${r.dtype} weight [${(r.shape as number[]).join(', ')}] skipped`);
      off += len;
      continue;
    }
    const dtype = qz ? (qz.original === 'int32' ? 'i32' : 'f32') : PLAIN[String(r.dtype)];
    if (!dtype) fail(OP, file, `${what}: unsupported dtype ${JSON.stringify(r.dtype)}`);
    const stored = qz ? (qz.dtype === 'uint8' ? 1 : 2) : DTYPE_SIZE[dtype];
    const len = numel * stored;
    if (off + len > buf.size) fail(OP, file, `${what}: needs bytes [${off}, ${off + len}) but the group's shards hold ${buf.size}`);
    const at = off;
    const read = async (): Promise<Float32Array> => (qz ? dequantize(buf.slice(at, len), qz, numel) : decodeToF32(buf.slice(at, len), dtype, numel));
    const readRaw = async (): Promise<Uint8Array> => {
      if (!qz) return buf.slice(at, len).slice();
      const f = await read();
      return dtype === 'i32' ? new Uint8Array(decodeToI32(new Uint8Array(f.buffer), 'f32', numel, OP, file).buffer) : new Uint8Array(f.buffer);
    };
    const storage = qz ? (qz.dtype === 'float16' ? 'float16' : `${qz.dtype} affine: q*${qz.scale} + ${qz.min}`) : undefined;
    tensors.set(name, { name, dtype, shape: (r.shape as number[]).slice(), byteLength: numel * DTYPE_SIZE[dtype], read, readRaw, storage });
    off += len;
  }
  if (off < buf.size) notes.push(`${buf.size - off} bytes at the end of a weight group are unused`);
}

/** Reads model.json and its shards. `fetchFile` resolves paths relative to model.json. */
export async function readTfjs(modelJson: Uint8Array | string, fetchFile: FetchFile, opts: { name?: string; onProgress?: ProgressFn } = {}): Promise<TfjsWeightFile> {
  const file = opts.name ?? 'model.json';
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(typeof modelJson === 'string' ? modelJson : new TextDecoder().decode(modelJson));
  } catch (e) { fail(OP, file, `model.json is not valid JSON (${(e as Error).message})`); }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(OP, file, 'model.json is not a JSON object');
  const topo = json.modelTopology as Record<string, unknown> | undefined;
  const isGraph = json.format === 'graph-model' || (json.format === undefined && !!topo && Array.isArray(topo.node));
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) fail(OP, file, 'weightsManifest is missing or not a list');
  const tensors = new Map<string, TensorEntry>();
  const notes: string[] = [];
  const progress = { done: 0, onProgress: opts.onProgress };
  for (const g of manifest) {
    const grp = (g ?? {}) as Record<string, unknown>;
    if (!Array.isArray(grp.paths) || !Array.isArray(grp.weights)) fail(OP, file, 'a weightsManifest group lacks paths or weights');
    const buf = await fetchGroup(grp.paths.map((p) => checkPath(p, file)), fetchFile, file, progress);
    groupEntries(grp.weights, buf, file, tensors, notes);
  }
  const metadata: Record<string, string> = {};
  for (const k of ['format', 'generatedBy', 'convertedBy']) if (typeof json[k] === 'string') metadata[k] = json[k] as string;
  const out: TfjsWeightFile = { format: isGraph ? 'tfjs-graph' : 'tfjs-layers', name: file, tensors, metadata, notes };
  if (isGraph) out.graph = decodeGraph(topo, file);
  else out.topology = topo;
  const sig = json.signature ?? (json.userDefinedMetadata as Record<string, unknown> | undefined)?.signature;
  if (sig !== undefined) out.config = { signature: sig };
  return out;
}
