/**
 * WAV (RIFF/WAVE) reader and writer on bytes in memory, the same in Node and the browser.
 *
 * Reads PCM 8 (unsigned) / 16 / 24 / 32-bit, IEEE float 32 and 64, plain or
 * WAVE_FORMAT_EXTENSIBLE, any channel count (up to MAX_CHANNELS) and any sample rate.
 * Writes PCM 8/16/24/32, f32 and f64.
 *
 * Sample convention: a PCM sample of container width b bits maps to float as
 * `int / 2^(b-1)` (8-bit is unsigned, `(u - 128) / 128`), so the range is [-1, 1 - 2^(1-b)].
 * Writing is the inverse: `rint(clamp(x, -1, 1) * 2^(b-1))` with round-half-to-even, clipped to
 * the largest code, so write(read(file)) reproduces every PCM code exactly and
 * |read(write(x)) - x| <= 2^-b for x in [-1, 1 - 2^(1-b)]. (libsndfile reads the same way but
 * writes with 2^(b-1) - 1.) Float samples pass through unscaled and unclamped; f64 is narrowed
 * to float32. Extensible files with fewer valid bits than the container are scaled by the
 * container, since their samples are left-justified.
 *
 * Strictness (each failure is a WaveGpuError with op 'wav' saying what was found):
 *  - any chunk, data included, whose declared size runs past the end of the bytes is rejected as
 *    truncated; nothing is ever read past the buffer, and the output never holds more samples
 *    than the data chunk's bytes;
 *  - the data size must be a whole number of frames (block align), block align must equal
 *    channels * container bytes, channels and sample rate must be non-zero;
 *  - compressed or unknown formats are rejected naming their tag (e.g. 0x0055 MP3);
 *  - unknown chunks (LIST, fact, bext, cue, junk, ...) are skipped with their pad byte; a missing
 *    pad byte after an odd chunk is tolerated, as is a RIFF size larger than the file (the
 *    chunks' own sizes decide) and fewer than 8 stray bytes after the last chunk; bytes after a
 *    RIFF size smaller than the file are ignored (appended tags and the like).
 */
import { WaveGpuError } from '../runtime/errors.js';

export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'f32' | 'f64';

export interface WavFormat {
  /** Container format; pass it back to writeWav to write the same layout. */
  sampleFormat: WavSampleFormat;
  /** The fmt chunk's tag: 0x0001 PCM, 0x0003 IEEE float or 0xFFFE extensible. */
  formatTag: number;
  extensible: boolean;
  /** Container width of one sample. */
  bitsPerSample: number;
  /** Meaningful bits (<= bitsPerSample); from the extensible header or a plain header's odd width. */
  validBits: number;
  /** Bytes per frame (all channels). */
  blockAlign: number;
  /** Speaker mask of an extensible file, 0 otherwise. */
  channelMask: number;
}

export interface Wav {
  sampleRate: number;
  /** Planar samples, one Float32Array of `frames` values per channel. */
  channels: Float32Array[];
  format: WavFormat;
}

export interface WriteWavOptions {
  /** Default 'pcm16'. */
  format?: WavSampleFormat;
  /** Write WAVE_FORMAT_EXTENSIBLE (default false: the plain header every reader knows). */
  extensible?: boolean;
  /** Speaker mask for extensible files; default 0x4 mono, 0x3 stereo, 0 (unassigned) otherwise. */
  channelMask?: number;
}

/** A guard against absurd headers; real multichannel/ambisonic files stay far below it. */
export const MAX_CHANNELS = 1024;

const TAG_PCM = 0x0001;
const TAG_FLOAT = 0x0003;
const TAG_EXTENSIBLE = 0xfffe;
/** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs (bytes 0..1 hold the format tag). */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Names for the tags people meet, so the error says what the file is. */
const TAG_NAMES: Record<number, string> = {
  0x0000: 'unknown/invalid', 0x0002: 'Microsoft ADPCM', 0x0006: 'A-law', 0x0007: 'mu-law',
  0x0010: 'OKI ADPCM', 0x0011: 'IMA ADPCM', 0x0031: 'GSM 6.10', 0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG-1 Layer I/II', 0x0055: 'MPEG Layer III (MP3)', 0x00ff: 'AAC', 0x0161: 'Windows Media Audio',
  0x1610: 'HE-AAC', 0x2000: 'Dolby AC-3', 0x2001: 'DTS', 0xf1ac: 'FLAC',
};

const BITS: Record<WavSampleFormat, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, f32: 32, f64: 64 };

function fail(msg: string): never {
  throw new WaveGpuError('wav', msg);
}

const hex4 = (v: number): string => '0x' + v.toString(16).toUpperCase().padStart(4, '0');

function u16(b: Uint8Array, p: number): number { return b[p] | (b[p + 1] << 8); }
function u32(b: Uint8Array, p: number): number { return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0; }

/** The four bytes at p as text, non-printable bytes escaped; `ok` says whether all were printable. */
function fourcc(b: Uint8Array, p: number): { id: string; ok: boolean } {
  let id = '', ok = true;
  for (let i = 0; i < 4; i++) {
    const c = b[p + i];
    if (c >= 0x20 && c <= 0x7e) id += String.fromCharCode(c);
    else { id += '\\x' + c.toString(16).padStart(2, '0'); ok = false; }
  }
  return { id, ok };
}

interface Span { off: number; size: number }

function checkRiffHeader(b: Uint8Array): number {
  if (b.length < 12) fail(`${b.length} bytes is too short for a WAV file (the RIFF header alone is 12 bytes)`);
  const riff = fourcc(b, 0).id, wave = fourcc(b, 8).id;
  if (riff === 'RIFX') fail('big-endian RIFX files are not supported');
  if (riff === 'RF64' || riff === 'BW64') fail(`${riff} (64-bit RIFF) files are not supported`);
  if (riff !== 'RIFF' || wave !== 'WAVE') fail(`not a WAV file: expected 'RIFF....WAVE', found '${riff}....${wave}'`);
  const riffSize = u32(b, 4);
  if (riffSize < 4) fail(`RIFF size ${riffSize} is too small to hold the 'WAVE' id`);
  return Math.min(b.length, 8 + riffSize);
}

/** Walks the chunk list; returns the fmt and data chunks. */
function findChunks(b: Uint8Array): { fmt: Span; data: Span } {
  const end = checkRiffHeader(b);
  const n = b.length;
  let fmt: Span | undefined, data: Span | undefined;
  let pos = 12, prevOdd = false;
  while (pos + 8 <= end) {
    let cc = fourcc(b, pos);
    // A writer that forgot the pad byte after an odd chunk leaves the next id one byte early.
    if (!cc.ok && prevOdd && fourcc(b, pos - 1).ok) { pos -= 1; cc = fourcc(b, pos); }
    if (!cc.ok) fail(`invalid chunk id '${cc.id}' at byte ${pos}: the previous chunk's size is wrong or the file is corrupt`);
    const size = u32(b, pos + 4), body = pos + 8;
    if (size > n - body) {
      if (cc.id === 'data') fail(`truncated file: the data chunk declares ${size} bytes but only ${n - body} follow its header`);
      fail(`truncated file or corrupt size: chunk '${cc.id}' at byte ${pos} declares ${size} bytes but only ${n - body} follow its header`);
    }
    if (cc.id === 'fmt ') {
      if (fmt) fail(`a second 'fmt ' chunk at byte ${pos}`);
      fmt = { off: body, size };
    } else if (cc.id === 'data') {
      if (data) fail(`a second 'data' chunk at byte ${pos}`);
      data = { off: body, size };
    }
    prevOdd = (size & 1) === 1;
    pos = body + size + (size & 1);
  }
  const within = end < n ? ` within the RIFF size of ${end - 8} bytes (the file holds ${n - 8} after the header)` : '';
  if (!fmt) fail(`no 'fmt ' chunk${within}`);
  if (!data) fail(`no 'data' chunk${within}`);
  return { fmt, data };
}

function tagName(tag: number): string {
  return `${hex4(tag)}${TAG_NAMES[tag] ? ` ${TAG_NAMES[tag]}` : ''}`;
}

/** Reads the extensible tail (cbSize >= 22): valid bits, channel mask, sub-format tag. */
function parseExtensible(b: Uint8Array, f: Span): { tag: number; validBits: number; channelMask: number } {
  if (f.size < 40) fail(`WAVE_FORMAT_EXTENSIBLE needs a 40-byte fmt chunk, found ${f.size} bytes`);
  const cbSize = u16(b, f.off + 16);
  if (cbSize < 22) fail(`WAVE_FORMAT_EXTENSIBLE needs cbSize >= 22, found ${cbSize}`);
  const g = f.off + 24;
  if (GUID_TAIL.some((v, i) => b[g + 2 + i] !== v)) {
    const guid = Array.from(b.subarray(g, g + 16), (v) => v.toString(16).padStart(2, '0')).join('');
    fail(`unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID ${guid} (only PCM and IEEE float)`);
  }
  return { tag: u16(b, g), validBits: u16(b, f.off + 18), channelMask: u32(b, f.off + 20) };
}

/** Parses and validates the fmt chunk. */
function parseFmt(b: Uint8Array, f: Span): { format: WavFormat; channels: number; sampleRate: number } {
  if (f.size < 16) fail(`fmt chunk of ${f.size} bytes is shorter than the 16 a format needs`);
  const formatTag = u16(b, f.off), channels = u16(b, f.off + 2), sampleRate = u32(b, f.off + 4);
  const blockAlign = u16(b, f.off + 12), bits = u16(b, f.off + 14);
  const extensible = formatTag === TAG_EXTENSIBLE;
  const ext = extensible ? parseExtensible(b, f) : { tag: formatTag, validBits: 0, channelMask: 0 };
  if (ext.tag !== TAG_PCM && ext.tag !== TAG_FLOAT) {
    const where = extensible ? ' (WAVE_FORMAT_EXTENSIBLE sub-format)' : '';
    fail(`unsupported format tag ${tagName(ext.tag)}${where}: only PCM (0x0001) and IEEE float (0x0003) are read; decode compressed audio first`);
  }
  if (channels === 0) fail('the fmt chunk declares 0 channels');
  if (channels > MAX_CHANNELS) fail(`the fmt chunk declares ${channels} channels, more than the reader's limit of ${MAX_CHANNELS}`);
  if (sampleRate === 0) fail('the fmt chunk declares a sample rate of 0 Hz');
  const isFloat = ext.tag === TAG_FLOAT;
  if (bits === 0 || (extensible && bits % 8 !== 0)) fail(`invalid bits per sample ${bits}${bits ? ' (an extensible container is whole bytes)' : ''}`);
  const bytes = Math.ceil(bits / 8);
  if (isFloat && bits !== 32 && bits !== 64) fail(`IEEE float samples of ${bits} bits are not supported (32 or 64)`);
  if (!isFloat && bytes > 4) fail(`PCM samples of ${bits} bits are not supported (8, 16, 24 or 32)`);
  const validBits = ext.validBits === 0 ? bits : ext.validBits;
  if (validBits > bytes * 8) fail(`${validBits} valid bits do not fit a ${bytes * 8}-bit container`);
  if (blockAlign !== channels * bytes) {
    fail(`block align mismatch: ${blockAlign} bytes per frame declared, but ${channels} channel(s) of ${bytes * 8}-bit samples need ${channels * bytes}`);
  }
  const sampleFormat: WavSampleFormat = isFloat ? (bits === 32 ? 'f32' : 'f64') : (['pcm8', 'pcm16', 'pcm24', 'pcm32'] as const)[bytes - 1];
  const format: WavFormat = {
    sampleFormat, formatTag, extensible, bitsPerSample: bytes * 8,
    validBits: isFloat ? bits : validBits, blockAlign, channelMask: ext.channelMask,
  };
  return { format, channels, sampleRate };
}

/** Sample reader at byte offset p of dv, already scaled to float. */
function sampleReader(dv: DataView, sf: WavSampleFormat): (p: number) => number {
  switch (sf) {
    case 'pcm8': return (p) => (dv.getUint8(p) - 128) / 128;
    case 'pcm16': return (p) => dv.getInt16(p, true) / 32768;
    case 'pcm24': return (p) => (dv.getUint8(p) | (dv.getUint8(p + 1) << 8) | (dv.getInt8(p + 2) << 16)) / 8388608;
    case 'pcm32': return (p) => dv.getInt32(p, true) / 2147483648;
    case 'f32': return (p) => dv.getFloat32(p, true);
    case 'f64': return (p) => dv.getFloat64(p, true);
  }
}

/**
 * Parses a WAV file held in memory. Never reads outside `bytes`; the samples it allocates are
 * at most the data chunk's byte count (4 bytes of float per 1-8 bytes of input).
 */
export function readWav(bytes: Uint8Array): Wav {
  if (!(bytes instanceof Uint8Array)) fail('readWav expects a Uint8Array');
  const { fmt, data } = findChunks(bytes);
  const { format, channels, sampleRate } = parseFmt(bytes, fmt);
  if (data.size % format.blockAlign !== 0) {
    fail(`data chunk of ${data.size} bytes is not a whole number of ${format.blockAlign}-byte frames`);
  }
  const frames = data.size / format.blockAlign;
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  const dv = new DataView(bytes.buffer, bytes.byteOffset + data.off, data.size);
  const read = sampleReader(dv, format.sampleFormat);
  const step = format.bitsPerSample / 8;
  let p = 0;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++, p += step) out[c][f] = read(p);
  }
  return { sampleRate, channels: out, format };
}

/** Round half to even (as numpy's rint and C's lrint under the default rounding mode). */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Sample writer at byte offset p of dv; PCM values are clamped and rounded. */
function sampleWriter(dv: DataView, sf: WavSampleFormat): (p: number, x: number) => void {
  const pcm = (bits: number) => {
    const s = 2 ** (bits - 1);
    return (x: number) => Math.min(s - 1, rint(Math.max(-1, Math.min(1, x)) * s));
  };
  switch (sf) {
    case 'pcm8': { const q = pcm(8); return (p, x) => dv.setUint8(p, q(x) + 128); }
    case 'pcm16': { const q = pcm(16); return (p, x) => dv.setInt16(p, q(x), true); }
    case 'pcm24': {
      const q = pcm(24);
      return (p, x) => { const v = q(x); dv.setUint8(p, v & 0xff); dv.setUint8(p + 1, (v >> 8) & 0xff); dv.setUint8(p + 2, (v >> 16) & 0xff); };
    }
    case 'pcm32': { const q = pcm(32); return (p, x) => dv.setInt32(p, q(x), true); }
    case 'f32': return (p, x) => dv.setFloat32(p, x, true);
    case 'f64': return (p, x) => dv.setFloat64(p, x, true);
  }
}

function defaultMask(channels: number): number {
  return channels === 1 ? 0x4 : channels === 2 ? 0x3 : 0;
}

/** Writes the RIFF, fmt (and for float, fact) and data headers; returns the data offset. */
function writeHeader(dv: DataView, o: { sf: WavSampleFormat; ext: boolean; mask: number; nch: number; rate: number; frames: number; riffSize: number }): number {
  const isFloat = o.sf === 'f32' || o.sf === 'f64';
  const bits = BITS[o.sf], blockAlign = o.nch * bits / 8;
  const fmtSize = o.ext ? 40 : isFloat ? 18 : 16;
  const tag = isFloat ? TAG_FLOAT : TAG_PCM;
  const id = (p: number, s: string) => { for (let i = 0; i < 4; i++) dv.setUint8(p + i, s.charCodeAt(i)); };
  id(0, 'RIFF'); dv.setUint32(4, o.riffSize, true); id(8, 'WAVE');
  id(12, 'fmt '); dv.setUint32(16, fmtSize, true);
  dv.setUint16(20, o.ext ? TAG_EXTENSIBLE : tag, true);
  dv.setUint16(22, o.nch, true); dv.setUint32(24, o.rate, true);
  dv.setUint32(28, o.rate * blockAlign, true); dv.setUint16(32, blockAlign, true); dv.setUint16(34, bits, true);
  let p = 36;
  if (fmtSize >= 18) { dv.setUint16(p, fmtSize - 18, true); p += 2; }
  if (o.ext) {
    dv.setUint16(p, bits, true); dv.setUint32(p + 2, o.mask, true); dv.setUint16(p + 6, tag, true);
    GUID_TAIL.forEach((v, i) => dv.setUint8(p + 8 + i, v));
    p += 22;
  }
  if (isFloat) { id(p, 'fact'); dv.setUint32(p + 4, 4, true); dv.setUint32(p + 8, o.frames, true); p += 12; }
  id(p, 'data'); dv.setUint32(p + 4, o.frames * blockAlign, true);
  return p + 8;
}

/**
 * Encodes planar channels (or one mono Float32Array) as a WAV file. PCM formats clamp to [-1, 1]
 * and round half to even; float formats store the values as they are.
 */
export function writeWav(channels: Float32Array[] | Float32Array, sampleRate: number, opts: WriteWavOptions = {}): Uint8Array {
  const chans = toChannels(channels);
  const sf = opts.format ?? 'pcm16';
  if (!(sf in BITS)) fail(`unknown sample format '${String(sf)}' (pcm8, pcm16, pcm24, pcm32, f32 or f64)`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff) fail(`sample rate must be a positive integer below 2^32, got ${sampleRate}`);
  const nch = chans.length, frames = chans[0].length;
  if (nch > MAX_CHANNELS) fail(`${nch} channels is more than the limit of ${MAX_CHANNELS}`);
  const ext = opts.extensible ?? false;
  const isFloat = sf === 'f32' || sf === 'f64';
  const blockAlign = nch * BITS[sf] / 8;
  if (blockAlign > 0xffff || sampleRate * blockAlign > 0xffffffff) fail(`${nch} channels of ${sf} at ${sampleRate} Hz overflow the header's 32-bit byte rate`);
  const dataSize = frames * blockAlign;
  const headerSize = 12 + 8 + (ext ? 40 : isFloat ? 18 : 16) + (isFloat ? 12 : 0) + 8;
  const total = headerSize + dataSize + (dataSize & 1);
  if (total - 8 > 0xffffffff) fail(`${dataSize} bytes of audio exceed the 4 GiB a RIFF file can hold; write shorter files`);
  if (!isFloat) checkFinite(chans);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const mask = opts.channelMask ?? defaultMask(nch);
  const start = writeHeader(dv, { sf, ext, mask, nch, rate: sampleRate, frames, riffSize: total - 8 });
  const write = sampleWriter(dv, sf);
  const step = BITS[sf] / 8;
  let p = start;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < nch; c++, p += step) write(p, chans[c][f]);
  }
  return out;
}

function checkFinite(chans: Float32Array[]): void {
  chans.forEach((ch, c) => {
    const i = ch.findIndex((v) => Number.isNaN(v));
    if (i >= 0) fail(`channel ${c} holds NaN at frame ${i}; PCM cannot represent it`);
  });
}

/**
 * Planar channels from planar input (validated: at least one, equal lengths) or from one
 * interleaved Float32Array of `channelCount` channels (1: the array itself is the only channel).
 */
export function toChannels(x: Float32Array | Float32Array[], channelCount = 1): Float32Array[] {
  if (x instanceof Float32Array) {
    if (!Number.isInteger(channelCount) || channelCount < 1) fail(`channel count must be a positive integer, got ${channelCount}`);
    if (channelCount === 1) return [x];
    if (x.length % channelCount !== 0) fail(`${x.length} interleaved samples are not a whole number of ${channelCount}-channel frames`);
    const frames = x.length / channelCount;
    const out = Array.from({ length: channelCount }, () => new Float32Array(frames));
    for (let f = 0, p = 0; f < frames; f++) for (let c = 0; c < channelCount; c++) out[c][f] = x[p++];
    return out;
  }
  if (!Array.isArray(x) || x.length === 0) fail('expected a Float32Array or a non-empty array of Float32Array channels');
  x.forEach((ch, c) => {
    if (!(ch instanceof Float32Array)) fail(`channel ${c} is not a Float32Array`);
    if (ch.length !== x[0].length) fail(`channel ${c} has ${ch.length} samples but channel 0 has ${x[0].length}`);
  });
  return x;
}

/** Interleaves planar channels into one Float32Array, frame by frame. */
export function interleave(channels: Float32Array[]): Float32Array {
  const chans = toChannels(channels);
  const nch = chans.length, frames = chans[0].length;
  const out = new Float32Array(nch * frames);
  for (let c = 0; c < nch; c++) { const ch = chans[c]; for (let f = 0; f < frames; f++) out[f * nch + c] = ch[f]; }
  return out;
}

/** Mono mix: the mean of the channels (a copy even for one channel). */
export function downmix(channels: Float32Array[] | Float32Array): Float32Array {
  const chans = toChannels(channels);
  const frames = chans[0].length;
  if (chans.length === 1) return chans[0].slice();
  const acc = new Float64Array(frames);
  for (const ch of chans) for (let f = 0; f < frames; f++) acc[f] += ch[f];
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) out[f] = acc[f] / chans.length;
  return out;
}
