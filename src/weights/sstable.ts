/**
 * leveldb-style SSTable reader, as TensorFlow writes checkpoint .index files
 * (tensorflow/core/lib/io: table_builder.cc, block_builder.cc, format.cc):
 *   [data blocks][metaindex block][index block][footer: 48 bytes]
 *   footer   = metaindex handle, index handle (varint64 offset + size each), zero padding to
 *              40 bytes, fixed64 magic 0xdb4775248b80fb57
 *   block    = entries, uint32 restart offsets, uint32 restart count; then a 5-byte trailer:
 *              compression type (0 none, 1 snappy) + masked CRC-32C of contents+type
 *   entry    = varint32 shared, varint32 non_shared, varint32 value_length, key delta, value
 * The index block maps separator keys to data block handles. Every block's checksum is checked.
 */
import { Cursor } from './bytes.js';
import { crc32c, unmaskCrc32c } from './crc.js';
import { snappyUncompress } from './snappy.js';
import { fail } from './types.js';

const FOOTER = 48;
const MAGIC_LO = 0x8b80fb57, MAGIC_HI = 0xdb477524;

export interface Handle { offset: number; size: number }

function readHandle(c: Cursor, what: string): Handle {
  return { offset: c.varint(`${what} offset`), size: c.varint(`${what} size`) };
}

/** One block's contents after checksum verification and decompression. */
export function readBlock(file: Uint8Array, h: Handle, op: string, name: string, what: string): Uint8Array {
  if (h.offset + h.size + 5 > file.length) fail(op, name, `${what} [${h.offset}, ${h.offset + h.size}) plus trailer runs past the ${file.length}-byte table`);
  const raw = file.subarray(h.offset, h.offset + h.size);
  const type = file[h.offset + h.size];
  const dv = new DataView(file.buffer, file.byteOffset + h.offset + h.size + 1, 4);
  const stored = unmaskCrc32c(dv.getUint32(0, true));
  const actual = crc32c(file.subarray(h.offset, h.offset + h.size + 1));
  if (stored !== actual) fail(op, name, `${what}: block checksum mismatch (corrupted index)`);
  if (type === 0) return raw;
  if (type === 1) return snappyUncompress(raw, op, name);
  return fail(op, name, `${what}: unknown block compression type ${type}`);
}

/** Decodes all (key, value) entries of a block, checking the restart array. */
export function blockEntries(block: Uint8Array, op: string, name: string, what: string): Array<[Uint8Array, Uint8Array]> {
  if (block.length < 4) fail(op, name, `${what}: block of ${block.length} bytes has no restart count`);
  const dv = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const nRestarts = dv.getUint32(block.length - 4, true);
  const restartsAt = block.length - 4 - 4 * nRestarts;
  if (nRestarts === 0 || restartsAt < 0) fail(op, name, `${what}: bad restart count ${nRestarts}`);
  const restarts = new Set<number>();
  for (let i = 0; i < nRestarts; i++) {
    const r = dv.getUint32(restartsAt + 4 * i, true);
    if (r > restartsAt) fail(op, name, `${what}: restart offset ${r} lies past the entries`);
    restarts.add(r);
  }
  const c = new Cursor(block.subarray(0, restartsAt), op, name);
  const out: Array<[Uint8Array, Uint8Array]> = [];
  let last = new Uint8Array(0);
  while (c.remaining > 0) {
    const at = c.pos;
    const shared = c.varint(`${what} shared`, 5), nonShared = c.varint(`${what} non_shared`, 5), vlen = c.varint(`${what} value length`, 5);
    if (shared > last.length) fail(op, name, `${what}: entry shares ${shared} bytes of a ${last.length}-byte previous key`);
    if (restarts.has(at) && shared !== 0) fail(op, name, `${what}: restart point at ${at} has a shared key prefix`);
    const key = new Uint8Array(shared + nonShared);
    key.set(last.subarray(0, shared));
    key.set(c.take(nonShared, `${what} key`), shared);
    out.push([key, c.take(vlen, `${what} value`)]);
    last = key;
  }
  return out;
}

/** Reads every (key, value) of a table held in memory, in key order. */
export function readTable(file: Uint8Array, op: string, name: string): Array<[Uint8Array, Uint8Array]> {
  if (file.length < FOOTER) fail(op, name, `file is ${file.length} bytes, shorter than the ${FOOTER}-byte table footer`);
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (dv.getUint32(file.length - 8, true) !== MAGIC_LO || dv.getUint32(file.length - 4, true) !== MAGIC_HI) {
    fail(op, name, 'not an SSTable (bad footer magic number)');
  }
  const fc = new Cursor(file.subarray(file.length - FOOTER, file.length - 8), op, name);
  readHandle(fc, 'metaindex handle');
  const index = readHandle(fc, 'index handle');
  const indexEntries = blockEntries(readBlock(file, index, op, name, 'index block'), op, name, 'index block');
  const out: Array<[Uint8Array, Uint8Array]> = [];
  let prevEnd = 0;
  for (const [, v] of indexEntries) {
    const h = readHandle(new Cursor(v, op, name), 'data block handle');
    if (h.offset < prevEnd) fail(op, name, `data block at ${h.offset} overlaps the previous one`);
    prevEnd = h.offset + h.size + 5;
    for (const e of blockEntries(readBlock(file, h, op, name, `data block at ${h.offset}`), op, name, `data block at ${h.offset}`)) out.push(e);
  }
  for (let i = 1; i < out.length; i++) {
    if (compareBytes(out[i - 1][0], out[i][0]) >= 0) fail(op, name, 'table keys are not in strictly increasing order');
  }
  return out;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
