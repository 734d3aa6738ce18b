import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import { readText } from './util/io.js';
import type { Gpu } from '../src/runtime/gpu.js';
import { loadWaveNet, inferConfig, type StateDict } from '../src/models/wavenet/load.js';
import { generate, generateRecompute, type GenerateOptions } from '../src/models/wavenet/generate.js';
import { generatePersistent } from '../src/models/wavenet/persist.js';
import { parseWaveNetName, receptiveField } from '../src/models/wavenet/config.js';
import { muLawEncode, muLawDecode, codesToValues } from '../src/models/wavenet/mulaw.js';
import type { WaveNet, WaveNetCond } from '../src/models/wavenet/model.js';
import { wavenetRef } from '../src/ref/wavenet.js';
import { sampleRef } from '../src/ref/softmax_sample.js';

const t = suite('wavenet');

// Logits sum ~10 layers of 1x1 and dilated convs in f32 (SwiftShader exp in the gates) against
// float64 torch/reference: errors stay below 1e-5 on logits of order 1.
const TOL = { atol: 5e-5, rtol: 5e-5 };

interface Tiny { sd: StateDict; layers: number; blocks: number; classes: number; input: Float32Array; logits: Float32Array; local?: Float32Array; global?: Float32Array }

async function tiny(name: string): Promise<Tiny> {
  const m = JSON.parse(await readText(`test/fixtures/wavenet/${name}_manifest.json`));
  const flat = (await loadNpy(`test/fixtures/wavenet/${name}_params.npy`)).data as Float32Array;
  const sd: StateDict = new Map();
  let at = 0;
  for (const [n, shape] of m.tensors as [string, number[]][]) {
    const size = shape.reduce((a, b) => a * b, 1);
    sd.set(n, { data: flat.slice(at, at + size), shape });
    at += size;
  }
  const opt = async (f: string) => { try { return (await loadNpy(`test/fixtures/wavenet/${name}_${f}.npy`)).data as Float32Array; } catch { return undefined; } };
  return { sd, ...m.config, input: (await opt('input'))!, logits: (await opt('logits'))!, local: await opt('local'), global: await opt('global') };
}

function condOf(m: WaveNet, x: Tiny, b = 1): WaveNetCond | undefined {
  const c = m.config;
  if (!c.localChannels && !c.globalChannels) return undefined;
  return {
    local: c.localChannels ? { data: x.local!, shape: [b, c.localChannels, x.input.length / b] } : undefined,
    global: c.globalChannels ? { data: x.global!, shape: [b, c.globalChannels] } : undefined,
  };
}

for (const name of ['tiny_scalar', 'tiny_onehot']) {
  t(`${name}: reference and gpu forward match torch`, async () => {
    const gpu = await getGpu();
    const x = await tiny(name);
    const m = loadWaveNet(gpu, x.sd, { layers: x.layers, blocks: x.blocks });
    try {
      const c = m.config;
      const ref = wavenetRef(x.sd, { dilations: m.dilations, input: c.input, classes: c.classes, localChannels: c.localChannels, globalChannels: c.globalChannels }, x.input, x.local, x.global);
      assertClose(ref, x.logits, { atol: 1e-5, rtol: 1e-5 }, 'ref vs torch');
      const y = m.forward(gpu.tensor(x.input), condOf(m, x));
      assert.equal(y.shape, [c.classes, x.input.length - m.receptiveField + 1]);
      assertClose(await y.read(), x.logits, TOL, 'gpu vs torch');
      y.dispose();
    } finally { m.dispose(); }
  });
}

t('batched forward (B=3, one-hot, local + global conditioning) equals per-stream references', async () => {
  const gpu = await getGpu();
  const x = await tiny('tiny_onehot');
  const m = loadWaveNet(gpu, x.sd, { layers: x.layers, blocks: x.blocks });
  try {
    const c = m.config, B = 3, T = 37;
    const input = codesToValues(Array.from(randn(B * T, 5, 0, c.classes), Math.floor), c.classes);
    const local = randn(B * c.localChannels * T, 6), global = randn(B * c.globalChannels, 7);
    const y = await m.forward(gpu.tensor(input, [B, T]), { local: { data: local, shape: [B, c.localChannels, T] }, global: { data: global, shape: [B, c.globalChannels] } }).read();
    const n = T - m.receptiveField + 1;
    for (let b = 0; b < B; b++) {
      const ref = wavenetRef(x.sd, { dilations: m.dilations, input: 'onehot', classes: c.classes, localChannels: c.localChannels, globalChannels: c.globalChannels },
        input.subarray(b * T, (b + 1) * T), local.subarray(b * c.localChannels * T, (b + 1) * c.localChannels * T), global.subarray(b * c.globalChannels, (b + 1) * c.globalChannels));
      assertClose(y.subarray(b * c.classes * n, (b + 1) * c.classes * n), ref, TOL, `stream ${b}`);
    }
  } finally { m.dispose(); }
});

/** Generation on the CPU: reference forward over the last RF inputs (silence before 0), reference draw. */
function generateRef(x: Tiny, m: WaveNet, primeCodes: number[], samples: number, o: { seed: number; temperature: number; stream: number; local?: Float32Array; global?: Float32Array }): number[] {
  const c = m.config, rf = m.receptiveField;
  const codes = primeCodes.slice();
  const total = codes.length + samples;
  for (let step = codes.length - 1; step < total - 1; step++) {
    const vals = Array.from({ length: rf }, (_, j) => { const i = step - rf + 1 + j; return i < 0 ? 0 : codesToValues([codes[i]], c.classes)[0]; });
    const local = o.local && Float32Array.from({ length: c.localChannels * rf }, (_, k) => o.local![Math.floor(k / rf) * total + Math.max(0, step - rf + 1 + (k % rf))]);
    const logits = wavenetRef(x.sd, { dilations: m.dilations, input: c.input, classes: c.classes, localChannels: c.localChannels, globalChannels: c.globalChannels }, vals, local, o.global);
    codes.push(sampleRef(logits, c.classes, o.temperature, o.seed, step, o.stream).index[0]);
  }
  return codes;
}

async function withTiny(gpu: Gpu, name: string, fn: (m: WaveNet, x: Tiny) => Promise<void>): Promise<void> {
  const x = await tiny(name);
  const m = loadWaveNet(gpu, x.sd, { layers: x.layers, blocks: x.blocks });
  try { await fn(m, x); } finally { m.dispose(); }
}

t('generation: fast path = full recompute = CPU reference, sample for sample (scalar input, primed)', async () => {
  const gpu = await getGpu();
  await withTiny(gpu, 'tiny_scalar', async (m, x) => {
    const c = m.config;
    const prime = Float32Array.from(randn(9, 21, -0.8, 0.8));
    const opts: GenerateOptions = { samples: 40, prime, seed: 1234, temperature: 0.9 };
    const fast = await generate(m, opts);
    const slow = await generateRecompute(m, opts);
    assert.equal(Array.from(fast.codes), Array.from(slow.codes));
    const ref = generateRef(x, m, Array.from(muLawEncode(prime, c.classes, c.mu)), 40, { seed: 1234, temperature: 0.9, stream: 0 });
    assert.equal(Array.from(fast.codes), ref);
    assert.ok(new Set(ref.slice(9)).size > 3, 'the draws vary');
    assertClose(fast.audio[0], muLawDecode(ref.slice(9), c.classes, c.mu), { atol: 0, rtol: 0 });
  });
});

t('generation with local + global conditioning and B=2: fast = recompute = reference; B streams = B single runs', async () => {
  const gpu = await getGpu();
  await withTiny(gpu, 'tiny_onehot', async (m, x) => {
    const c = m.config, B = 2, samples = 30, total = 1 + samples;
    const local = randn(B * c.localChannels * total, 31), global = randn(B * c.globalChannels, 32);
    const cond = { local: { data: local, shape: [B, c.localChannels, total] }, global: { data: global, shape: [B, c.globalChannels] } };
    const opts: GenerateOptions = { samples, batch: B, seed: 7, temperature: 1.3, cond, stepsPerSubmit: 8 };
    const fast = await generate(m, opts);
    assert.equal(Array.from(fast.codes), Array.from((await generateRecompute(m, opts)).codes));
    for (let b = 0; b < B; b++) {
      const lb = local.subarray(b * c.localChannels * total, (b + 1) * c.localChannels * total), gb = global.subarray(b * c.globalChannels, (b + 1) * c.globalChannels);
      const want = generateRef(x, m, [muLawEncode([0], c.classes, c.mu)[0]], samples, { seed: 7, temperature: 1.3, stream: b, local: lb, global: gb });
      assert.equal(Array.from(fast.codes.subarray(b * total, (b + 1) * total)), want, `stream ${b} vs reference`);
      const single = await generate(m, { ...opts, batch: 1, firstStream: b, cond: { local: { data: lb, shape: [1, c.localChannels, total] }, global: { data: gb, shape: [1, c.globalChannels] } } });
      assert.equal(Array.from(single.codes), want, `single run of stream ${b}`);
    }
  });
});

t('generation is deterministic for a seed and changes with it; temperature 0 is greedy', async () => {
  const gpu = await getGpu();
  await withTiny(gpu, 'tiny_scalar', async (m, x) => {
    const a = await generate(m, { samples: 50, seed: 99 });
    const b = await generate(m, { samples: 50, seed: 99 });
    const d = await generate(m, { samples: 50, seed: 100 });
    assert.equal(Array.from(a.codes), Array.from(b.codes));
    assert.not.equal(Array.from(a.codes), Array.from(d.codes));
    const g = await generate(m, { samples: 12, seed: 5, temperature: 0 });
    const ref = generateRef(x, m, [muLawEncode([0], m.classes, m.config.mu)[0]], 12, { seed: 0, temperature: 0, stream: 0 });
    assert.equal(Array.from(g.codes), ref);
  });
});

t('persistent kernel (many samples per dispatch) = per-layer fast path, sample for sample', async () => {
  const gpu = await getGpu();
  await withTiny(gpu, 'tiny_scalar', async (m) => {
    const opts: GenerateOptions = { samples: 45, batch: 2, prime: [randn(5, 41, -0.7, 0.7), randn(5, 42, -0.7, 0.7)], seed: 77, temperature: 1.1, firstStream: 3 };
    assert.equal(Array.from((await generatePersistent(m, { ...opts, stepsPerDispatch: 8 })).codes), Array.from((await generate(m, opts)).codes));
  });
  // One-hot input, biases, two-layer head (the tiny_onehot weights without its conditioning).
  const x = await tiny('tiny_onehot');
  for (const k of [...x.sd.keys()]) if (k.includes('cond_convs')) x.sd.delete(k);
  const m = loadWaveNet(gpu, x.sd, { layers: x.layers, blocks: x.blocks });
  try {
    const opts: GenerateOptions = { samples: 33, seed: 5, temperature: 0.8 };
    assert.equal(Array.from((await generatePersistent(m, { ...opts, stepsPerDispatch: 5 })).codes), Array.from((await generate(m, opts)).codes));
  } finally { m.dispose(); }
  await withTiny(gpu, 'tiny_onehot', async (mc) => {
    await assertThrows(() => generatePersistent(mc, { samples: 3 }), /persist/, /no conditioning/, /use generate\(\)/);
  });
});

t('config: checkpoint names, inference and errors', async () => {
  const gpu = await getGpu();
  assert.equal(parseWaveNetName('violin_7-2-128-64-64-64-2.pt_legacy'), { layers: 7, blocks: 2, classes: 128, mu: 128, dilationChannels: 64, residualChannels: 64, skipChannels: 64, kernelSize: 2 });
  assert.is(receptiveField({ layers: 7, blocks: 2, kernelSize: 2 }), 255);
  const x = await tiny('tiny_scalar');
  await assertThrows(() => inferConfig(x.sd, { layers: 3, blocks: 2 }), /wavenet/, /8 layers/, /layers x blocks = 3 x 2/);
  await assertThrows(() => loadWaveNet(gpu, new Map([['start_conv.weight', x.sd.get('start_conv.weight')!]])), /not a pytorch-wavenet layout/);
  await withTiny(gpu, 'tiny_scalar', async (m) => {
    await assertThrows(() => m.forward(gpu.tensor(new Float32Array(10))), /shorter than the receptive field 31/);
    await assertThrows(() => m.forward(gpu.zeros([1, 2, 40])), /expected f32 \[T\] or \[B, T\]/);
    await assertThrows(() => m.forward(gpu.zeros([40]), { global: { data: new Float32Array(2), shape: [1, 2] } }), /global conditioning \[1, 2\] given but the model has none/);
    await assertThrows(() => generate(m, { samples: 0 }), /samples must be a positive integer/);
    await assertThrows(() => generate(m, { samples: 3, prime: [new Float32Array(3), new Float32Array(4)] }), /equal lengths/);
  });
});

t.run();
