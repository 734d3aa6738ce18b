/**
 * PNG writer (8-bit RGBA) and a small reader, with the zlib/deflate they need written here:
 * CRC-32, Adler-32, deflate (stored blocks, or one fixed-Huffman block over a hash-chain LZ77)
 * and a complete inflate (stored, fixed and dynamic Huffman blocks).
 *
 * The reader takes 8-bit, non-interlaced greyscale, grey+alpha, RGB and RGBA images (what
 * encoders write for plots and test pictures) and returns RGBA; anything else is a WaveGpuError
 * with op 'png'. It checks every CRC and the Adler-32 and never inflates more than the image needs.
 */
import { WaveGpuError } from '../runtime/errors.js';

function fail(msg: string): never {
  throw new WaveGpuError('png', msg);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309 / PNG / zlib's crc32) of bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Adler-32 of bytes (zlib's trailer). */
export function adler32(bytes: Uint8Array): number {
  let a = 1, b = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(bytes.length, i + 3800); // 3800 steps cannot overflow 2^31 before the modulo
    for (; i < end; i++) { a += bytes[i]; b += a; }
    a %= 65521; b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// Deflate's length and distance alphabets (RFC 1951 3.2.5): base values and extra bits.
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/** LSB-first bit writer over a growing byte buffer. */
class BitWriter {
  buf = new Uint8Array(1024);
  len = 0;
  private acc = 0;
  private n = 0;
  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  bits(value: number, count: number): void {
    this.acc |= value << this.n;
    this.n += count;
    while (this.n >= 8) { this.ensure(1); this.buf[this.len++] = this.acc & 0xff; this.acc >>>= 8; this.n -= 8; }
  }
  /** A Huffman code, which deflate packs most-significant bit first. */
  code(code: number, count: number): void {
    let r = 0;
    for (let i = 0; i < count; i++) r |= ((code >> i) & 1) << (count - 1 - i);
    this.bits(r, count);
  }
  align(): void { if (this.n > 0) this.bits(0, 8 - this.n); }
  bytes(data: Uint8Array): void { this.ensure(data.length); this.buf.set(data, this.len); this.len += data.length; }
  result(): Uint8Array { this.align(); return this.buf.slice(0, this.len); }
}

function fixedLiteral(w: BitWriter, sym: number): void {
  if (sym < 144) w.code(0x30 + sym, 8);
  else if (sym < 256) w.code(0x190 + sym - 144, 9);
  else if (sym < 280) w.code(sym - 256, 7);
  else w.code(0xc0 + sym - 280, 8);
}

function fixedMatch(w: BitWriter, len: number, dist: number): void {
  let l = 28;
  while (LEN_BASE[l] > len) l--;
  fixedLiteral(w, 257 + l);
  w.bits(len - LEN_BASE[l], LEN_EXTRA[l]);
  let d = 29;
  while (DIST_BASE[d] > dist) d--;
  w.code(d, 5);
  w.bits(dist - DIST_BASE[d], DIST_EXTRA[d]);
}

/** One final fixed-Huffman block; greedy LZ77 with hash chains over a 32 KiB window. */
function deflateFixed(data: Uint8Array, w: BitWriter): void {
  const WINDOW = 32768, MAX_CHAIN = 64, HBITS = 15;
  const head = new Int32Array(1 << HBITS).fill(-1);
  const prev = new Int32Array(WINDOW);
  const hash = (i: number) => (((data[i] << 10) ^ (data[i + 1] << 5) ^ data[i + 2]) & ((1 << HBITS) - 1));
  const insert = (i: number) => { if (i + 2 < data.length) { const h = hash(i); prev[i & (WINDOW - 1)] = head[h]; head[h] = i; } };
  w.bits(1, 1); w.bits(1, 2); // BFINAL, BTYPE=01 fixed
  let i = 0;
  while (i < data.length) {
    let bestLen = 0, bestDist = 0;
    if (i + 2 < data.length) {
      const maxLen = Math.min(258, data.length - i);
      for (let cand = head[hash(i)], chain = 0; cand >= 0 && i - cand <= WINDOW && chain < MAX_CHAIN; cand = prev[cand & (WINDOW - 1)], chain++) {
        let l = 0;
        while (l < maxLen && data[cand + l] === data[i + l]) l++;
        if (l > bestLen) { bestLen = l; bestDist = i - cand; if (l === maxLen) break; }
      }
    }
    if (bestLen >= 3) {
      fixedMatch(w, bestLen, bestDist);
      for (let k = 0; k < bestLen; k++) insert(i + k);
      i += bestLen;
    } else {
      fixedLiteral(w, data[i]);
      insert(i);
      i++;
    }
  }
  fixedLiteral(w, 256);
}

function deflateStored(data: Uint8Array, w: BitWriter): void {
  let i = 0;
  do {
    const n = Math.min(65535, data.length - i);
    w.bits(i + n >= data.length ? 1 : 0, 1); w.bits(0, 2); w.align();
    w.bits(n & 0xffff, 16); w.bits(~n & 0xffff, 16);
    w.bytes(data.subarray(i, i + n));
    i += n;
  } while (i < data.length);
}

export type DeflateMode = 'stored' | 'fixed';

/** A zlib stream (RFC 1950) of data: header 0x78 0x01, deflate blocks, Adler-32. */
export function zlibCompress(data: Uint8Array, mode: DeflateMode = 'fixed'): Uint8Array {
  const w = new BitWriter();
  w.bits(0x78, 8); w.bits(0x01, 8);
  if (mode === 'stored') deflateStored(data, w); else deflateFixed(data, w);
  w.align();
  const a = adler32(data);
  w.bits(a >>> 24, 8); w.bits((a >>> 16) & 0xff, 8); w.bits((a >>> 8) & 0xff, 8); w.bits(a & 0xff, 8);
  return w.result();
}

/** Canonical Huffman table in the form puff.c decodes: codes per length and symbols by code. */
interface Huffman { count: Uint16Array; symbol: Uint16Array }

function huffman(lengths: ArrayLike<number>): Huffman {
  const count = new Uint16Array(16), offs = new Uint16Array(16), symbol = new Uint16Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) count[lengths[i]]++;
  let left = 1;
  for (let len = 1; len < 16; len++) { left = (left << 1) - count[len]; if (left < 0) fail('corrupt deflate stream: over-subscribed Huffman code'); }
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
  for (let i = 0; i < lengths.length; i++) if (lengths[i] !== 0) symbol[offs[lengths[i]]++] = i;
  return { count, symbol };
}

const FIXED_LIT = huffman(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)));
const FIXED_DIST = huffman(new Array(30).fill(5));
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

class Inflater {
  private pos = 0;
  private acc = 0;
  private n = 0;
  out: Uint8Array;
  len = 0;
  constructor(private src: Uint8Array, private limit: number) { this.out = new Uint8Array(Math.min(limit, 1 << 16)); }
  bits(count: number): number {
    while (this.n < count) {
      if (this.pos >= this.src.length) fail('corrupt deflate stream: it ends before its final block');
      this.acc |= this.src[this.pos++] << this.n; this.n += 8;
    }
    const v = this.acc & ((1 << count) - 1);
    this.acc >>>= count; this.n -= count;
    return v;
  }
  put(byte: number): void {
    if (this.len >= this.out.length) {
      if (this.len >= this.limit) fail(`deflate stream inflates past the ${this.limit} bytes expected`);
      const next = new Uint8Array(Math.min(this.limit, this.out.length * 2));
      next.set(this.out); this.out = next;
    }
    this.out[this.len++] = byte;
  }
  decode(h: Huffman): number {
    let code = 0, first = 0, index = 0;
    for (let len = 1; len < 16; len++) {
      code |= this.bits(1);
      const count = h.count[len];
      if (code - first < count) return h.symbol[index + code - first];
      index += count; first = (first + count) << 1; code <<= 1;
    }
    fail('corrupt deflate stream: invalid Huffman code');
  }
  stored(): void {
    this.acc = 0; this.n = 0; // drop to a byte boundary
    if (this.pos + 4 > this.src.length) fail('corrupt deflate stream: truncated stored block header');
    const s = this.src, p = this.pos;
    const len = s[p] | (s[p + 1] << 8), nlen = s[p + 2] | (s[p + 3] << 8);
    if ((len ^ 0xffff) !== nlen) fail('corrupt deflate stream: stored block length check failed');
    if (p + 4 + len > s.length) fail('corrupt deflate stream: truncated stored block');
    for (let i = 0; i < len; i++) this.put(s[p + 4 + i]);
    this.pos = p + 4 + len;
  }
  codes(lit: Huffman, dist: Huffman): void {
    for (;;) {
      const sym = this.decode(lit);
      if (sym < 256) { this.put(sym); continue; }
      if (sym === 256) return;
      const l = sym - 257;
      if (l >= 29) fail(`corrupt deflate stream: length symbol ${sym}`);
      const len = LEN_BASE[l] + this.bits(LEN_EXTRA[l]);
      const d = this.decode(dist);
      if (d >= 30) fail(`corrupt deflate stream: distance symbol ${d}`);
      const back = DIST_BASE[d] + this.bits(DIST_EXTRA[d]);
      if (back > this.len) fail(`corrupt deflate stream: distance ${back} reaches before the start`);
      for (let k = 0; k < len; k++) this.put(this.out[this.len - back]);
    }
  }
  dynamic(): void {
    const nlen = this.bits(5) + 257, ndist = this.bits(5) + 1, ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) fail('corrupt deflate stream: too many length or distance codes');
    const cl = new Uint8Array(19);
    for (let i = 0; i < ncode; i++) cl[CL_ORDER[i]] = this.bits(3);
    const clh = huffman(cl);
    const lengths = new Uint8Array(nlen + ndist);
    for (let i = 0; i < nlen + ndist; ) {
      const sym = this.decode(clh);
      if (sym < 16) { lengths[i++] = sym; continue; }
      let rep = 0, val = 0;
      if (sym === 16) { if (i === 0) fail('corrupt deflate stream: repeat with no previous length'); val = lengths[i - 1]; rep = 3 + this.bits(2); }
      else if (sym === 17) rep = 3 + this.bits(3);
      else rep = 11 + this.bits(7);
      if (i + rep > nlen + ndist) fail('corrupt deflate stream: code lengths overrun');
      while (rep--) lengths[i++] = val;
    }
    this.codes(huffman(lengths.subarray(0, nlen)), huffman(lengths.subarray(nlen)));
  }
  run(): number {
    let final = 0;
    while (!final) {
      final = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(FIXED_LIT, FIXED_DIST);
      else if (type === 2) this.dynamic();
      else fail('corrupt deflate stream: block type 3');
    }
    return this.pos;
  }
}

/** Inflates a zlib stream, refusing to produce more than maxOutput bytes; checks the Adler-32. */
export function zlibDecompress(z: Uint8Array, maxOutput: number): Uint8Array {
  if (z.length < 6) fail(`zlib stream of ${z.length} bytes is too short`);
  if ((z[0] & 0x0f) !== 8 || ((z[0] << 8) | z[1]) % 31 !== 0) fail('bad zlib header');
  if (z[1] & 0x20) fail('zlib streams with a preset dictionary are not supported');
  const inf = new Inflater(z.subarray(2), maxOutput);
  const end = 2 + inf.run();
  if (end + 4 > z.length) fail('zlib stream is missing its Adler-32 trailer');
  const out = inf.out.subarray(0, inf.len);
  const want = ((z[end] << 24) | (z[end + 1] << 16) | (z[end + 2] << 8) | z[end + 3]) >>> 0;
  if (adler32(out) !== want) fail('zlib Adler-32 mismatch: the image data is corrupt');
  return out;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** The filter predictor of type t for byte i of a row (bpp bytes per pixel, prev = row above). */
function predict(t: number, row: Uint8Array, prev: Uint8Array, i: number, bpp: number): number {
  const a = i >= bpp ? row[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
  return t === 0 ? 0 : t === 1 ? a : t === 2 ? b : t === 3 ? (a + b) >> 1 : paeth(a, b, c);
}

/** Filters each row with the type of least sum |signed residual| (the usual heuristic). */
function filterRows(px: Uint8Array, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  const out = new Uint8Array(height * (stride + 1));
  const zero = new Uint8Array(stride), trial = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = px.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? px.subarray((y - 1) * stride, y * stride) : zero;
    let best = -1, bestCost = Infinity;
    for (let t = 0; t < 5; t++) {
      let cost = 0;
      for (let i = 0; i < stride; i++) { const r = (row[i] - predict(t, row, prev, i, bpp)) & 0xff; cost += r < 128 ? r : 256 - r; }
      if (cost < bestCost) { bestCost = cost; best = t; }
    }
    const o = y * (stride + 1);
    out[o] = best;
    for (let i = 0; i < stride; i++) trial[i] = (row[i] - predict(best, row, prev, i, bpp)) & 0xff;
    out.set(trial, o + 1);
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export interface PngOptions {
  /** 'fixed' (default): LZ77 + fixed Huffman; 'stored': no compression, fastest. */
  compression?: DeflateMode;
}

/** Encodes 8-bit RGBA pixels (row-major, width*height*4 bytes) as a PNG file. */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, opts: PngOptions = {}): Uint8Array {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 0x7fffffff) fail(`${name} must be a positive integer, got ${v}`);
  }
  if (rgba.length !== width * height * 4) fail(`expected ${width}x${height}x4 = ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const px = rgba instanceof Uint8Array ? rgba : new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width); dv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filters, no interlace
  const idat = zlibCompress(filterRows(px, width, height, 4), opts.compression ?? 'fixed');
  const parts = [new Uint8Array(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export interface PngImage { width: number; height: number; rgba: Uint8Array }

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Splits a PNG into IHDR fields and the concatenated IDAT bytes, checking every CRC. */
function readChunks(b: Uint8Array): { width: number; height: number; colorType: number; idat: Uint8Array } {
  if (b.length < 8 || SIGNATURE.some((v, i) => b[i] !== v)) fail('not a PNG file (bad signature)');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const idats: Uint8Array[] = [];
  let hdr: { width: number; height: number; colorType: number } | undefined;
  for (let p = 8; ; ) {
    if (p + 12 > b.length) fail('truncated PNG: it ends before IEND');
    const len = dv.getUint32(p), type = String.fromCharCode(...b.subarray(p + 4, p + 8));
    if (len > b.length - p - 12) fail(`truncated PNG: chunk '${type}' declares ${len} bytes`);
    if (crc32(b.subarray(p + 4, p + 8 + len)) !== dv.getUint32(p + 8 + len)) fail(`CRC mismatch in chunk '${type}'`);
    const body = b.subarray(p + 8, p + 8 + len);
    if (type === 'IHDR') {
      if (len !== 13) fail(`IHDR of ${len} bytes (expected 13)`);
      const [depth, colorType, , , interlace] = body.subarray(8);
      if (depth !== 8 || !(colorType in CHANNELS) || interlace !== 0) {
        fail(`unsupported PNG: bit depth ${depth}, colour type ${colorType}, interlace ${interlace} (8-bit non-interlaced grey/RGB/RGBA only)`);
      }
      hdr = { width: dv.getUint32(p + 8), height: dv.getUint32(p + 12), colorType };
    } else if (type === 'IDAT') idats.push(body);
    else if (type === 'IEND') break;
    else if (!(b[p + 4] & 0x20)) fail(`unsupported critical chunk '${type}'`);
    p += 12 + len;
  }
  if (!hdr || idats.length === 0) fail('PNG lacks IHDR or IDAT');
  const idat = new Uint8Array(idats.reduce((s, x) => s + x.length, 0));
  idats.reduce((o, x) => { idat.set(x, o); return o + x.length; }, 0);
  return { ...hdr, idat };
}

/** Decodes an 8-bit non-interlaced grey / grey+alpha / RGB / RGBA PNG to RGBA pixels. */
export function decodePng(bytes: Uint8Array): PngImage {
  const { width, height, colorType, idat } = readChunks(bytes);
  const ch = CHANNELS[colorType], stride = width * ch;
  const need = height * (stride + 1);
  if (width === 0 || height === 0) fail(`invalid image size ${width}x${height}`);
  if (!Number.isSafeInteger(need) || need > idat.length * 1032 + 1024) { // deflate expands at most ~1032x
    fail(`${width}x${height} image cannot come from ${idat.length} bytes of compressed data`);
  }
  const raw = zlibDecompress(idat, need);
  if (raw.length !== need) fail(`image data inflates to ${raw.length} bytes, expected ${need}`);
  const px = new Uint8Array(height * stride);
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const t = raw[y * (stride + 1)];
    if (t > 4) fail(`unknown filter type ${t} on row ${y}`);
    const row = px.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? px.subarray((y - 1) * stride, y * stride) : zero;
    for (let i = 0; i < stride; i++) row[i] = (raw[y * (stride + 1) + 1 + i] + predict(t, row, prev, i, ch)) & 0xff;
  }
  const rgba = new Uint8Array(width * height * 4);
  const src = ch === 1 ? [0, 0, 0, -1] : ch === 2 ? [0, 0, 0, 1] : ch === 3 ? [0, 1, 2, -1] : [0, 1, 2, 3]; // -1: opaque
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 4; k++) rgba[i * 4 + k] = src[k] < 0 ? 255 : px[i * ch + src[k]];
  }
  return { width, height, rgba };
}
