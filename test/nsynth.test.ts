/**
 * NSynth WaveNet autoencoder against a torch port of magenta's h512_bo16 graph
 * (scripts/fixtures/nsynth.py) on a reduced configuration: 6 + 6 layers cycling dilations 1, 2, 4,
 * widths 8 / 12 skip / 8 encoder, a 4-dim code every 16 samples, 48 samples. Weights come from a
 * real TF checkpoint (tensor bundle) under magenta's variable names, read with readTfCheckpoint.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { assertClose, assertThrows, loadNpy, randn } from './util/check.js';
import { readFile, readText } from './util/io.js';
import type { Gpu } from '../src/runtime/gpu.js';
import { bytesSource } from '../src/weights/bytes.js';
import { readTfCheckpoint } from '../src/weights/tfckpt.js';
import type { WeightFile } from '../src/weights/types.js';
import { NSynth, encodingTensor } from '../src/models/nsynth/model.js';
import { readNSynthParams, type NSynthParams } from '../src/models/nsynth/load.js';
import { generateFast, generateRecompute } from '../src/models/nsynth/generate.js';
import { aeDecoderRef, aeEncoderRef, gateCondRef } from '../src/ref/nsynth.js';
import { AeDecoderStepRef } from '../src/ref/nsynth_step.js';
import { nsynthInputTable } from '../src/models/nsynth/config.js';
import { condRelu, gateCond } from '../src/ops/nsynth.js';
import { defaultSplit } from '../src/ops/nsynth_step.js';

const t = suite('nsynth');
const DIR = 'test/fixtures/nsynth';

interface Fixture { cfg: Record<string, number>; audio: Float32Array; classes: Int32Array; encoding: Float32Array; logits: Float32Array }

let cached: Fixture | null = null;
async function fixture(): Promise<Fixture> {
  if (cached) return cached;
  const cfg = JSON.parse(await readText(`${DIR}/config.json`));
  const [audio, classes, encoding, logits] = await Promise.all(['audio', 'classes', 'encoding', 'logits'].map((n) => loadNpy(`${DIR}/${n}.npy`)));
  cached = { cfg, audio: audio.data as Float32Array, classes: classes.data as Int32Array, encoding: encoding.data as Float32Array, logits: logits.data as Float32Array };
  return cached;
}

async function checkpoint(): Promise<WeightFile> {
  const open = async (rel: string) => bytesSource(await readFile(`${DIR}/ckpt/${rel}`), rel);
  return readTfCheckpoint(await readFile(`${DIR}/ckpt/model.ckpt-200000.index`), open, 'model.ckpt-200000.index');
}

async function params(ema = false): Promise<NSynthParams> {
  const f = await fixture();
  return readNSynthParams(await checkpoint(), { stages: f.cfg.stages, aeStages: f.cfg.ae_stages, hop: f.cfg.hop, ema });
}

async function withModel(fn: (m: NSynth, gpu: Gpu, f: Fixture) => Promise<void>): Promise<void> {
  const gpu = await getGpu(), f = await fixture();
  const m = new NSynth(gpu, await params());
  try { await fn(m, gpu, f); } finally { m.dispose(); }
}

/** [T, C] (TF's [-1, 256]) -> [C, T]. */
function channelsFirst(a: ArrayLike<number>, t: number, c: number): Float32Array {
  return Float32Array.from({ length: t * c }, (_, i) => a[(i % t) * c + Math.floor(i / t)]);
}

const flat = (rows: Float64Array[]) => Float32Array.from(rows.flatMap((r) => Array.from(r)));
const shifted = (x: ArrayLike<number>) => Float32Array.from({ length: x.length }, (_, i) => (i === 0 ? 0 : x[i - 1]));

t('checkpoint: TF names and [1, K, Cin, Cout] kernels load; EMA copies on request; extras ignored', async () => {
  const f = await fixture();
  const p = await params(), e = await params(true);
  assert.is(p.decoder.layers.length, f.cfg.layers);
  assert.is(p.encoder.layers.length, f.cfg.ae_layers);
  assert.equal(p.decoderDilations, [1, 2, 4, 1, 2, 4]);
  assert.equal([...p.decoder.layers[0].dil.w.shape], [2 * f.cfg.width, f.cfg.width, 3]);
  assert.equal([...p.decoder.logits.w.shape], [256, f.cfg.skip_width, 1]);
  const raw = p.decoder.layers[2].dil.w.data, ema = e.decoder.layers[2].dil.w.data;
  assertClose(ema, raw.map((v) => Math.fround(v * Math.fround(0.9))), { atol: 0, rtol: 0 }, 'ema = 0.9 raw (f32)');
  await assertThrows(async () => readNSynthParams({ ...(await checkpoint()), tensors: new Map() }), /ae_startconv\/W/);
});

t('CPU reference matches the torch port (encoding, teacher-forced logits)', async () => {
  const f = await fixture(), p = await params(), { cfg } = f;
  const x = Float32Array.from(f.classes, (q) => nsynthInputTable()[q]);
  const enc = aeEncoderRef(p.encoder, { dilations: p.encoderDilations, preRelu: true, pool: cfg.hop }, x);
  const frames = cfg.T / cfg.hop;
  assertClose(flat(enc), channelsFirst(f.encoding, frames, cfg.bottleneck), { atol: 1e-6, rtol: 1e-5 }, 'encoding');
  const logits = aeDecoderRef(p.decoder, { dilations: p.decoderDilations, hop: cfg.hop }, shifted(x), enc);
  assertClose(flat(logits), channelsFirst(f.logits, cfg.T, 256), { atol: 1e-5, rtol: 1e-5 }, 'logits');
});

// f32 on the GPU against float64 torch: 6 encoder layers of 8 channels, then 6 decoder layers.
// Measured max |err| 2.4e-7 (encoding) and 7.2e-7 (logits up to 3.8) in Node and Chromium;
// 5e-6 leaves room for another GPU's exp/tanh.
const TOL = { atol: 5e-6, rtol: 5e-6 };

t('GPU: mu-law classes, encoding and teacher-forced logits match the torch port', async () => {
  await withModel(async (m, gpu, f) => {
    const { cfg } = f, frames = cfg.T / cfg.hop;
    const audio = gpu.tensor(f.audio, [1, cfg.T]);
    const scaled = await m.scaled(audio).read();
    assertClose(scaled, Float32Array.from(f.classes, (q) => (q - 128) / 128), { atol: 0, rtol: 0 }, 'x_scaled');
    const enc = m.encodeTensor(m.scaled(audio));
    assert.equal(enc.shape, [1, cfg.bottleneck, frames]);
    assertClose(await enc.read(), channelsFirst(f.encoding, frames, cfg.bottleneck), TOL, 'encoding');
    const logits = m.logitsTensor(audio, enc);
    assert.equal(logits.shape, [1, 256, cfg.T]);
    assertClose(await logits.read(), channelsFirst(f.logits, cfg.T, 256), TOL, 'logits');
    const code = await m.encode(f.audio);
    assert.equal([code.frames, code.channels], [frames, cfg.bottleneck]);
    assertClose(code.data, f.encoding, TOL, 'encode() is [frames, channels]');
    audio.dispose(); enc.dispose(); logits.dispose();
  });
});

t('gateCond / condRelu ops match the reference (odd sizes, channel offsets, B = 2)', async () => {
  const gpu = await getGpu();
  const B = 2, R = 3, T = 37, F = 5, hop = 8, Ct = 11, off = 2;
  const z = randn(B * 2 * R * T, 1, -3, 3), c = randn(B * Ct * F, 2, -1, 1);
  const zt = gpu.tensor(z, [B, 2 * R, T]), ct = gpu.tensor(c, [B, Ct, F]);
  const a = await gateCond(zt, { c: ct, offset: off, hop }).read();
  const y = await condRelu(zt, { c: ct, offset: off, hop }).read();
  for (let b = 0; b < B; b++) {
    const rows = (src: Float32Array, n: number, len: number, base: number) => Array.from({ length: n }, (_, i) => Float64Array.from(src.subarray((base + i) * len, (base + i + 1) * len)));
    const cup = (n: number) => Array.from({ length: n }, (_, i) => Float64Array.from({ length: T }, (_, s) => c[(b * Ct + off + i) * F + Math.min(Math.floor(s / hop), F - 1)]));
    const zr = rows(z, 2 * R, T, b * 2 * R);
    assertClose(a.subarray(b * R * T, (b + 1) * R * T), flat(gateCondRef(zr, cup(2 * R))), { atol: 1e-6, rtol: 1e-6 }, `gate b${b}`);
    const want = flat(zr.map((r, i) => r.map((v, s) => Math.max(0, v + cup(2 * R)[i][s]))));
    assertClose(y.subarray(b * 2 * R * T, (b + 1) * 2 * R * T), want, { atol: 1e-6, rtol: 1e-6 }, `condRelu b${b}`);
  }
  await assertThrows(() => gateCond(gpu.tensor(z.subarray(0, 3 * T), [1, 3, T]), { c: ct, offset: 0, hop }), /gateCond/, /\[B, 2R, T\]/);
  await assertThrows(() => gateCond(zt, { c: ct, offset: 8, hop }), /offset in \[0, 5\]/);
  zt.dispose(); ct.dispose();
});

t('generation: fast path = full recompute = CPU queue reference, sample for sample (B = 2, seeded); deterministic per seed; B streams = B single runs', async () => {
  await withModel(async (m, gpu, f) => {
    const { cfg } = f, frames = cfg.T / cfg.hop;
    const codes = [0, 1].map((i) => ({ data: randn(frames * cfg.bottleneck, 40 + i, -2, 2), frames, channels: cfg.bottleneck }));
    const enc = encodingTensor(gpu, codes);
    const o = { seed: 77, temperature: 1, samples: 40 };
    const fast = await generateFast(m.decoder, enc, o);
    const slow = await generateRecompute(m.decoder, enc, o);
    assert.equal(Array.from(fast.codes), Array.from(slow.codes));
    assert.ok(new Set(fast.codes).size > 8, 'the draws vary');
    const again = await generateFast(m.decoder, enc, { ...o, stepsPerSubmit: 7 });
    assert.equal(Array.from(again.codes), Array.from(fast.codes), 'same seed, same classes');
    const other = await generateFast(m.decoder, enc, { ...o, seed: 78 });
    assert.not.equal(Array.from(other.codes), Array.from(fast.codes), 'another seed differs');
    console.log(`  step kernels on ${gpu.describe()}: split ${defaultSplit(gpu)} by default`);
    const split = await generateFast(m.decoder, enc, { ...o, split: 4 });
    assert.equal(Array.from(split.codes), Array.from(fast.codes), 'split reduction entries');
    const p = await params();
    for (const b of [0, 1]) {
      const rows = Array.from({ length: cfg.bottleneck }, (_, z) => Float64Array.from({ length: frames }, (_, fr) => codes[b].data[fr * cfg.bottleneck + z]));
      const ref = new AeDecoderStepRef(p.decoder, { dilations: p.decoderDilations, hop: cfg.hop, inputTable: nsynthInputTable(), firstClass: 128 }, rows).generate(40, 77, 1, b);
      assert.equal(Array.from(fast.codes.subarray(b * 40, (b + 1) * 40)), Array.from(ref), `stream ${b} = CPU queue reference`);
      const one = encodingTensor(gpu, [codes[b]]);
      const single = await generateFast(m.decoder, one, { ...o, firstStream: b });
      assert.equal(Array.from(single.codes), Array.from(fast.codes.subarray(b * 40, (b + 1) * 40)), `stream ${b} alone`);
      one.dispose();
    }
    enc.dispose();
  });
});

t('decode(interpolate(a, b, t)): audio of frames * hop samples in [-1, 1]; errors name the fix', async () => {
  await withModel(async (m, _gpu, f) => {
    const a = await m.encode(f.audio), b = await m.encode(Float32Array.from(f.audio, (v) => -v));
    const mid = m.interpolate(a, b, 0.5);
    assertClose(mid.data, a.data.map((v, i) => Math.fround(0.5 * v + 0.5 * b.data[i])), { atol: 1e-7, rtol: 0 });
    const [audio] = await m.decode(mid, { seed: 3 });
    assert.is(audio.length, f.cfg.T);
    assert.ok(audio.every((v) => v >= -1 && v <= 1));
    await assertThrows(() => m.encode(new Float32Array(5)), /shorter than one frame/);
    await assertThrows(() => m.decode([a, { ...a, frames: 2, data: a.data.subarray(0, 8) }]), /must all be/);
  });
});

t.run();
