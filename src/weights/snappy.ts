/**
 * Snappy raw-format decompressor (as leveldb / TF tables compress blocks):
 *   varint32 uncompressed length, then elements whose tag's low 2 bits say
 *   00 literal (length-1 in the tag's upper 6 bits, or in 1-4 following bytes when >= 60),
 *   01 copy, length 4-11, 11-bit offset; 10 copy, length 1-64, 16-bit offset;
 *   11 copy, length 1-64, 32-bit offset.
 * The declared length is capped by what the input could expand to, so it never over-allocates.
 */
import { Cursor } from './bytes.js';
import { fail } from './types.js';

/** Largest expansion: a 3-byte copy-2 element yields at most 64 bytes. */
const MAX_RATIO = 22;

export function snappyUncompress(input: Uint8Array, op: string, file: string): Uint8Array {
  const c = new Cursor(input, op, file);
  const n = c.varint('snappy length', 5);
  if (n > input.length * MAX_RATIO + 64) fail(op, file, `snappy block claims ${n} bytes from ${input.length} compressed bytes`);
  const out = new Uint8Array(n);
  let o = 0;
  while (c.remaining > 0) {
    const tag = c.u8('snappy tag');
    let len: number, offset: number;
    switch (tag & 3) {
      case 0: {
        len = tag >>> 2;
        if (len >= 60) {
          const k = len - 59;
          len = 0;
          for (let i = 0; i < k; i++) len += c.u8('snappy literal length') * 2 ** (8 * i);
        }
        len += 1;
        if (o + len > n) fail(op, file, 'snappy literal runs past the declared length');
        out.set(c.take(len, 'snappy literal'), o);
        o += len;
        continue;
      }
      case 1: len = 4 + ((tag >>> 2) & 7); offset = ((tag >>> 5) << 8) | c.u8('snappy offset'); break;
      case 2: len = 1 + (tag >>> 2); offset = c.u16('snappy offset'); break;
      default: len = 1 + (tag >>> 2); offset = c.u32('snappy offset'); break;
    }
    if (offset === 0 || offset > o) fail(op, file, `snappy copy offset ${offset} at output position ${o} is invalid`);
    if (o + len > n) fail(op, file, 'snappy copy runs past the declared length');
    for (let i = 0; i < len; i++, o++) out[o] = out[o - offset];
  }
  if (o !== n) fail(op, file, `snappy block decodes to ${o} bytes, not the declared ${n}`);
  return out;
}
