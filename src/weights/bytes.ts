/**
 * Platform-neutral byte sources and a bounds-checked little-endian cursor used by every reader.
 * Nothing here ever reads outside the buffer it was given: a short read is a WaveGpuError.
 */
import { fail, type ByteSource, type ProgressFn } from './types.js';

/** A ByteSource over bytes already in memory (no copy; reads return subarrays). */
export function bytesSource(bytes: Uint8Array, name = 'buffer'): ByteSource {
  return {
    size: bytes.length,
    async read(offset: number, length: number): Promise<Uint8Array> {
      checkRange(offset, length, bytes.length, name);
      return bytes.subarray(offset, offset + length);
    },
  };
}

/** Throws unless [offset, offset+length) lies inside a `size`-byte source. */
export function checkRange(offset: number, length: number, size: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    fail('weights', what, `read of ${length} bytes at offset ${offset} lies outside the ${size}-byte file`);
  }
}

/** Wraps a source so that every read reports cumulative bytes read against its size. */
export function withProgress(src: ByteSource, onProgress?: ProgressFn): ByteSource {
  if (!onProgress) return src;
  let loaded = 0;
  return {
    size: src.size,
    close: src.close?.bind(src),
    async read(offset: number, length: number): Promise<Uint8Array> {
      const out = await src.read(offset, length);
      loaded = Math.min(src.size, loaded + length);
      onProgress(loaded, src.size);
      return out;
    },
  };
}

/** Reads a whole source into memory (refusing sources larger than `max`). */
export async function readAll(src: ByteSource, op: string, file: string, max = Number.MAX_SAFE_INTEGER): Promise<Uint8Array> {
  if (src.size > max) fail(op, file, `file is ${src.size} bytes, more than the ${max}-byte limit for this part`);
  return src.read(0, src.size);
}

/**
 * Sequential little-endian reader over a Uint8Array. Every read checks the remaining length and
 * throws `op: file: truncated ...` instead of reading past the end.
 */
export class Cursor {
  pos: number;
  private readonly dv: DataView;
  constructor(readonly bytes: Uint8Array, readonly op: string, readonly file: string, start = 0) {
    this.pos = start;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get remaining(): number { return this.bytes.length - this.pos; }
  need(n: number, what: string): void {
    if (!(n >= 0) || n > this.remaining) {
      fail(this.op, this.file, `truncated: ${what} needs ${n} bytes at offset ${this.pos} but only ${this.remaining} remain`);
    }
  }
  u8(what = 'byte'): number { this.need(1, what); return this.bytes[this.pos++]; }
  u16(what = 'uint16'): number { this.need(2, what); const v = this.dv.getUint16(this.pos, true); this.pos += 2; return v; }
  u32(what = 'uint32'): number { this.need(4, what); const v = this.dv.getUint32(this.pos, true); this.pos += 4; return v; }
  /** uint64 as a number; values above 2^53 are refused (no real file needs them). */
  u64(what = 'uint64'): number {
    this.need(8, what);
    const lo = this.dv.getUint32(this.pos, true), hi = this.dv.getUint32(this.pos + 4, true);
    this.pos += 8;
    if (hi >= 0x200000) fail(this.op, this.file, `${what} ${hi * 2 ** 32 + lo} is beyond 2^53`);
    return hi * 2 ** 32 + lo;
  }
  take(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** Unsigned LEB128 varint (protobuf / leveldb), at most `maxBytes` bytes, as a safe number. */
  varint(what = 'varint', maxBytes = 10): number {
    let result = 0, mul = 1;
    for (let i = 0; i < maxBytes; i++) {
      const b = this.u8(what);
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) fail(this.op, this.file, `${what} is beyond 2^53`);
        return result;
      }
      mul *= 128;
    }
    return fail(this.op, this.file, `${what} at offset ${this.pos} runs over ${maxBytes} bytes`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Strict UTF-8 decode; malformed text is the reader's error, not a TypeError. */
export function decodeUtf8(bytes: Uint8Array, op: string, file: string, what: string): string {
  try { return utf8.decode(bytes); } catch { return fail(op, file, `${what} is not valid UTF-8`); }
}
