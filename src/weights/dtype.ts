/**
 * Element decoding and encoding: every stored dtype -> float32, float32 -> f16/bf16 (round to
 * nearest even), integer dtypes -> int32 with a range check, and strided -> contiguous gathers.
 */
import { DTYPE_SIZE, fail, type DType } from './types.js';

let F16_TABLE: Float32Array | null = null;
/** All 65,536 half values, built once (256 KiB) so decoding is a table lookup. */
function f16Table(): Float32Array {
  if (F16_TABLE) return F16_TABLE;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) t[h] = f16BitsToNumber(h);
  F16_TABLE = t;
  return t;
}

/** IEEE half bits -> number (exact). */
export function f16BitsToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** number -> IEEE half bits, rounding the float32 value to nearest even (overflow -> inf). */
export function numberToF16Bits(x: number): number {
  f32buf[0] = x;
  const b = u32buf[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // underflows to +-0
    mant |= 0x800000;
    const shift = 14 - e; // 14..24
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let r = mant >>> shift;
    if (rest > half || (rest === half && (r & 1))) r++;
    return sign | r;
  }
  let r = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (r & 1))) r++; // may carry into the exponent: correct
  return sign | r;
}

/** number -> bfloat16 bits (round to nearest even, NaN kept quiet). */
export function numberToBf16Bits(x: number): number {
  f32buf[0] = x;
  const b = u32buf[0];
  if ((b & 0x7fffffff) > 0x7f800000) return ((b >>> 16) | 0x40) & 0xffff;
  const r = b + 0x7fff + ((b >>> 16) & 1);
  return (r >>> 16) & 0xffff;
}

/**
 * Decodes `count` little-endian elements of `dtype` from `bytes` to float32.
 * int64 values beyond 2^24 lose precision (as any float32 would); use readRaw for exact ints.
 */
export function decodeToF32(bytes: Uint8Array, dtype: DType, count: number): Float32Array {
  if (bytes.length < count * DTYPE_SIZE[dtype]) throw new RangeError('decodeToF32: short buffer');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'f32':
      if (bytes.byteOffset % 4 === 0) out.set(new Float32Array(bytes.buffer, bytes.byteOffset, count));
      else for (let i = 0; i < count; i++) out[i] = dv.getFloat32(4 * i, true);
      break;
    case 'f16': { const t = f16Table(); for (let i = 0; i < count; i++) out[i] = t[dv.getUint16(2 * i, true)]; break; }
    case 'bf16': {
      const u = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) u[i] = dv.getUint16(2 * i, true) << 16;
      break;
    }
    case 'f64': for (let i = 0; i < count; i++) out[i] = dv.getFloat64(8 * i, true); break;
    case 'i64': for (let i = 0; i < count; i++) out[i] = Number(dv.getBigInt64(8 * i, true)); break;
    case 'i32': for (let i = 0; i < count; i++) out[i] = dv.getInt32(4 * i, true); break;
    case 'i16': for (let i = 0; i < count; i++) out[i] = dv.getInt16(2 * i, true); break;
    case 'i8': for (let i = 0; i < count; i++) out[i] = dv.getInt8(i); break;
    case 'u8': for (let i = 0; i < count; i++) out[i] = bytes[i]; break;
    case 'bool': for (let i = 0; i < count; i++) out[i] = bytes[i] ? 1 : 0; break;
  }
  return out;
}

/** Encodes float32 values to `dtype` ('f32' | 'f16' | 'bf16'), little-endian. */
export function encodeFloat(values: Float32Array, dtype: 'f32' | 'f16' | 'bf16'): Uint8Array {
  if (dtype === 'f32') {
    const out = new Uint8Array(values.length * 4);
    new Float32Array(out.buffer).set(values);
    return out;
  }
  const out = new Uint8Array(values.length * 2);
  const dv = new DataView(out.buffer);
  const enc = dtype === 'f16' ? numberToF16Bits : numberToBf16Bits;
  for (let i = 0; i < values.length; i++) dv.setUint16(2 * i, enc(values[i]), true);
  return out;
}

/** Decodes an integer or bool tensor to int32, refusing values that do not fit. */
export function decodeToI32(bytes: Uint8Array, dtype: DType, count: number, op: string, file: string): Int32Array {
  const out = new Int32Array(count);
  if (dtype === 'i64') {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) {
      const v = dv.getBigInt64(8 * i, true);
      if (v > 2147483647n || v < -2147483648n) fail(op, file, `int64 value ${v} at index ${i} does not fit in int32`);
      out[i] = Number(v);
    }
    return out;
  }
  const f = decodeToF32(bytes, dtype, count);
  for (let i = 0; i < count; i++) {
    const v = f[i];
    if (!Number.isInteger(v) || v > 2147483647 || v < -2147483648) fail(op, file, `value ${v} at index ${i} is not an int32`);
    out[i] = v;
  }
  return out;
}

/**
 * Gathers a strided view into a contiguous C-order copy. `src` holds the elements from the
 * view's lowest address on; `strides` are in elements, `base` is the first element's index in src.
 */
export function gatherStrided(src: Uint8Array, elemSize: number, shape: readonly number[], strides: readonly number[], base: number): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(count * elemSize);
  if (count === 0) return out;
  const rank = shape.length;
  if (rank === 0) { out.set(src.subarray(base * elemSize, (base + 1) * elemSize)); return out; }
  // Walk rows of the innermost dimension; a unit inner stride copies a whole row at once.
  const inner = shape[rank - 1], innerStride = strides[rank - 1];
  const rows = count / inner;
  const idx = new Array<number>(rank - 1).fill(0);
  let off = base, o = 0;
  for (let r = 0; r < rows; r++) {
    if (innerStride === 1) {
      out.set(src.subarray(off * elemSize, (off + inner) * elemSize), o);
      o += inner * elemSize;
    } else {
      for (let i = 0, e = off; i < inner; i++, e += innerStride, o += elemSize) {
        out.set(src.subarray(e * elemSize, e * elemSize + elemSize), o);
      }
    }
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      off += strides[d];
      if (idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}
