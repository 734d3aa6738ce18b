/**
 * PNG and zlib: CRC-32 / Adler-32 check values, inflate against streams made by Python's zlib
 * (stored, fixed and dynamic blocks) and PNGs made by a Python script (every filter type, grey,
 * RGB, RGBA), then encodePng's structure and round trips through that verified decoder, and
 * corrupt input rejected with WaveGpuError.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodePng, decodePng, crc32, adler32, zlibCompress, zlibDecompress } from '../src/audio/png.js';
import { WaveGpuError } from '../src/runtime/errors.js';
import { readFile, readText } from './util/io.js';
import { assertThrows, loadNpy, rng } from './util/check.js';

const t = suite('png');
const DIR = 'test/fixtures/wav';
const text = (s: string) => new TextEncoder().encode(s);

interface Manifest {
  png: { file: string; npy: string; width: number; height: number }[];
  zlib: { file: string; blockType: number; length: number }[];
  pngWriter: { file: string; npy: string; width: number; height: number; filtersUsed: number[] };
}
const manifest = async (): Promise<Manifest> => JSON.parse(await readText(`${DIR}/manifest.json`));

/** The payload scripts/fixtures/wav.py compresses. */
const zlibPayload = (): Uint8Array => Uint8Array.from({ length: 3000 }, (_, i) => (i >= 1000 && i < 1600 ? 0x41 : (i % 251) ^ ((i >> 8) & 15)));

function image(w: number, h: number, seed: number, smooth: boolean): Uint8Array {
  const r = rng(seed);
  const px = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      if (smooth) px.set([(x * 255) / Math.max(1, w - 1), (y * 255) / Math.max(1, h - 1), (x + y) & 0xff, 255], o);
      else px.set([r() * 256, r() * 256, r() * 256, r() * 256], o);
    }
  }
  return px;
}

t('CRC-32 and Adler-32 check values', () => {
  assert.is(crc32(text('123456789')), 0xcbf43926);
  assert.is(crc32(new Uint8Array(0)), 0);
  assert.is(crc32(text('IEND')), 0xae426082);
  assert.is(adler32(text('Wikipedia')), 0x11e60398);
  assert.is(adler32(new Uint8Array(0)), 1);
  assert.is(adler32(new Uint8Array(100000).fill(255)), 0x149a302c); // zlib.adler32(b"\xff" * 100000): exercises the modulo blocks
});

t('inflates Python zlib streams of every block type', async () => {
  const m = await manifest();
  assert.equal(m.zlib.map((z) => z.blockType).sort(), [0, 1, 2]);
  const want = zlibPayload();
  for (const z of m.zlib) {
    const out = zlibDecompress(await readFile(`${DIR}/${z.file}`), want.length);
    assert.equal(out, want, z.file);
  }
});

t('decodes Python-made PNGs (grey, RGB, RGBA; filters 0-4; dynamic Huffman)', async () => {
  const m = await manifest();
  assert.is(m.png.length, 3);
  for (const p of m.png) {
    const img = decodePng(await readFile(`${DIR}/${p.file}`));
    const want = await loadNpy(`${DIR}/${p.npy}`);
    assert.equal(want.shape, [p.height, p.width, 4]);
    assert.is(img.width, p.width);
    assert.is(img.height, p.height);
    assert.equal(Array.from(img.rgba), Array.from(want.data), p.file);
  }
});

t('zlibCompress round trips (stored and fixed), incl. empty, long runs and > 64 KiB', () => {
  const r = rng(5);
  const cases = [
    new Uint8Array(0), new Uint8Array([7]), zlibPayload(), new Uint8Array(70000).fill(9),
    Uint8Array.from({ length: 100000 }, () => r() * 256), Uint8Array.from({ length: 90000 }, (_, i) => (i * 31) % 97 < 5 ? i & 0xff : 0),
  ];
  for (const data of cases) {
    for (const mode of ['stored', 'fixed'] as const) {
      const z = zlibCompress(data, mode);
      assert.equal(zlibDecompress(z, data.length), data, `${mode} ${data.length}`);
      if (mode === 'stored') assert.is(z.length, data.length + 6 + 5 * Math.max(1, Math.ceil(data.length / 65535)));
    }
  }
  assert.ok(zlibCompress(new Uint8Array(70000).fill(9)).length < 700, 'runs compress');
  assert.ok(zlibCompress(zlibPayload()).length < 2500, 'the payload compresses');
});

t('encodePng (stored) is byte-identical to the PNG Python builds with zlib and the same filter rule', async () => {
  const g = (await manifest()).pngWriter;
  assert.equal(g.filtersUsed, [0, 1, 2, 3, 4], 'the golden exercises every filter choice');
  const px = await loadNpy(`${DIR}/${g.npy}`);
  const ours = encodePng(Uint8Array.from(px.data), g.width, g.height, { compression: 'stored' });
  assert.equal(ours, await readFile(`${DIR}/${g.file}`));
});

t('encodePng writes signature, IHDR, IDAT, IEND with correct lengths and CRCs', () => {
  const png = encodePng(image(5, 3, 1, false), 5, 3);
  assert.equal(Array.from(png.subarray(0, 8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dv = new DataView(png.buffer, png.byteOffset);
  const types: string[] = [];
  for (let p = 8; p < png.length; ) {
    const len = dv.getUint32(p);
    const type = String.fromCharCode(...png.subarray(p + 4, p + 8));
    types.push(type);
    assert.is(dv.getUint32(p + 8 + len), crc32(png.subarray(p + 4, p + 8 + len)), `${type} CRC`);
    if (type === 'IHDR') {
      assert.is(len, 13);
      assert.equal([dv.getUint32(p + 8), dv.getUint32(p + 12)], [5, 3]);
      assert.equal(Array.from(png.subarray(p + 16, p + 21)), [8, 6, 0, 0, 0]);
    }
    if (type === 'IEND') { assert.is(len, 0); assert.is(p + 12, png.length); }
    p += 12 + len;
  }
  assert.equal(types, ['IHDR', 'IDAT', 'IEND']);
});

t('encodePng -> decodePng round trips, odd sizes, both compressions', () => {
  let seed = 10;
  for (const [w, h] of [[1, 1], [2, 3], [17, 5], [64, 33], [300, 7]]) {
    for (const smooth of [false, true]) {
      const px = image(w, h, seed++, smooth);
      for (const compression of ['fixed', 'stored'] as const) {
        const img = decodePng(encodePng(px, w, h, { compression }));
        assert.equal([img.width, img.height], [w, h]);
        assert.equal(img.rgba, px, `${w}x${h} smooth=${smooth} ${compression}`);
      }
    }
  }
  const clamped = new Uint8ClampedArray(image(4, 4, 99, false));
  assert.equal(decodePng(encodePng(clamped, 4, 4)).rgba, new Uint8Array(clamped.buffer));
  const smooth = image(256, 128, 0, true);
  const fixed = encodePng(smooth, 256, 128).length, stored = encodePng(smooth, 256, 128, { compression: 'stored' }).length;
  assert.ok(fixed * 4 < stored, `filters + fixed Huffman should shrink a gradient: ${fixed} vs ${stored} bytes`);
});

t('encodePng argument checks', async () => {
  await assertThrows(() => encodePng(new Uint8Array(12), 2, 2), /^png: /, /expected 2x2x4 = 16 RGBA bytes, got 12/);
  await assertThrows(() => encodePng(new Uint8Array(0), 0, 1), /width must be a positive integer/);
  await assertThrows(() => encodePng(new Uint8Array(8), 2, 1.5), /height must be a positive integer/);
});

t('corrupt PNGs are rejected with WaveGpuError', async () => {
  const good = encodePng(image(6, 4, 3, false), 6, 4);
  const flip = (i: number) => { const b = good.slice(); b[i] ^= 0x10; return b; };
  const idatCrcAt = 8 + 25 + 8 + new DataView(good.buffer).getUint32(33);
  await assertThrows(() => decodePng(good.slice(0, 7)), /^png: not a PNG/);
  await assertThrows(() => decodePng(flip(1)), /bad signature/);
  await assertThrows(() => decodePng(flip(20)), /CRC mismatch in chunk 'IHDR'/);
  await assertThrows(() => decodePng(flip(idatCrcAt)), /CRC mismatch in chunk 'IDAT'/);
  await assertThrows(() => decodePng(good.slice(0, good.length - 12)), /ends before IEND/);
  await assertThrows(() => decodePng(good.slice(0, 50)), /truncated PNG: chunk 'IDAT'/);
  const patchIhdr = (edit: (b: Uint8Array, dv: DataView) => void) => {
    const b = good.slice(), dv = new DataView(b.buffer);
    edit(b, dv);
    dv.setUint32(29, crc32(b.subarray(12, 29)));
    return b;
  };
  await assertThrows(() => decodePng(patchIhdr((b) => { b[24] = 16; })), /bit depth 16/);
  await assertThrows(() => decodePng(patchIhdr((b) => { b[28] = 1; })), /interlace 1/);
  await assertThrows(() => decodePng(patchIhdr((_, dv) => dv.setUint32(16, 100000))), /100000x4 image cannot come from/);
  await assertThrows(() => decodePng(patchIhdr((_, dv) => dv.setUint32(20, 5))), /stream ends before|inflates to|Adler/);
});

t('fuzz: 3000 seeded mutations of PNGs and zlib streams throw only WaveGpuError', async () => {
  const bases = [encodePng(image(9, 7, 4, false), 9, 7), encodePng(image(9, 7, 5, true), 9, 7, { compression: 'stored' })];
  for (const p of (await manifest()).png) bases.push(await readFile(`${DIR}/${p.file}`));
  const r = rng(77);
  let ok = 0, rejected = 0;
  for (let i = 0; i < 3000; i++) {
    const b = bases[i % bases.length].slice();
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    // Half the mutations bypass the CRCs by fuzzing the zlib stream directly.
    const zlibOnly = i % 2 === 1;
    try {
      if (zlibOnly) zlibDecompress(b.subarray(41), 1 << 16); else decodePng(b.subarray(0, r() < 0.2 ? Math.floor(r() * b.length) : b.length));
      ok++;
    } catch (e) {
      if (!(e instanceof WaveGpuError) || e.op !== 'png') assert.unreachable(`mutation ${i} threw ${String(e)}`);
      rejected++;
    }
  }
  console.log(`  png fuzz: ${ok} accepted, ${rejected} rejected`);
  assert.ok(rejected > 1000);
});

t.run();
