/**
 * WAV reading against files written by Python's wave / libsndfile / struct (fixtures made by
 * scripts/fixtures/wav.py), byte-exact writer goldens, round trips for every format and channel
 * count, and the channel helpers. Malformed input and fuzzing live in wav_malformed.test.ts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readWav, writeWav, toChannels, interleave, downmix, type WavSampleFormat } from '../src/audio/wav.js';
import { WaveGpuError } from '../src/runtime/errors.js';
import { readFile, readText } from './util/io.js';
import { assertClose, assertThrows, loadNpy, randn, rng } from './util/check.js';

const t = suite('wav');
const DIR = 'test/fixtures/wav';

interface ReadEntry {
  file: string; npy: string; sampleRate: number; channels: number; frames: number;
  sampleFormat: WavSampleFormat; formatTag: number; validBits: number; channelMask?: number;
}
interface WriteEntry { file: string; input: string; sampleRate: number; format: WavSampleFormat; extensible?: boolean }
interface Manifest { read: ReadEntry[]; write: WriteEntry[] }

const manifest = async (): Promise<Manifest> => JSON.parse(await readText(`${DIR}/manifest.json`));

/** (frames, channels) row-major -> planar. */
function planar(data: ArrayLike<number>, frames: number, channels: number): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => Float32Array.from({ length: frames }, (_, f) => data[f * channels + c]));
}

function assertBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  const n = Math.min(actual.length, expected.length);
  let i = 0;
  while (i < n && actual[i] === expected[i]) i++;
  if (i < n || actual.length !== expected.length) {
    assert.unreachable(`${what}: ${actual.length} vs ${expected.length} bytes, first difference at byte ${i} (${actual[i]} vs ${expected[i]})`);
  }
}

const EXACT = { atol: 0, rtol: 0 };
const FORMATS: WavSampleFormat[] = ['pcm8', 'pcm16', 'pcm24', 'pcm32', 'f32', 'f64'];
const BITS: Record<WavSampleFormat, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, f32: 32, f64: 64 };

t('reads every fixture to the expected floats (wave, libsndfile, hand-built layouts)', async () => {
  const m = await manifest();
  assert.ok(m.read.length >= 14, `manifest lists ${m.read.length} files`);
  for (const e of m.read) {
    const w = readWav(await readFile(`${DIR}/${e.file}`));
    assert.is(w.sampleRate, e.sampleRate, `${e.file} sampleRate`);
    assert.is(w.channels.length, e.channels, `${e.file} channels`);
    assert.is(w.format.sampleFormat, e.sampleFormat, `${e.file} sampleFormat`);
    assert.is(w.format.formatTag, e.formatTag, `${e.file} formatTag`);
    assert.is(w.format.extensible, e.formatTag === 0xfffe, `${e.file} extensible`);
    assert.is(w.format.validBits, e.validBits, `${e.file} validBits`);
    assert.is(w.format.blockAlign, e.channels * w.format.bitsPerSample / 8, `${e.file} blockAlign`);
    if (e.channelMask !== undefined) assert.is(w.format.channelMask, e.channelMask, `${e.file} channelMask`);
    const want = await loadNpy(`${DIR}/${e.npy}`);
    assert.equal(want.shape, [e.frames, e.channels]);
    const expected = planar(want.data, e.frames, e.channels);
    w.channels.forEach((ch, c) => assertClose(ch, expected[c], EXACT, `${e.file} channel ${c}`));
  }
});

t('writes byte-identical files to the goldens (wave module, struct-built float and extensible)', async () => {
  const m = await manifest();
  assert.ok(m.write.length >= 6);
  for (const e of m.write) {
    const input = await loadNpy(`${DIR}/${e.input}`);
    const [frames, nch] = input.shape;
    const bytes = writeWav(planar(input.data, frames, nch), e.sampleRate, { format: e.format, extensible: e.extensible ?? false, channelMask: 0 });
    assertBytes(bytes, await readFile(`${DIR}/${e.file}`), e.file);
  }
});

t('write(read(file)) reproduces every fixture exactly, in its own format', async () => {
  for (const e of (await manifest()).read) {
    const w = readWav(await readFile(`${DIR}/${e.file}`));
    const again = readWav(writeWav(w.channels, w.sampleRate, { format: w.format.sampleFormat, extensible: w.format.extensible, channelMask: w.format.channelMask }));
    assert.is(again.sampleRate, w.sampleRate);
    assert.equal(again.format.sampleFormat, w.format.sampleFormat);
    w.channels.forEach((ch, c) => assertClose(again.channels[c], ch, EXACT, `${e.file} channel ${c}`));
  }
});

/** Values on the format's grid (k / 2^(b-1)), extremes included, so PCM round trips exactly. */
function gridSignal(frames: number, seed: number, sf: WavSampleFormat): Float32Array {
  const x = randn(frames, seed);
  if (sf === 'f32' || sf === 'f64') return x;
  const s = 2 ** (BITS[sf] - 1);
  const out = x.map((v) => Math.max(-s, Math.min(s - 1, Math.round(v * s))) / s);
  out[0] = -1; out[1] = (s - 1) / s; out[2] = 0;
  return out;
}

t('round trips every format, 1-3 channels, plain and extensible, odd lengths and rates', () => {
  let n = 0;
  for (const sf of FORMATS) {
    for (const nch of [1, 2, 3]) {
      for (const extensible of [false, true]) {
        const frames = 97 + 4 * nch + (extensible ? 1 : 0);
        const rate = [8000, 44100, 7, 192000][(n++) % 4];
        const chans = Array.from({ length: nch }, (_, c) => gridSignal(frames, 100 * n + c, sf));
        const bytes = writeWav(nch === 1 && !extensible ? chans[0] : chans, rate, { format: sf, extensible });
        assert.is(bytes.length % 2, 0, 'RIFF files have even length (pad byte)');
        assert.is(new DataView(bytes.buffer).getUint32(4, true), bytes.length - 8, 'RIFF size');
        const w = readWav(bytes);
        assert.is(w.sampleRate, rate);
        assert.is(w.format.sampleFormat, sf);
        assert.is(w.format.extensible, extensible);
        assert.is(w.format.bitsPerSample, BITS[sf]);
        assert.is(w.channels.length, nch);
        w.channels.forEach((ch, c) => assertClose(ch, chans[c], EXACT, `${sf} ${nch}ch ext=${extensible} channel ${c}`));
      }
    }
  }
});

t('PCM writing rounds to the nearest code (error <= half an LSB) and clamps to [-1, 1]', () => {
  const x = randn(4001, 7, -1, 1);
  for (const sf of ['pcm8', 'pcm16', 'pcm24', 'pcm32'] as const) {
    const lsb = 2 ** -(BITS[sf] - 1);
    const back = readWav(writeWav([x], 16000, { format: sf })).channels[0];
    const want = x.map((v) => Math.min(v, 1 - lsb));
    assertClose(back, want, { atol: lsb / 2 + 1e-12, rtol: 2 ** -24 }, sf);
  }
  const clip = readWav(writeWav(new Float32Array([1.5, -1.5, 1, -1, Infinity, -Infinity]), 8000)).channels[0];
  assert.equal(Array.from(clip), [32767, -32768, 32767, -32768, 32767, -32768].map((v) => v / 32768));
  // Exact ties round half to even: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2.
  const ties = readWav(writeWav(new Float32Array([2.5, 3.5, -2.5, -3.5, 0.5, -0.5].map((v) => v / 32768)), 8000)).channels[0];
  assert.equal(Array.from(ties, (v) => v * 32768), [2, 4, -2, -4, 0, -0]);
});

t('pcm8 is unsigned with 128 as zero; odd data gets a pad byte', () => {
  const bytes = writeWav(new Float32Array([0, -1, 127 / 128]), 8000, { format: 'pcm8' });
  assert.is(bytes.length, 44 + 3 + 1);
  assert.equal(Array.from(bytes.subarray(44)), [128, 0, 255, 0]);
  assert.is(new DataView(bytes.buffer).getUint32(40, true), 3, 'data size excludes the pad byte');
});

t('float formats keep values outside [-1, 1]; PCM rejects NaN', async () => {
  const x = new Float32Array([3.25, -7, 1e-30, NaN]);
  const f = readWav(writeWav(x, 22050, { format: 'f32' })).channels[0];
  assertClose(f, x, EXACT, 'f32');
  await assertThrows(() => writeWav(x, 22050, { format: 'pcm24' }), /^wav: /, /NaN at frame 3/);
});

t('writer argument checks', async () => {
  const a = new Float32Array(4);
  await assertThrows(() => writeWav([], 8000), /non-empty array/);
  await assertThrows(() => writeWav([a, new Float32Array(5)], 8000), /channel 1 has 5 samples but channel 0 has 4/);
  await assertThrows(() => writeWav(a, 0), /sample rate/);
  await assertThrows(() => writeWav(a, 44100.5), /sample rate/);
  await assertThrows(() => writeWav(a, 8000, { format: 'pcm12' as WavSampleFormat }), /unknown sample format 'pcm12'/);
  await assertThrows(() => writeWav([a, [1, 2, 3, 4] as unknown as Float32Array], 8000), /channel 1 is not a Float32Array/);
  await assertThrows(() => writeWav(Array(2000).fill(a), 8000), /limit of 1024/);
  const e = await assertThrows(() => writeWav(a, 4e9, { format: 'f64' }), /overflow/);
  assert.ok(e instanceof WaveGpuError);
});

t('reads a WAV that sits at an odd offset inside a larger buffer', () => {
  const x = [randn(11, 4), randn(11, 5)];
  const bytes = writeWav(x, 8000, { format: 'f32' });
  const big = new Uint8Array(bytes.length + 10).fill(0xee);
  big.set(bytes, 3);
  const w = readWav(big.subarray(3, 3 + bytes.length));
  w.channels.forEach((ch, c) => assertClose(ch, x[c], EXACT, `channel ${c}`));
});

t('empty audio writes and reads back as zero frames', () => {
  const w = readWav(writeWav([new Float32Array(0), new Float32Array(0)], 48000, { format: 'f32' }));
  assert.is(w.channels.length, 2);
  assert.is(w.channels[0].length, 0);
});

t('toChannels, interleave and downmix', async () => {
  const inter = new Float32Array([1, 10, 100, 2, 20, 200]);
  const ch = toChannels(inter, 3);
  assert.equal(ch.map((c) => Array.from(c)), [[1, 2], [10, 20], [100, 200]]);
  assert.equal(Array.from(interleave(ch)), Array.from(inter));
  assert.is(toChannels(inter)[0], inter, 'mono input is the channel itself');
  assert.is(toChannels(ch), ch, 'planar input passes through');
  await assertThrows(() => toChannels(inter, 4), /not a whole number of 4-channel frames/);
  await assertThrows(() => toChannels(inter, 0), /positive integer/);
  assert.equal(Array.from(downmix(ch)), [37, 74]);
  const mono = downmix(inter);
  assert.equal(Array.from(mono), Array.from(inter));
  assert.ok(mono !== inter, 'downmix returns a copy');
  const r = rng(3);
  const a = Float32Array.from({ length: 33 }, r), b = Float32Array.from({ length: 33 }, r);
  assertClose(downmix([a, b]), a.map((v, i) => (v + b[i]) / 2), { atol: 0, rtol: 2 ** -24 }, 'mean');
});

t('a 10 s stereo 48 kHz file round trips quickly', () => {
  const frames = 480000;
  const chans = [randn(frames, 1), randn(frames, 2)];
  const t0 = performance.now();
  const bytes = writeWav(chans, 48000, { format: 'pcm24' });
  const w = readWav(bytes);
  const ms = performance.now() - t0;
  assert.is(w.channels[1].length, frames);
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
  console.log(`  10 s stereo pcm24 write+read: ${ms.toFixed(0)} ms`);
});

t.run();
