/**
 * Seeded fuzzing of every reader: each synthetic fixture (and, when ../shared/weights is present,
 * real checkpoints) is mutated a few hundred times (bit flips, extreme integers, truncation,
 * insertions, deletions, duplicated ranges; structured edits of JSON) and loaded, then its
 * tensors are read. The only error allowed out is WaveGpuError: no TypeError, RangeError,
 * allocation failure or hang. About 2,500 mutations, a few seconds in Node.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WaveGpuError } from '../src/runtime/errors.js';
import { bytesSource } from '../src/weights/bytes.js';
import { loadWeights } from '../src/weights/load.js';
import { crc32c } from '../src/weights/crc.js';
import { snappyUncompress } from '../src/weights/snappy.js';
import { blockEntries, readBlock } from '../src/weights/sstable.js';
import { readTfjs } from '../src/weights/tfjs.js';
import { readNam, checkNamWaveNet } from '../src/weights/nam.js';
import type { WeightFile } from '../src/weights/types.js';
import { rng } from './util/check.js';
import { readFile, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';

const t = suite('weights: fuzz');
const DIR = 'test/fixtures/weights';
const enc = new TextEncoder();

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

/** A position, biased towards the "hot" ranges where headers and directories live. */
function pos(r: Rand, size: number, hot: Array<[number, number]>): number {
  if (hot.length && r() < 0.8) {
    const [a, b] = hot[int(r, hot.length)];
    const lo = Math.max(0, Math.min(a, size)), hi = Math.max(lo + 1, Math.min(b, size));
    return Math.min(size - 1, lo + int(r, hi - lo));
  }
  return int(r, size);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const EXTREMES = [0, 1, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x10000];

/** Applies 1-3 random byte-level mutations. */
function mutateBytes(src: Uint8Array, r: Rand, hot: Array<[number, number]>): Uint8Array {
  let b: Uint8Array = src.slice();
  for (let k = 1 + int(r, 3); k > 0 && b.length > 0; k--) {
    const p = pos(r, b.length, hot);
    switch (int(r, 7)) {
      case 0: b[p] ^= 1 << int(r, 8); break;
      case 1: b[p] = [0, 0xff, 0x7f, 0x80, int(r, 256)][int(r, 5)]; break;
      case 2: if (p + 4 <= b.length) new DataView(b.buffer).setUint32(p, EXTREMES[int(r, EXTREMES.length)], true); break;
      case 3: b = b.slice(0, p); break;
      case 4: b = concat(b.subarray(0, p), b.subarray(Math.min(b.length, p + 1 + int(r, 16)))); break;
      case 5: b = concat(b.subarray(0, p), Uint8Array.from({ length: 1 + int(r, 16) }, () => int(r, 256)), b.subarray(p)); break;
      default: { const q = pos(r, b.length, hot); const len = Math.min(1 + int(r, 32), b.length - q); b.set(b.slice(q, q + len).subarray(0, Math.max(0, Math.min(len, b.length - p))), p); }
    }
  }
  return b;
}

const HOSTILE_VALUES: unknown[] = [-1, 0, 1.5, 1e30, 2 ** 53, -(2 ** 31), 'x', '../../x', null, [], {}, true, [1e9, 1e9], ['a']];

/** Replaces one random leaf (or small subtree) of a JSON document with a hostile value. */
function mutateJson(text: string, r: Rand): Uint8Array {
  const doc = JSON.parse(text);
  const parents: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (v: unknown, depth: number): void => {
    if (parents.length > 5000 || depth > 12 || v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      parents.push([v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k]);
      walk(x, depth + 1);
    }
  };
  walk(doc, 0);
  for (let k = 1 + int(r, 2); k > 0 && parents.length; k--) {
    const [p, key] = parents[int(r, parents.length)];
    (p as Record<string | number, unknown>)[key] = HOSTILE_VALUES[int(r, HOSTILE_VALUES.length)];
  }
  return enc.encode(JSON.stringify(doc));
}

interface Target { label: string; count: number; run: (r: Rand) => Promise<WeightFile | void> }

/** Loads, then reads up to `maxReads` tensors (the read path is fuzzed too). */
async function exercise(w: WeightFile | void, maxReads = 64): Promise<void> {
  if (!w) return;
  let n = 0;
  for (const e of w.tensors.values()) {
    if (n++ >= maxReads) break;
    await e.read();
  }
}

async function fuzz(target: Target, seed: number): Promise<string[]> {
  const r = rng(seed);
  const failures: string[] = [];
  for (let i = 0; i < target.count; i++) {
    try {
      await exercise(await target.run(r));
    } catch (e) {
      if (!(e instanceof WaveGpuError)) failures.push(`${target.label} #${i}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack?.split('\n').slice(1, 4).join('\n')}`);
    }
  }
  return failures;
}

function byteTarget(label: string, file: string, count: number, hot: (b: Uint8Array) => Array<[number, number]>): Target {
  let orig: Uint8Array | null = null;
  return {
    label, count,
    run: async (r) => {
      orig ??= await readFile(file);
      return loadWeights(mutateBytes(orig, r, hot(orig)), { name: label });
    },
  };
}

const HEAD_TAIL = (b: Uint8Array): Array<[number, number]> => [[0, 1024], [b.length - 600, b.length]];
const HEAD = (n: number) => (): Array<[number, number]> => [[0, n]];

/** A folder of sibling files; `main` is mutated (bytes or JSON), or one sibling is. */
function folderTarget(label: string, dir: string, main: string, siblings: string[], count: number, json: boolean): Target {
  const files = new Map<string, Uint8Array>();
  return {
    label, count,
    run: async (r) => {
      for (const f of [main, ...siblings]) if (!files.has(f)) files.set(f, await readFile(`${dir}/${f}`));
      const patched = new Map(files);
      const which = r() < 0.75 ? main : siblings[int(r, siblings.length)];
      const src = files.get(which)!;
      patched.set(which, which === main && json && r() < 0.6 ? mutateJson(new TextDecoder().decode(src), r) : mutateBytes(src, r, which === main ? HEAD_TAIL(src) : []));
      const open = async (rel: string) => {
        const b = patched.get(rel);
        if (!b) throw new Error(`no such file ${rel}`);
        return bytesSource(b, rel);
      };
      return loadWeights(patched.get(main)!, { name: `${label}/${main}`, open });
    },
  };
}

/** safetensors with a structurally mutated JSON header (valid UTF-8 and JSON, hostile values). */
function safetensorsJsonTarget(file: string, count: number): Target {
  let orig: Uint8Array | null = null;
  return {
    label: 'st_basic.safetensors (header JSON)', count,
    run: async (r) => {
      orig ??= await readFile(file);
      const n = Number(new DataView(orig.buffer, orig.byteOffset).getBigUint64(0, true));
      const header = mutateJson(new TextDecoder().decode(orig.subarray(8, 8 + n)), r);
      const out = concat(new Uint8Array(8), header, orig.subarray(8 + n));
      new DataView(out.buffer).setUint32(0, header.length, true);
      return loadWeights(out, { name: 'st.safetensors' });
    },
  };
}

/** Block handles [offset, size] of an SSTable: metaindex, data blocks, index (from its footer). */
function tableBlocks(b: Uint8Array): Array<[number, number]> {
  const varints = (c: { b: Uint8Array; p: number }): number => { let v = 0, m = 1; for (;;) { const x = c.b[c.p++]; v += (x & 127) * m; m *= 128; if (x < 128) return v; } };
  const f = { b, p: b.length - 48 };
  const meta: [number, number] = [varints(f), varints(f)];
  const index: [number, number] = [varints(f), varints(f)];
  const data = blockEntries(readBlock(b, { offset: index[0], size: index[1] }, 't', 't', 'index'), 't', 't', 'index')
    .map(([, v]): [number, number] => { const c = { b: v, p: 0 }; return [varints(c), varints(c)]; });
  return [meta, ...data, index];
}

/**
 * TF index with in-place mutations inside one block whose CRC is then recomputed, so the
 * block parser, snappy decoder and protobuf decoder see the damage instead of the checksum.
 */
function tfckptRecrcTarget(label: string, dir: string, count: number): Target {
  const files = new Map<string, Uint8Array>();
  const index = 'model.ckpt-200000.index';
  return {
    label, count,
    run: async (r) => {
      for (const f of [index, 'model.ckpt-200000.data-00000-of-00002', 'model.ckpt-200000.data-00001-of-00002']) if (!files.has(f)) files.set(f, await readFile(`${dir}/${f}`));
      const b = files.get(index)!.slice();
      const blocks = tableBlocks(b);
      const [off, size] = blocks[int(r, blocks.length)];
      for (let k = 1 + int(r, 3); k > 0 && size > 0; k--) {
        const p = off + int(r, size);
        if (r() < 0.5) b[p] ^= 1 << int(r, 8);
        else b[p] = [0, 0x7f, 0x80, 0xff, int(r, 256)][int(r, 5)];
      }
      new DataView(b.buffer).setUint32(off + size + 1, maskCrc(crc32c(b.subarray(off, off + size + 1))), true);
      const open = async (rel: string) => bytesSource(files.get(rel) ?? new Uint8Array(0), rel);
      return loadWeights(b, { name: `${label}/${index}`, open });
    },
  };
}

function maskCrc(c: number): number {
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

const SYNTHETIC: Target[] = [
  safetensorsJsonTarget(`${DIR}/st_basic.safetensors`, 200),
  tfckptRecrcTarget('tfckpt (re-checksummed)', `${DIR}/tfckpt`, 200),
  tfckptRecrcTarget('tfckpt_snappy (re-checksummed)', `${DIR}/tfckpt_snappy`, 200),
  byteTarget('st_basic.safetensors', `${DIR}/st_basic.safetensors`, 150, HEAD(700)),
  byteTarget('torch_zip.pt', `${DIR}/torch_zip.pt`, 250, HEAD_TAIL),
  byteTarget('torch_zip_p4.pt', `${DIR}/torch_zip_p4.pt`, 150, HEAD_TAIL),
  byteTarget('torch_legacy.pt', `${DIR}/torch_legacy.pt`, 250, HEAD(2200)),
  byteTarget('torch_legacy_p4.pt', `${DIR}/torch_legacy_p4.pt`, 150, HEAD(2000)),
  byteTarget('torch_lightning.ckpt', `${DIR}/torch_lightning.ckpt`, 150, HEAD_TAIL),
  byteTarget('evil_os_system.pt', `${DIR}/evil_os_system.pt`, 100, HEAD_TAIL),
  byteTarget('evil_eval_legacy.pt', `${DIR}/evil_eval_legacy.pt`, 100, HEAD(400)),
  folderTarget('tfjs_layers', `${DIR}/tfjs_layers`, 'model.json', ['group1-shard1of2.bin', 'group1-shard2of2.bin', 'group2-shard1of1.bin'], 250, true),
  folderTarget('tfjs_graph', `${DIR}/tfjs_graph`, 'model.json', ['group1-shard1of1.bin'], 150, true),
  folderTarget('tfckpt', `${DIR}/tfckpt`, 'model.ckpt-200000.index', ['model.ckpt-200000.data-00000-of-00002', 'model.ckpt-200000.data-00001-of-00002'], 150, false),
  folderTarget('tfckpt_snappy', `${DIR}/tfckpt_snappy`, 'model.ckpt-200000.index', ['model.ckpt-200000.data-00000-of-00002', 'model.ckpt-200000.data-00001-of-00002'], 100, false),
  {
    label: 'nam', count: 150,
    run: async (r) => {
      const doc = { version: '0.5.4', architecture: 'WaveNet', sample_rate: 48000, weights: Array.from({ length: 131 }, (_, i) => i / 100),
        config: { layers: [{ input_size: 1, condition_size: 1, head_size: 2, channels: 3, kernel_size: 3, dilations: [1, 2], gated: false, head_bias: false },
          { input_size: 3, condition_size: 1, head_size: 1, channels: 2, kernel_size: 3, dilations: [8], gated: false, head_bias: true }], head: null } };
      const text = JSON.stringify(doc);
      const bytes = r() < 0.7 ? mutateJson(text, r) : mutateBytes(enc.encode(text), r, []);
      const nam = await readNam(bytes, 'fuzz.nam');
      checkNamWaveNet(nam);
      return nam;
    },
  },
  {
    label: 'snappy', count: 150,
    run: async (r) => { snappyUncompress(mutateBytes(await readFile(`${DIR}/snappy_big.bin`), r, [[0, 64]]), 'tfckpt', 'fuzz'); },
  },
];

const REAL: Target[] = [
  byteTarget('sine.pt_legacy', `${SHARED_WEIGHTS}/pytorch-wavenet/sine_7-2-128-32-32-32-2.pt_legacy`, 100, HEAD(9000)),
  folderTarget('mbmelgan', `${SHARED_WEIGHTS}/tfjs-tts-mbmelgan-ljspeech`, 'model.json', ['group1-shard1of1.bin'], 40, true),
  folderTarget('ddsp', `${SHARED_WEIGHTS}/magenta-js-ddsp/violin`, 'model.json', ['group1-shard1of1.bin'], 30, true),
  { label: 'nam_a1', count: 30, run: async (r) => readNam(mutateJson(new TextDecoder().decode(await readFile(`${SHARED_WEIGHTS}/NeuralAmpModelerCore/wavenet_a1_standard.nam`)), r), 'a1.nam') },
];

SYNTHETIC.forEach((target, i) => {
  t(`${target.label}: ${target.count} mutations raise only WaveGpuError`, async () => {
    const failures = await fuzz(target, 1000 + i);
    assert.equal(failures.slice(0, 3), [], `${failures.length} non-WaveGpuError failures`);
  });
});

let shared: Promise<boolean> | null = null;
REAL.forEach((target, i) => {
  t(`real ${target.label}: ${target.count} mutations raise only WaveGpuError`, async () => {
    if (!(await (shared ??= sharedWeightsAvailable('README.md')))) return;
    const failures = await fuzz(target, 2000 + i);
    assert.equal(failures.slice(0, 3), [], `${failures.length} non-WaveGpuError failures`);
  });
});

t('tfjs reader refuses shards that vanish (fetch errors are wrapped)', async () => {
  let err: unknown;
  try { await readTfjs('{"format":"graph-model","modelTopology":{"node":[]},"weightsManifest":[{"paths":["a.bin"],"weights":[]}]}', async () => { throw new TypeError('boom'); }); } catch (e) { err = e; }
  assert.instance(err, WaveGpuError);
});

t.run();
