/**
 * TensorFlow checkpoints (.index SSTable + .data shards). No TensorFlow is available, so
 * scripts/fixtures/weights/tf_fixtures.py writes a faithful tiny checkpoint from TF's sources:
 * table_builder.cc / block_builder.cc (prefix-compressed keys, restart points every 16 keys and
 * every key in the index block, shortest-separator index keys, empty metaindex block),
 * format.cc (5-byte block trailers with masked CRC-32C, 48-byte footer with the leveldb magic),
 * tensor_bundle.cc / tensor_bundle.proto (header entry under key '', BundleEntryProto per
 * variable, masked CRC-32C of the tensor bytes, two data shards, a DT_STRING tensor as TF2's
 * object graph). The second copy uses 256-byte blocks compressed with libsnappy (as TF <= 1.1
 * wrote indexes), so several data blocks, restarts and snappy decoding are exercised.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WaveGpuError } from '../src/runtime/errors.js';
import { bytesSource } from '../src/weights/bytes.js';
import { crc32c } from '../src/weights/crc.js';
import { snappyUncompress } from '../src/weights/snappy.js';
import { readTfCheckpoint } from '../src/weights/tfckpt.js';
import type { DType, FileOpener } from '../src/weights/types.js';
import { assertThrows } from './util/check.js';
import { readFile, readText } from './util/io.js';

const t = suite('weights: tf checkpoint');
const DIR = 'test/fixtures/weights';
const PREFIX = 'model.ckpt-200000';

interface Expect { tensors: Record<string, { dtype: DType; shape: number[]; values: number[] }>; skipped: string[] }

const opener = (dir: string, patch?: (rel: string, b: Uint8Array) => Uint8Array): FileOpener =>
  async (rel) => { const b = await readFile(`${dir}/${rel}`); return bytesSource(patch ? patch(rel, b) : b, rel); };

for (const dir of ['tfckpt', 'tfckpt_snappy']) {
  t(`${dir}: every variable reads exactly, strings are reported`, async () => {
    const exp: Expect = JSON.parse(await readText(`${DIR}/tfckpt_expect.json`));
    const w = await readTfCheckpoint(await readFile(`${DIR}/${dir}/${PREFIX}.index`), opener(`${DIR}/${dir}`), `${dir}/${PREFIX}.index`);
    assert.is(w.format, 'tf-checkpoint');
    assert.is(w.metadata.num_shards, '2');
    for (const [name, e] of Object.entries(exp.tensors)) {
      const entry = w.tensors.get(name);
      assert.ok(entry, `missing ${name}`);
      assert.is(entry!.dtype, e.dtype, name);
      assert.equal(entry!.shape, e.shape, name);
      assert.equal(Array.from(await entry!.read()), e.values.map((x) => Math.fround(x)), name);
    }
    assert.is(w.tensors.size, Object.keys(exp.tensors).length);
    assert.equal(w.notes, ['_CHECKPOINTABLE_OBJECT_GRAPH: DT_STRING [1] skipped']);
    const f64 = await w.tensors.get('wavenet/f64')!.readRaw!();
    assert.equal(Array.from(new Float64Array(f64.slice().buffer)), exp.tensors['wavenet/f64'].values, 'f64 exact through readRaw');
  });
}

t('snappy: libsnappy streams decode exactly; malformed streams are refused', async () => {
  const { vectors } = JSON.parse(await readText(`${DIR}/snappy_vectors.json`));
  const hex = (s: string): Uint8Array => new Uint8Array((s.match(/../g) ?? []).map((h) => parseInt(h, 16)));
  for (const v of vectors) assert.equal(Array.from(snappyUncompress(hex(v.compressed), 'tfckpt', 'v')), Array.from(hex(v.plain)));
  const big = snappyUncompress(await readFile(`${DIR}/snappy_big.bin`), 'tfckpt', 'big');
  const meta = JSON.parse(await readText(`${DIR}/snappy_big.json`));
  assert.is(big.length, meta.length);
  assert.is(crc32c(big), meta.crc32c);
  // copy with a 4-byte offset (libsnappy never emits one): 'abcd' then copy len 8 offset 4
  assert.equal(Array.from(snappyUncompress(new Uint8Array([12, 3 << 2, 97, 98, 99, 100, (7 << 2) | 3, 4, 0, 0, 0]), 'tfckpt', 'c4')),
    Array.from(new TextEncoder().encode('abcdabcdabcd')));
  const bad: Array<[number[], RegExp]> = [
    [[0xff, 0xff, 0xff, 0xff, 0x0f, 0], /claims 4294967295 bytes/],
    [[5, (3 << 2) | 1, 1], /copy offset 1 at output position 0 is invalid/],
    [[3, 0, 97], /decodes to 1 bytes, not the declared 3/],
    [[2, 4 << 2, 97, 98, 99, 100, 101], /literal runs past the declared length/],
    [[4, 60 << 2], /truncated/],
  ];
  for (const [b, pattern] of bad) await assertThrows(() => snappyUncompress(new Uint8Array(b), 'tfckpt', 'evil'), pattern, /evil/);
});

t('hostile indexes and shards are refused', async () => {
  const index = await readFile(`${DIR}/tfckpt/${PREFIX}.index`);
  const name = `evil/${PREFIX}.index`;
  const flip = (b: Uint8Array, at: number): Uint8Array => { const c = b.slice(); c[at] ^= 0x40; return c; };
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['bad footer magic', () => readTfCheckpoint(flip(index, index.length - 1), opener(`${DIR}/tfckpt`), name), /bad footer magic/],
    ['corrupted block', () => readTfCheckpoint(flip(index, 20), opener(`${DIR}/tfckpt`), name), /block checksum mismatch/],
    ['truncated index', () => readTfCheckpoint(index.slice(0, 30), opener(`${DIR}/tfckpt`), name), /shorter than the 48-byte table footer/],
    ['index handle outside the file', () => readTfCheckpoint(index.slice(100), opener(`${DIR}/tfckpt`), name), /runs past|checksum|magic/],
    ['missing data shard', () => readTfCheckpoint(index, async () => { throw new Error('ENOENT'); }, name), /cannot open data shard model\.ckpt-200000\.data-00000-of-00002: ENOENT/],
    ['shard shorter than an entry', () => readTfCheckpoint(index, opener(`${DIR}/tfckpt`, (r, b) => (r.includes('00001') ? b.slice(0, 10) : b)), name), /lie outside data shard 1/],
  ];
  for (const [what, f, pattern] of cases) {
    const e = await assertThrows(f, pattern, /evil\//);
    assert.instance(e, WaveGpuError, what);
  }
  const corrupt = await readTfCheckpoint(index, opener(`${DIR}/tfckpt`, (r, b) => (r.includes('data-00000') ? flip(b, 40) : b)), name);
  let crcErrors = 0;
  for (const e of corrupt.tensors.values()) {
    try { await e.read(); } catch (err) { assert.match((err as Error).message, /CRC-32C mismatch/); crcErrors++; }
  }
  assert.is(crcErrors, 1, 'exactly the tensor holding the flipped byte fails its checksum');
});

t.run();
