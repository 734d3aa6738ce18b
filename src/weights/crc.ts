/** CRC-32 (zip, polynomial 0xEDB88320) and CRC-32C (Castagnoli, leveldb/TF, 0x82F63B78), table driven. */

function makeTable(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

let T32: Uint32Array | null = null;
let T32C: Uint32Array | null = null;

function run(table: Uint32Array, bytes: Uint8Array, init: number): number {
  let c = ~init >>> 0;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 as used by zip; `init` continues a previous value. */
export function crc32(bytes: Uint8Array, init = 0): number {
  T32 ??= makeTable(0xedb88320);
  return run(T32, bytes, init);
}

/** CRC-32C as used by leveldb tables and TF tensor bundles; `init` continues a previous value. */
export function crc32c(bytes: Uint8Array, init = 0): number {
  T32C ??= makeTable(0x82f63b78);
  return run(T32C, bytes, init);
}

/** leveldb's masking of a stored CRC-32C: rotate right by 15 and add a constant. */
export function unmaskCrc32c(masked: number): number {
  const rot = (masked - 0xa282ead8) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}
