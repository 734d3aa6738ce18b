/**
 * Universal Music Translation Network against a torch rewrite of music-translation's modules
 * (scripts/fixtures/umt.py) on a reduced configuration: encoder 2 x 3 layers of 8 channels with a
 * 4-dim latent every 16 samples, two domain decoders of 2 x 3 layers (kernel 2, 8 channels),
 * 48 samples. The weights are two Trainer.save_model checkpoints in the legacy torch format.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { assertClose, assertThrows, loadNpy, randn } from './util/check.js';
import { readFile, readText } from './util/io.js';
import type { Gpu } from '../src/runtime/gpu.js';
import { loadWeights } from '../src/weights/load.js';
import type { WeightFile } from '../src/weights/types.js';
import { MusicTranslator } from '../src/models/umt/model.js';
import { readUmtParams, type UmtParams } from '../src/models/umt/load.js';
import { umtInputTable, umtInvMuLaw, umtMuLaw } from '../src/models/umt/mulaw.js';
import { encodingTensor } from '../src/models/nsynth/model.js';
import { generateFast, generateRecompute } from '../src/models/nsynth/generate.js';
import { aeDecoderRef, aeEncoderRef } from '../src/ref/nsynth.js';
import { AeDecoderStepRef } from '../src/ref/nsynth_step.js';

const t = suite('umt');
const DIR = 'test/fixtures/umt';

interface Fixture { cfg: Record<string, number>; audio: Float32Array; classes: Int32Array; latent: Float32Array; logits: Float32Array[] }

let cached: Fixture | null = null;
async function fixture(): Promise<Fixture> {
  if (cached) return cached;
  const cfg = JSON.parse(await readText(`${DIR}/config.json`));
  const [audio, classes, latent, l0, l1] = await Promise.all(['audio', 'classes', 'latent', 'logits_0', 'logits_1'].map((n) => loadNpy(`${DIR}/${n}.npy`)));
  cached = { cfg, audio: audio.data as Float32Array, classes: classes.data as Int32Array, latent: latent.data as Float32Array, logits: [l0.data as Float32Array, l1.data as Float32Array] };
  return cached;
}

async function files(): Promise<WeightFile[]> {
  return Promise.all([0, 1].map(async (k) => loadWeights(await readFile(`${DIR}/bestmodel_${k}.pth`), { name: `bestmodel_${k}.pth` })));
}

async function params(): Promise<UmtParams> {
  const f = await fixture();
  return readUmtParams(await files(), { layers: f.cfg.layers, encoderLayers: f.cfg.encoder_layers, pool: f.cfg.encoder_pool });
}

async function withModel(fn: (m: MusicTranslator, gpu: Gpu, f: Fixture) => Promise<void>): Promise<void> {
  const gpu = await getGpu(), f = await fixture();
  const m = new MusicTranslator(gpu, await params());
  try { await fn(m, gpu, f); } finally { m.dispose(); }
}

const flat = (rows: Float64Array[]) => Float32Array.from(rows.flatMap((r) => Array.from(r)));
const shifted = (x: ArrayLike<number>) => Float32Array.from({ length: x.length }, (_, i) => (i === 0 ? 0 : x[i - 1]));

t('checkpoints: encoder_state / decoder_state names load, one decoder per file, blocks from the options', async () => {
  const f = await fixture(), p = await params();
  assert.is(p.decoders.length, 2);
  assert.is(p.encoder.layers.length, f.cfg.encoder_blocks * f.cfg.encoder_layers);
  assert.equal(p.decoderDilations, [1, 2, 4, 1, 2, 4]);
  assert.equal([...p.decoders[1].layers[0].dil.w.shape], [16, 8, 2]);
  assert.not.equal(Array.from(p.decoders[0].logits.w.data.subarray(0, 8)), Array.from(p.decoders[1].logits.w.data.subarray(0, 8)));
  const ws = await files();
  await assertThrows(() => readUmtParams(ws), /6 decoder layers do not split into blocks of 10 or 14/, /--layers/);
  await assertThrows(() => readUmtParams([{ ...ws[0], tensors: new Map() }]), /no encoder/);
});

t('mu-law: classes equal the numpy pipeline; inverse and input table follow utils.py / WaveNet.forward', async () => {
  const f = await fixture();
  assert.equal(Array.from(umtMuLaw(f.audio)), Array.from(f.classes));
  const inv = umtInvMuLaw([0, 127, 128, 255]);
  assertClose(inv, [-1, -Math.fround((256 ** (1 / 128) - 1) / 255), 0, Math.fround((256 ** (127 / 128) - 1) / 255)], { atol: 1e-7, rtol: 1e-6 });
  assert.is(umtInputTable()[255], 0.5);
  assert.is(umtInputTable()[0], -0.5);
});

t('CPU reference matches the torch modules (latent, both domains\' teacher-forced logits)', async () => {
  const f = await fixture(), p = await params(), { cfg } = f;
  const x = Float32Array.from(f.classes, (q) => umtInputTable()[q]);
  const z = aeEncoderRef(p.encoder, { dilations: p.encoderDilations, preRelu: false, pool: cfg.encoder_pool }, x);
  assertClose(flat(z), f.latent, { atol: 1e-6, rtol: 1e-5 }, 'latent');
  for (const k of [0, 1]) {
    const logits = aeDecoderRef(p.decoders[k], { dilations: p.decoderDilations, hop: cfg.encoder_pool }, shifted(x), z);
    assertClose(flat(logits), f.logits[k], { atol: 1e-5, rtol: 1e-5 }, `logits ${k}`);
  }
});

// f32 on the GPU against float64 torch through 6 + 6 layers. Measured max |err| 2.4e-7 (latent)
// and 9.5e-7 (logits up to 4.4) in Node and Chromium; 5e-6 leaves room for another GPU's exp/tanh.
const TOL = { atol: 5e-6, rtol: 5e-6 };

t('GPU: latent and teacher-forced logits of both domains match the torch modules', async () => {
  await withModel(async (m, _gpu, f) => {
    const { cfg } = f, frames = cfg.T / cfg.encoder_pool;
    const x = m.inputs(m.classes(f.audio));
    const z = m.encodeTensor(x);
    assert.equal(z.shape, [1, cfg.latent_d, frames]);
    assertClose(await z.read(), f.latent, TOL, 'latent');
    for (const k of [0, 1]) {
      const logits = m.logitsTensor(x, z, k);
      assert.equal(logits.shape, [1, 256, cfg.T]);
      assertClose(await logits.read(), f.logits[k], TOL, `logits ${k}`);
      logits.dispose();
    }
    const code = await m.encode(f.audio);
    assert.equal([code.frames, code.channels], [frames, cfg.latent_d]);
    x.dispose(); z.dispose();
  });
});

t('generation: fast path = full recompute = CPU queue reference (B = 2, seeded), both domains; same seed, same audio', async () => {
  await withModel(async (m, gpu, f) => {
    const { cfg } = f, frames = cfg.T / cfg.encoder_pool;
    const codes = [0, 1].map((i) => ({ data: randn(frames * cfg.latent_d, 60 + i, -1.5, 1.5), frames, channels: cfg.latent_d }));
    const enc = encodingTensor(gpu, codes), p = await params();
    for (const k of [0, 1]) {
      const o = { seed: 5 + k, temperature: 0.8, samples: 40 };
      const fast = await generateFast(m.decoders[k], enc, o);
      const slow = await generateRecompute(m.decoders[k], enc, o);
      assert.equal(Array.from(fast.codes), Array.from(slow.codes), `domain ${k}`);
      const rows = Array.from({ length: cfg.latent_d }, (_, z) => Float64Array.from({ length: frames }, (_, fr) => codes[1].data[fr * cfg.latent_d + z]));
      const ref = new AeDecoderStepRef(p.decoders[k], { dilations: p.decoderDilations, hop: cfg.encoder_pool, inputTable: umtInputTable(), firstClass: 128 }, rows).generate(40, o.seed, o.temperature, 1);
      assert.equal(Array.from(fast.codes.subarray(40)), Array.from(ref), `domain ${k}, stream 1 = CPU queue reference`);
      assert.ok(new Set(fast.codes).size > 8, 'the draws vary');
    }
    const a = await m.translate(f.audio, 1, { seed: 9 }), b = await m.translate(f.audio, 1, { seed: 9 });
    assert.is(a.length, frames * cfg.encoder_pool);
    assert.equal(Array.from(a), Array.from(b));
    const c = await m.translate(f.audio, 0, { seed: 9 });
    assert.not.equal(Array.from(c), Array.from(a), 'another domain decodes differently');
    assert.ok(a.every((v) => v >= -1 && v <= 1));
    await assertThrows(() => m.translate(f.audio, 2), /domain 2 does not exist/, /0\.\.1/);
    await assertThrows(() => m.encode(new Float32Array(3)), /shorter than one latent frame/);
    enc.dispose();
  });
});

t.run();
