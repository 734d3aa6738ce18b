/**
 * NumPy .npy reader/writer (format versions 1-3), C order only.
 * Reads float32/float64/int32/int64/uint8/int16 arrays; int64 and float64 are narrowed to
 * int32/float32 with a range check (int64), since the GPU side works in 32-bit.
 */
import { WaveGpuError } from '../runtime/errors.js';

export type NpyDtype = 'f32' | 'i32';
export interface NpyArray {
  shape: number[];
  dtype: NpyDtype;
  data: Float32Array | Int32Array;
  /** The file's own descr, e.g. '<f4', '<i8'. */
  descr: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function fail(msg: string): never {
  throw new WaveGpuError('npy', msg);
}

/** Parses the tiny Python-literal header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } */
function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) fail(`malformed header ${JSON.stringify(text.slice(0, 120))}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    if (!/^\d+L?$/.test(s)) fail(`bad dimension '${s}' in shape (${shapeText})`);
    return parseInt(s, 10);
  });
  return { descr, fortran: fortran === 'True', shape };
}

/** Parses a .npy file held in memory. Never reads outside `bytes`. */
export function readNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (bad magic)');
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number, start: number;
  if (major === 1) { headerLen = dv.getUint16(8, true); start = 10; }
  else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail('truncated header');
    headerLen = dv.getUint32(8, true); start = 12;
  } else fail(`unsupported format version ${major}`);
  if (start + headerLen > bytes.length) fail(`header length ${headerLen} runs past the end of the ${bytes.length}-byte file`);
  const header = parseHeader(new TextDecoder().decode(bytes.subarray(start, start + headerLen)));
  if (header.fortran) fail('fortran_order arrays are not supported; save with np.ascontiguousarray');
  const count = header.shape.reduce((a, b) => a * b, 1);
  const m = /^([<>|=])([fiu])(\d)$/.exec(header.descr);
  if (!m) fail(`unsupported dtype '${header.descr}' (float32/float64/int8-64/uint8 only)`);
  const [, order, kind, sizeStr] = m;
  const size = Number(sizeStr);
  if (order === '>' && size > 1) fail(`big-endian dtype '${header.descr}' is not supported`);
  const dataStart = start + headerLen;
  const need = count * size;
  if (!Number.isSafeInteger(need) || dataStart + need > bytes.length) fail(`shape (${header.shape.join(', ')}) of '${header.descr}' needs ${need} bytes but only ${bytes.length - dataStart} follow the header`);
  const body = new DataView(bytes.buffer, bytes.byteOffset + dataStart, need);
  let data: Float32Array | Int32Array;
  let dtype: NpyDtype;
  if (kind === 'f') {
    dtype = 'f32';
    const out = new Float32Array(count);
    if (size === 4) for (let i = 0; i < count; i++) out[i] = body.getFloat32(4 * i, true);
    else if (size === 8) for (let i = 0; i < count; i++) out[i] = body.getFloat64(8 * i, true);
    else fail(`unsupported float size ${size} in '${header.descr}'`);
    data = out;
  } else {
    dtype = 'i32';
    const out = new Int32Array(count);
    const signed = kind === 'i';
    for (let i = 0; i < count; i++) {
      let v: number;
      if (size === 1) v = signed ? body.getInt8(i) : body.getUint8(i);
      else if (size === 2) v = signed ? body.getInt16(2 * i, true) : body.getUint16(2 * i, true);
      else if (size === 4) v = signed ? body.getInt32(4 * i, true) : body.getUint32(4 * i, true);
      else if (size === 8) v = Number(signed ? body.getBigInt64(8 * i, true) : body.getBigUint64(8 * i, true));
      else fail(`unsupported integer size ${size}`);
      if (v > 2147483647 || v < -2147483648) fail(`value ${v} at index ${i} does not fit in int32`);
      out[i] = v;
    }
    data = out;
  }
  return { shape: header.shape, dtype, data, descr: header.descr };
}

/** Writes a C-order .npy (version 1.0) of float32 ('<f4') or int32 ('<i4'). */
export function writeNpy(data: Float32Array | Int32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) fail(`shape (${shape.join(', ')}) holds ${count} values but the array has ${data.length}`);
  const descr = data instanceof Float32Array ? '<f4' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
