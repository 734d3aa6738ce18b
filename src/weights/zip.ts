/**
 * A small zip reader for torch.save archives: end-of-central-directory (with ZIP64), the central
 * directory, and each entry's local header. Only stored (uncompressed) entries are readable,
 * which is what torch writes. Sizes are cross-checked (stored => compressed == uncompressed,
 * data inside the file and before the central directory, no overlapping entries, local name ==
 * central name) and each entry's CRC-32 is verified when it is read.
 */
import { Cursor, decodeUtf8 } from './bytes.js';
import { crc32 } from './crc.js';
import { LIMITS, fail, q, type ByteSource } from './types.js';

const OP = 'zip';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate, ... */
  method: number;
  /** Offset of the entry's data (after its local header). */
  dataOffset: number;
  size: number;
  crc32: number;
}

const SIG_EOCD = 0x06054b50, SIG_Z64_LOC = 0x07064b50, SIG_Z64_EOCD = 0x06064b50, SIG_CEN = 0x02014b50, SIG_LOC = 0x04034b50;

interface Directory { count: number; cdOffset: number; cdSize: number; end: number }

/** Finds the (ZIP64) end of central directory and returns where the directory lies. */
async function findDirectory(src: ByteSource, file: string): Promise<Directory> {
  if (src.size < 22) fail(OP, file, `file is ${src.size} bytes, too short for a zip end record`);
  const tailLen = Math.min(src.size, 22 + 65535);
  const tailStart = src.size - tailLen;
  const tail = await src.read(tailStart, tailLen);
  const dv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (dv.getUint32(i, true) === SIG_EOCD && i + 22 + dv.getUint16(i + 20, true) === tail.length) { at = i; break; }
  }
  if (at < 0) fail(OP, file, 'no end-of-central-directory record (not a zip file, or truncated)');
  const c = new Cursor(tail, OP, file, at + 4);
  const disk = c.u16(), cdDisk = c.u16(), onDisk = c.u16(), total = c.u16();
  let cdSize = c.u32(), cdOffset = c.u32(), count = total;
  if (disk !== 0 || cdDisk !== 0 || onDisk !== total) fail(OP, file, 'multi-disk zip archives are not supported');
  const eocd = tailStart + at;
  if (total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    ({ count, cdSize, cdOffset } = await readZip64(src, file, eocd));
  }
  if (cdOffset + cdSize > eocd) fail(OP, file, `central directory [${cdOffset}, ${cdOffset + cdSize}) runs past its end record at ${eocd}`);
  if (cdSize > LIMITS.maxHeaderBytes) fail(OP, file, `central directory of ${cdSize} bytes exceeds the cap`);
  if (count * 46 > cdSize) fail(OP, file, `${count} entries cannot fit in a ${cdSize}-byte central directory`);
  return { count, cdOffset, cdSize, end: cdOffset };
}

async function readZip64(src: ByteSource, file: string, eocd: number): Promise<{ count: number; cdSize: number; cdOffset: number }> {
  if (eocd < 20) fail(OP, file, 'ZIP64 locator missing');
  const loc = new Cursor(await src.read(eocd - 20, 20), OP, file);
  if (loc.u32() !== SIG_Z64_LOC) fail(OP, file, 'ZIP64 fields without a ZIP64 locator');
  loc.u32();
  const recOffset = loc.u64('ZIP64 end record offset');
  if (recOffset + 56 > eocd - 20) fail(OP, file, `ZIP64 end record offset ${recOffset} lies outside the file`);
  const r = new Cursor(await src.read(recOffset, 56), OP, file);
  if (r.u32() !== SIG_Z64_EOCD) fail(OP, file, 'bad ZIP64 end record signature');
  r.u64(); r.u16(); r.u16();
  if (r.u32() !== 0 || r.u32() !== 0) fail(OP, file, 'multi-disk zip archives are not supported');
  r.u64();
  const count = r.u64('ZIP64 entry count'), cdSize = r.u64('ZIP64 directory size'), cdOffset = r.u64('ZIP64 directory offset');
  return { count, cdSize, cdOffset };
}

/** Parses one central-directory record (after its signature). */
function parseCentral(c: Cursor, file: string): { name: string; method: number; flags: number; crc: number; csize: number; usize: number; local: number } {
  c.u16(); c.u16();
  const flags = c.u16(), method = c.u16();
  c.u32();
  const crc = c.u32();
  let csize = c.u32(), usize = c.u32();
  const nameLen = c.u16(), extraLen = c.u16(), commentLen = c.u16();
  c.u16(); c.u16(); c.u32();
  let local = c.u32();
  const name = decodeUtf8(c.take(nameLen, 'entry name'), OP, file, 'entry name');
  const extra = new Cursor(c.take(extraLen, 'extra field'), OP, file);
  c.take(commentLen, 'entry comment');
  while (extra.remaining >= 4) {
    const id = extra.u16(), len = extra.u16();
    const body = new Cursor(extra.take(len, 'extra field'), OP, file);
    if (id !== 0x0001) continue;
    if (usize === 0xffffffff) usize = body.u64('ZIP64 size');
    if (csize === 0xffffffff) csize = body.u64('ZIP64 compressed size');
    if (local === 0xffffffff) local = body.u64('ZIP64 header offset');
  }
  return { name, method, flags, crc, csize, usize, local };
}

/** Reads the central directory and every local header; returns entries by name. */
export async function readZipDirectory(src: ByteSource, file: string): Promise<Map<string, ZipEntry>> {
  const dir = await findDirectory(src, file);
  const c = new Cursor(await src.read(dir.cdOffset, dir.cdSize), OP, file);
  const entries = new Map<string, ZipEntry>();
  const spans: Array<[number, number, string]> = [];
  for (let i = 0; i < dir.count; i++) {
    if (c.u32('central header signature') !== SIG_CEN) fail(OP, file, `central directory record ${i} has a bad signature`);
    const e = parseCentral(c, file);
    if (entries.has(e.name)) fail(OP, file, `entry ${q(e.name)} appears twice`);
    if (e.flags & 1) fail(OP, file, `entry ${q(e.name)} is encrypted`);
    if (e.method === 0 && e.csize !== e.usize) fail(OP, file, `entry ${q(e.name)} is stored but claims ${e.csize} bytes stored and ${e.usize} bytes uncompressed`);
    if (e.local + 30 > dir.end) fail(OP, file, `entry ${q(e.name)}: local header offset ${e.local} lies outside the archive data`);
    const lc = new Cursor(await src.read(e.local, 30), OP, file);
    if (lc.u32() !== SIG_LOC) fail(OP, file, `entry ${q(e.name)}: bad local header signature at ${e.local}`);
    lc.pos = 26;
    const nameLen = lc.u16(), extraLen = lc.u16();
    const dataOffset = e.local + 30 + nameLen + extraLen;
    if (dataOffset + e.csize > dir.end) {
      fail(OP, file, `entry ${q(e.name)}: ${e.csize} bytes at offset ${dataOffset} run past the archive data (ends at ${dir.end})`);
    }
    const localName = decodeUtf8(await src.read(e.local + 30, nameLen), OP, file, 'local entry name');
    if (localName !== e.name) fail(OP, file, `entry ${q(e.name)}: local header names it ${q(localName)}`);
    entries.set(e.name, { name: e.name, method: e.method, dataOffset, size: e.csize, crc32: e.crc });
    spans.push([e.local, dataOffset + e.csize, e.name]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) fail(OP, file, `entries ${q(spans[i - 1][2])} and ${q(spans[i][2])} overlap`);
  }
  return entries;
}

/** Reads a range of a stored entry (the whole entry by default, CRC-checked when whole). */
export async function readZipEntry(src: ByteSource, e: ZipEntry, file: string, offset = 0, length = e.size - offset): Promise<Uint8Array> {
  if (e.method !== 0) fail(OP, file, `entry ${q(e.name)} is compressed (method ${e.method}); torch writes stored entries, so re-save the checkpoint with torch.save`);
  if (offset < 0 || length < 0 || offset + length > e.size) fail(OP, file, `read of [${offset}, ${offset + length}) is outside entry ${q(e.name)} (${e.size} bytes)`);
  const bytes = await src.read(e.dataOffset + offset, length);
  if (offset === 0 && length === e.size && crc32(bytes) !== e.crc32) fail(OP, file, `entry ${q(e.name)}: CRC-32 mismatch (corrupted data)`);
  return bytes;
}
