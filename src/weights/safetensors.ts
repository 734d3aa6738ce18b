/**
 * safetensors, the project's native weight format:
 *   [u64 LE n][n bytes of JSON header, space padded][data]
 * header: {"__metadata__": {str: str}, name: {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}}
 * with offsets relative to the data section, which the tensors must cover exactly (no holes,
 * no overlaps). The reader validates all of that before any tensor is read.
 */
import { bytesSource, decodeUtf8 } from './bytes.js';
import { decodeToF32 } from './dtype.js';
import { DTYPE_SIZE, LIMITS, fail, q, shapeNumel, type ByteSource, type DType, type TensorEntry, type WeightFile } from './types.js';

const OP = 'safetensors';

const FROM_ST: Record<string, DType> = {
  F64: 'f64', F32: 'f32', F16: 'f16', BF16: 'bf16', I64: 'i64', I32: 'i32', I16: 'i16', I8: 'i8', U8: 'u8', BOOL: 'bool',
};
const TO_ST: Record<DType, string> = {
  f64: 'F64', f32: 'F32', f16: 'F16', bf16: 'BF16', i64: 'I64', i32: 'I32', i16: 'I16', i8: 'I8', u8: 'U8', bool: 'BOOL',
};

interface Span { name: string; begin: number; end: number }

/** Reads and validates the header; tensors read lazily from `src`. */
export async function readSafetensors(src: ByteSource | Uint8Array, name = 'model.safetensors'): Promise<WeightFile> {
  const source = src instanceof Uint8Array ? bytesSource(src, name) : src;
  const size = source.size;
  if (size < 8) fail(OP, name, `file is ${size} bytes, too short for the 8-byte header length`);
  const lenBytes = await source.read(0, 8);
  const dv = new DataView(lenBytes.buffer, lenBytes.byteOffset, 8);
  const n = dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(0, true);
  if (n > size - 8) fail(OP, name, `header length ${n} runs past the end of the ${size}-byte file`);
  if (n > LIMITS.maxHeaderBytes) fail(OP, name, `header length ${n} exceeds the ${LIMITS.maxHeaderBytes}-byte cap`);
  if (n < 2) fail(OP, name, `header length ${n} is too short for a JSON object`);
  const text = decodeUtf8(await source.read(8, n), OP, name, 'header');
  let header: unknown;
  try { header = JSON.parse(text); } catch (e) { fail(OP, name, `header is not valid JSON (${(e as Error).message})`); }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail(OP, name, 'header is not a JSON object');
  const dataStart = 8 + n;
  const dataLen = size - dataStart;
  const metadata = parseMetadata((header as Record<string, unknown>).__metadata__, name);
  const tensors = new Map<string, TensorEntry>();
  const spans: Span[] = [];
  for (const [key, raw] of Object.entries(header as Record<string, unknown>)) {
    if (key === '__metadata__') continue;
    const { dtype, shape, begin, end } = parseEntry(key, raw, name, dataLen);
    const byteLength = end - begin;
    const readRaw = (): Promise<Uint8Array> => source.read(dataStart + begin, byteLength);
    const read = async (): Promise<Float32Array> => decodeToF32(await readRaw(), dtype, byteLength / DTYPE_SIZE[dtype]);
    tensors.set(key, { name: key, dtype, shape, byteLength, read, readRaw });
    spans.push({ name: key, begin, end });
  }
  checkCoverage(spans, dataLen, name);
  return { format: 'safetensors', name, tensors, metadata, notes: [], close: source.close?.bind(source) };
}

function parseMetadata(raw: unknown, file: string): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(OP, file, '__metadata__ is not an object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== 'string') fail(OP, file, `__metadata__[${q(k)}] is a ${typeof v}, not a string`);
    out[k] = v;
  }
  return out;
}

/** Validates one header entry: dtype, shape, and offsets that hold exactly numel * size bytes. */
function parseEntry(key: string, raw: unknown, file: string, dataLen: number): { dtype: DType; shape: number[]; begin: number; end: number } {
  const what = `tensor ${q(key)}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(OP, file, `${what}: entry is not an object`);
  const r = raw as Record<string, unknown>;
  const dtype = typeof r.dtype === 'string' ? FROM_ST[r.dtype] : undefined;
  if (!dtype) fail(OP, file, `${what}: unsupported dtype ${JSON.stringify(r.dtype)} (F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)`);
  const numel = shapeNumel(r.shape, OP, file, what);
  const offs = r.data_offsets;
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(OP, file, `${what}: data_offsets ${JSON.stringify(offs)} is not a pair of integers >= 0`);
  }
  const [begin, end] = offs as number[];
  if (end < begin) fail(OP, file, `${what}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLen) fail(OP, file, `${what}: data_offsets [${begin}, ${end}] run outside the ${dataLen}-byte data section`);
  const byteLength = numel * DTYPE_SIZE[dtype];
  if (end - begin !== byteLength) {
    fail(OP, file, `${what}: shape [${(r.shape as number[]).join(', ')}] of ${r.dtype} needs ${byteLength} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { dtype, shape: (r.shape as number[]).slice(), begin, end };
}

/** The data section must be covered exactly once: sorted spans abut, from 0 to the end. */
function checkCoverage(spans: Span[], dataLen: number, file: string): void {
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: Span | null = null;
  for (const s of spans) {
    if (s.begin < pos) fail(OP, file, `tensor ${q(s.name)} [${s.begin}, ${s.end}] overlaps ${q(prev!.name)} [${prev!.begin}, ${prev!.end}]`);
    if (s.begin > pos) fail(OP, file, `bytes [${pos}, ${s.begin}) of the data section belong to no tensor (hole before ${q(s.name)})`);
    pos = s.end;
    prev = s;
  }
  if (pos !== dataLen) fail(OP, file, `bytes [${pos}, ${dataLen}) at the end of the data section belong to no tensor`);
}

export interface RawTensor {
  name: string;
  dtype: DType;
  shape: number[];
  /** Little-endian bytes in `dtype`, C order. */
  data: Uint8Array;
}

/**
 * Writes a safetensors file. Tensors are laid out by element size (largest first, stable), so
 * every tensor starts aligned to its element size; the header is space padded to 8 bytes.
 */
export function writeSafetensors(tensors: RawTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === '__metadata__' || seen.has(t.name)) fail(OP, 'output', `tensor name ${q(t.name)} is reserved or repeated`);
    seen.add(t.name);
    const numel = shapeNumel(t.shape, OP, 'output', `tensor ${q(t.name)}`);
    if (numel * DTYPE_SIZE[t.dtype] !== t.data.length) {
      fail(OP, 'output', `tensor ${q(t.name)}: shape [${t.shape.join(', ')}] of ${t.dtype} needs ${numel * DTYPE_SIZE[t.dtype]} bytes, got ${t.data.length}`);
    }
  }
  for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') fail(OP, 'output', `metadata ${q(k)} is not a string`);
  const order = tensors.map((t, i) => ({ t, i })).sort((a, b) => DTYPE_SIZE[b.t.dtype] - DTYPE_SIZE[a.t.dtype] || a.i - b.i).map((x) => x.t);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let pos = 0;
  for (const t of order) {
    header[t.name] = { dtype: TO_ST[t.dtype], shape: t.shape, data_offsets: [pos, pos + t.data.length] };
    pos += t.data.length;
  }
  let json = JSON.stringify(header);
  const jsonBytes0 = new TextEncoder().encode(json);
  json += ' '.repeat((8 - (jsonBytes0.length % 8)) % 8);
  const jsonBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + jsonBytes.length + pos);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, jsonBytes.length % 2 ** 32, true);
  dv.setUint32(4, Math.floor(jsonBytes.length / 2 ** 32), true);
  out.set(jsonBytes, 8);
  let off = 8 + jsonBytes.length;
  for (const t of order) { out.set(t.data, off); off += t.data.length; }
  return out;
}
