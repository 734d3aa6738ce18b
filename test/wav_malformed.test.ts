/**
 * Malformed WAV corpus (each case built here from a readable recipe, plus real compressed files
 * from libsndfile) and a seeded mutation fuzz: readWav must reject bad input with a WaveGpuError
 * that says what is wrong, and never throw anything else.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readWav, writeWav, MAX_CHANNELS } from '../src/audio/wav.js';
import { WaveGpuError } from '../src/runtime/errors.js';
import { readFile, readText } from './util/io.js';
import { assertThrows, randn, rng } from './util/check.js';

const t = suite('wav_malformed');
const DIR = 'test/fixtures/wav';

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const le = (v: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(v / 2 ** (8 * i)) & 0xff);

/** A chunk: id, size (declared; default the body's), body, pad byte when odd (default). */
function chunk(id: string, body: number[], o: { size?: number; pad?: boolean } = {}): number[] {
  const pad = (o.pad ?? true) && body.length % 2 === 1 ? [0] : [];
  return [...ascii(id), ...le(o.size ?? body.length, 4), ...body, ...pad];
}

function riff(chunks: number[][], o: { size?: number; id?: string; form?: string } = {}): Uint8Array {
  const body = [...ascii(o.form ?? 'WAVE'), ...chunks.flat()];
  return new Uint8Array([...ascii(o.id ?? 'RIFF'), ...le(o.size ?? body.length, 4), ...body]);
}

interface Fmt { tag?: number; ch?: number; rate?: number; bits?: number; align?: number; cb?: number; ext?: { valid?: number; mask?: number; sub?: number; guid?: number[]; cb?: number } }

/** fmt chunk body; defaults to 16-bit stereo PCM at 8 kHz. */
function fmt(f: Fmt = {}): number[] {
  const ch = f.ch ?? 2, bits = f.bits ?? 16, rate = f.rate ?? 8000;
  const align = f.align ?? ch * Math.ceil(bits / 8);
  const out = [...le(f.tag ?? (f.ext ? 0xfffe : 1), 2), ...le(ch, 2), ...le(rate, 4), ...le(rate * align, 4), ...le(align, 2), ...le(bits, 2)];
  if (f.ext) {
    const tail = f.ext.guid ?? [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
    out.push(...le(f.ext.cb ?? 22, 2), ...le(f.ext.valid ?? bits, 2), ...le(f.ext.mask ?? 0, 4), ...le(f.ext.sub ?? 1, 2), ...tail);
  } else if (f.cb !== undefined) out.push(...le(f.cb, 2));
  return out;
}

const DATA8 = [1, 2, 3, 4, 5, 6, 7, 8]; // two stereo 16-bit frames
const wav = (f: Fmt = {}, data = DATA8, extra: number[][] = []): Uint8Array => riff([chunk('fmt ', fmt(f)), ...extra, chunk('data', data)]);

/** [what, bytes, patterns the message must match]. */
const CORPUS: [string, Uint8Array, ...RegExp[]][] = [
  ['empty input', new Uint8Array(0), /0 bytes is too short/],
  ['11 bytes', new Uint8Array(ascii('RIFF\x04\x00\x00\x00WAV')), /11 bytes is too short/],
  ['not RIFF', new Uint8Array([...ascii('OggS'), 0, 0, 0, 0, ...ascii('WAVEfmt ')]), /not a WAV file.*found 'OggS/],
  ['RIFF but not WAVE', riff([], { form: 'AVI ' }), /not a WAV file.*'RIFF....AVI '/],
  ['big-endian RIFX', riff([chunk('fmt ', fmt())], { id: 'RIFX' }), /big-endian RIFX/],
  ['RF64', riff([chunk('fmt ', fmt())], { id: 'RF64' }), /RF64 \(64-bit RIFF\)/],
  ['RIFF size below 4', riff([chunk('fmt ', fmt())], { size: 2 }), /RIFF size 2 is too small/],
  ['no fmt chunk', riff([chunk('data', DATA8)]), /no 'fmt ' chunk/],
  ['RIFF size ends before data', riff([chunk('fmt ', fmt()), chunk('data', DATA8)], { size: 28 }), /no 'data' chunk within the RIFF size of 28 bytes \(the file holds 44/],
  ['no data chunk', riff([chunk('fmt ', fmt()), chunk('LIST', [1, 2, 3])]), /no 'data' chunk/],
  ['truncated data', wav().subarray(0, 44 + 5), /truncated file: the data chunk declares 8 bytes but only 5 follow/],
  ['huge data size 0xFFFFFFFF', riff([chunk('fmt ', fmt()), chunk('data', DATA8, { size: 0xffffffff })]), /truncated.*data chunk declares 4294967295 bytes but only 8/],
  ['huge data size 0x7FFFFFF0', riff([chunk('fmt ', fmt()), chunk('data', DATA8, { size: 0x7ffffff0 })]), /declares 2147483632 bytes/],
  ['fmt size beyond the file', riff([chunk('fmt ', fmt(), { size: 1 << 30 })]), /chunk 'fmt ' at byte 12 declares 1073741824 bytes but only 16 follow/],
  ['LIST size beyond the file', wav({}, DATA8, [chunk('LIST', [1, 2], { size: 999 })]), /chunk 'LIST' at byte 36 declares 999 bytes/],
  ['fmt chunk of 14 bytes', riff([chunk('fmt ', fmt().slice(0, 14)), chunk('data', DATA8)]), /fmt chunk of 14 bytes is shorter than the 16/],
  ['zero channels', wav({ ch: 0, align: 0 }), /declares 0 channels/],
  ['too many channels', wav({ ch: 2000, bits: 8 }, Array(2000).fill(0)), /2000 channels, more than the reader's limit of 1024/],
  ['sample rate 0', wav({ rate: 0 }), /sample rate of 0 Hz/],
  ['0 bits per sample', wav({ bits: 0, align: 4 }), /invalid bits per sample 0/],
  ['40-bit PCM', wav({ bits: 40 }, Array(10).fill(0)), /PCM samples of 40 bits are not supported/],
  ['16-bit float', wav({ tag: 3, bits: 16 }), /IEEE float samples of 16 bits are not supported/],
  ['block align mismatch', wav({ align: 2 }), /block align mismatch: 2 bytes per frame declared, but 2 channel\(s\) of 16-bit samples need 4/],
  ['partial frame', wav({}, [1, 2, 3, 4, 5, 6]), /data chunk of 6 bytes is not a whole number of 4-byte frames/],
  ['MP3 tag', wav({ tag: 0x55 }), /unsupported format tag 0x0055 MPEG Layer III \(MP3\)/],
  ['MS ADPCM tag', wav({ tag: 0x2, bits: 4, align: 256 }), /unsupported format tag 0x0002 Microsoft ADPCM/],
  ['unknown tag', wav({ tag: 0x1234 }), /unsupported format tag 0x1234: only PCM/],
  ['extensible with an 18-byte fmt', wav({ tag: 0xfffe, cb: 0 }), /needs a 40-byte fmt chunk, found 18/],
  ['extensible cbSize 10', wav({ ext: { cb: 10 } }), /cbSize >= 22, found 10/],
  ['extensible MP3 sub-format', wav({ ext: { sub: 0x55 } }), /0x0055 MPEG Layer III \(MP3\) \(WAVE_FORMAT_EXTENSIBLE sub-format\)/],
  ['extensible foreign GUID', wav({ ext: { guid: Array(14).fill(7) } }), /sub-format GUID 010007070707/],
  ['extensible 12-bit container', wav({ ext: {}, bits: 12, align: 4 }), /invalid bits per sample 12/],
  ['valid bits above the container', wav({ ext: { valid: 20 } }), /20 valid bits do not fit a 16-bit container/],
  ['two fmt chunks', riff([chunk('fmt ', fmt()), chunk('fmt ', fmt()), chunk('data', DATA8)]), /a second 'fmt ' chunk at byte 36/],
  ['two data chunks', riff([chunk('fmt ', fmt()), chunk('data', DATA8), chunk('data', DATA8)]), /a second 'data' chunk/],
  ['garbage chunk id', riff([chunk('fmt ', fmt()), [0, 1, 2, 3, 0, 0, 0, 0], chunk('data', DATA8)]), /invalid chunk id '\\x00\\x01\\x02\\x03' at byte 36/],
  ['chunk size off by 3', riff([chunk('fmt ', fmt()), chunk('LIST', [1, 2, 3, 4, 5, 6], { size: 3 }), chunk('data', DATA8)]), /invalid chunk id|truncated|no 'data'/],
];

t('every malformed file is rejected with a WaveGpuError that names the problem', async () => {
  for (const [what, bytes, ...patterns] of CORPUS) {
    const e = await assertThrows(() => readWav(bytes), /^wav: /, ...patterns).catch((err) => { throw new Error(`${what}: ${err.message}`); });
    assert.ok(e instanceof WaveGpuError && e.op === 'wav', what);
  }
  console.log(`  ${CORPUS.length} malformed cases`);
});

t('the recipes above are right: the same files with the faults fixed read fine', () => {
  assert.is(readWav(wav()).channels[0].length, 2);
  assert.is(readWav(wav({ ext: {} })).format.extensible, true);
  assert.is(readWav(wav({ ch: MAX_CHANNELS, bits: 8 }, Array(MAX_CHANNELS).fill(128))).channels.length, MAX_CHANNELS);
  assert.is(readWav(wav({}, DATA8, [chunk('LIST', [1, 2, 3])])).channels.length, 2);
});

t('real compressed WAVs written by libsndfile are rejected naming their format tag', async () => {
  const m = JSON.parse(await readText(`${DIR}/manifest.json`)) as { compressed: { file: string; tag: string; extensible: boolean }[] };
  assert.ok(m.compressed.length >= 6);
  for (const e of m.compressed) {
    const tag = new RegExp(`unsupported format tag ${e.tag}${e.extensible ? '.*sub-format' : ''}`);
    const bytes = await readFile(`${DIR}/${e.file}`);
    await assertThrows(() => readWav(bytes), /^wav: /, tag);
  }
});

t('a truncated real file is rejected at every cut inside its data', async () => {
  const full = await readFile(`${DIR}/pcm24_3ch_22050.wav`);
  for (let n = 45; n < full.length; n += 7) {
    await assertThrows(() => readWav(full.slice(0, n)), /truncated file: the data chunk declares 207 bytes/);
  }
  for (let n = 0; n < 44; n++) assert.throws(() => readWav(full.slice(0, n)), (e: unknown) => e instanceof WaveGpuError);
});

/** Seeds: every fixture that reads, plus writer output of each format. */
async function seeds(): Promise<Uint8Array[]> {
  const m = JSON.parse(await readText(`${DIR}/manifest.json`)) as { read: { file: string }[] };
  const out = await Promise.all(m.read.map((e) => readFile(`${DIR}/${e.file}`)));
  for (const format of ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'f32', 'f64'] as const) {
    out.push(writeWav([randn(13, 1), randn(13, 2)], 44100, { format, extensible: format === 'pcm24' }));
  }
  return out;
}

const EXTREMES = [0, 1, 2, 3, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffe, 0x55];

/** Applies 1-3 random mutations: byte noise, extreme u16/u32 in the headers, cuts, inserts, deletes. */
function mutate(src: Uint8Array, r: () => number): Uint8Array {
  let b = src.slice();
  const pick = (n: number) => Math.floor(r() * n);
  const headerPos = (w: number) => Math.max(0, Math.min(b.length - w, r() < 0.7 ? pick(80) : pick(b.length)));
  for (let k = 1 + pick(3); k > 0 && b.length > 4; k--) {
    const op = pick(7);
    if (op === 0) for (let j = 1 + pick(4); j > 0; j--) b[pick(b.length)] = pick(256);
    else if (op === 1 || op === 2) {
      const w = op === 1 ? 4 : 2, p = headerPos(w), v = r() < 0.6 ? EXTREMES[pick(EXTREMES.length)] : pick(2 ** (8 * w));
      for (let i = 0; i < w; i++) b[p + i] = Math.floor(v / 2 ** (8 * i)) & 0xff;
    } else if (op === 3) b = b.slice(0, pick(b.length));
    else if (op === 4) { const p = pick(b.length), n = 1 + pick(9); b = new Uint8Array([...b.subarray(0, p), ...Array.from({ length: n }, () => pick(256)), ...b.subarray(p)]); }
    else if (op === 5) { const p = pick(b.length); b = new Uint8Array([...b.subarray(0, p), ...b.subarray(p + 1 + pick(8))]); }
    else { const p = headerPos(1); b[p] = (b[p] + (r() < 0.5 ? 1 : 255)) & 0xff; }
  }
  return b;
}

t('fuzz: 5000 seeded mutations either read consistently or throw WaveGpuError', async () => {
  const base = await seeds();
  const r = rng(20240601);
  let ok = 0, rejected = 0;
  const t0 = performance.now();
  for (let i = 0; i < 5000; i++) {
    const bytes = mutate(base[i % base.length], r);
    let w;
    try { w = readWav(bytes); } catch (e) {
      if (!(e instanceof WaveGpuError) || e.op !== 'wav' || !e.message.startsWith('wav: ')) {
        assert.unreachable(`mutation ${i} threw a non-library error: ${String(e)}`);
      }
      rejected++;
      continue;
    }
    ok++;
    const frames = w.channels[0].length;
    assert.ok(w.channels.length >= 1 && w.channels.length <= MAX_CHANNELS, `mutation ${i}: ${w.channels.length} channels`);
    assert.ok(w.channels.every((c) => c.length === frames), `mutation ${i}: ragged channels`);
    assert.ok(frames * w.format.blockAlign <= bytes.length, `mutation ${i}: more samples than bytes`);
    assert.ok(w.sampleRate > 0, `mutation ${i}: sample rate`);
  }
  const ms = performance.now() - t0;
  console.log(`  fuzz: ${ok} read, ${rejected} rejected in ${ms.toFixed(0)} ms`);
  assert.ok(ok > 100 && rejected > 1000, 'the mutations should exercise both outcomes');
});

t.run();
