/**
 * Minimal protobuf wire-format reader: fields as (number, wire type, value) with varints,
 * fixed32/64 and length-delimited payloads; groups (deprecated wire types 3/4) are refused.
 */
import { Cursor } from './bytes.js';
import { fail } from './types.js';

export interface PbField {
  field: number;
  wire: 0 | 1 | 2 | 5;
  /** varint / fixed value (wire 0, 1, 5) */
  num: number;
  /** payload (wire 2) */
  bytes: Uint8Array;
}

/** Splits a message into its fields, in order. */
export function pbFields(msg: Uint8Array, op: string, file: string, what: string): PbField[] {
  const c = new Cursor(msg, op, file);
  const out: PbField[] = [];
  const empty = new Uint8Array(0);
  while (c.remaining > 0) {
    const key = c.varint(`${what} field key`);
    const field = Math.floor(key / 8), wire = key % 8;
    if (field === 0) fail(op, file, `${what}: field number 0`);
    if (wire === 0) out.push({ field, wire, num: varint64(c, what), bytes: empty });
    else if (wire === 1) { const lo = c.u32(), hi = c.u32(); out.push({ field, wire, num: hi * 2 ** 32 + lo, bytes: empty }); }
    else if (wire === 5) out.push({ field, wire, num: c.u32(), bytes: empty });
    else if (wire === 2) { const len = c.varint(`${what} length`); out.push({ field, wire, num: 0, bytes: c.take(len, `${what} field ${field}`) }); }
    else fail(op, file, `${what}: unsupported wire type ${wire} in field ${field}`);
  }
  return out;
}

/** A varint as a number; negative int32/int64 (ten-byte two's complement) come back negative. */
function varint64(c: Cursor, what: string): number {
  let v = 0n;
  for (let i = 0; i < 10; i++) {
    const b = c.u8(`${what} varint`);
    v |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) {
      v &= (1n << 64n) - 1n;
      return Number(v >= 1n << 63n ? v - (1n << 64n) : v);
    }
  }
  return fail(c.op, c.file, `${what}: varint longer than 10 bytes`);
}
