import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { assertClose, loadNpy, assertThrows, randn } from './util/check.js';
import { readFile, readText, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';
import { loadNam } from '../src/models/nam/load.js';
import type { NamModel } from '../src/models/nam/model.js';
import type { Gpu } from '../src/runtime/gpu.js';

const t = suite('nam');

// Against the float64 numpy reference: ~20 layers of small (<= 16 channel) f32 sums and SwiftShader
// tanh; outputs are of order 0.1-1.
const TOL = { atol: 2e-5, rtol: 1e-4 };
// Chunked vs whole-signal processing: the same arithmetic per sample, so equal to rounding.
const TOL_STREAM = { atol: 1e-6, rtol: 0 };

async function fixture(name: string): Promise<{ x: Float32Array; y: Float32Array }> {
  return {
    x: (await loadNpy(`test/fixtures/nam/${name}_input.npy`)).data as Float32Array,
    y: (await loadNpy(`test/fixtures/nam/${name}_output.npy`)).data as Float32Array,
  };
}

async function withModel(gpu: Gpu, bytes: Uint8Array, opts: { batch?: number; blockSize?: number }, fn: (m: NamModel) => Promise<void>): Promise<void> {
  const m = await loadNam(gpu, bytes, opts);
  try { await fn(m); } finally { m.dispose(); }
}

async function chunked(m: NamModel, x: Float32Array, cuts: number[]): Promise<Float32Array> {
  const out = new Float32Array(x.length);
  let at = 0;
  for (const end of [...cuts, x.length]) {
    out.set(await m.process(x.subarray(at, end)) as Float32Array, at);
    at = end;
  }
  return out;
}

t('random .nam (gated + plain arrays, kernel 3 and 2): whole signal matches numpy; chunks match whole', async () => {
  const gpu = await getGpu();
  const bytes = await readFile('test/fixtures/nam/random.nam');
  const { x, y } = await fixture('random');
  await withModel(gpu, bytes, { blockSize: 64 }, async (m) => {
    assert.is(m.receptiveField, 30);
    const whole = await m.process(x) as Float32Array;
    assertClose(whole, y, TOL, 'whole vs numpy');
    m.reset();
    assertClose(await chunked(m, x, [1, 2, 5, 70, 71, 200, 263]), whole, TOL_STREAM, 'chunks vs whole');
  });
});

t('batch of 2 streams equals two single-stream runs', async () => {
  const gpu = await getGpu();
  const bytes = await readFile('test/fixtures/nam/random.nam');
  const a = randn(157, 3, -0.8, 0.8), b = randn(157, 4, -0.8, 0.8);
  await withModel(gpu, bytes, { batch: 2, blockSize: 50 }, async (m2) => {
    const both = await m2.process([a, b]) as Float32Array[];
    await withModel(gpu, bytes, { blockSize: 157 }, async (m1) => {
      assertClose(both[0], await m1.process(a) as Float32Array, TOL_STREAM, 'stream 0');
      m1.reset();
      assertClose(both[1], await m1.process(b) as Float32Array, TOL_STREAM, 'stream 1');
    });
  });
});

for (const [name, n, block, cuts] of [['wavenet', 700, 128, [100, 333, 334]], ['wavenet_a1_standard', 2000, 1024, [1, 480, 1500]]] as [string, number, number, number[]][]) {
  t(`published ${name}.nam: output matches the numpy reference; block-by-block equals whole to 1e-6`, async () => {
    if (!(await sharedWeightsAvailable(`NeuralAmpModelerCore/${name}.nam`))) return;
    const gpu = await getGpu();
    const bytes = await readFile(`${SHARED_WEIGHTS}/NeuralAmpModelerCore/${name}.nam`);
    const { x, y } = await fixture(name);
    assert.is(x.length, n);
    await withModel(gpu, bytes, { blockSize: block }, async (m) => {
      assert.is(m.sampleRate, 48000);
      const whole = await m.process(x) as Float32Array;
      assertClose(whole, y, TOL, `${name} vs numpy`);
      m.reset();
      assertClose(await chunked(m, x, cuts), whole, TOL_STREAM, `${name} chunks vs whole`);
    });
  });
}

t('errors: unsupported configs and wrong inputs', async () => {
  const gpu = await getGpu();
  const json = JSON.parse(await readText('test/fixtures/nam/random.nam'));
  const variant = (f: (c: any) => void) => { const j = structuredClone(json); f(j.config); return JSON.stringify(j); };
  await assertThrows(() => loadNam(gpu, variant((c) => { c.layers[0].activation = 'ReLU'; })), /nam/, /only "Tanh"/);
  await assertThrows(() => loadNam(gpu, variant((c) => { c.layers[0].head_size = 4; })), /nam/);
  await withModel(gpu, await readFile('test/fixtures/nam/random.nam'), {}, async (m) => {
    await assertThrows(() => m.process([new Float32Array(3), new Float32Array(3)]), /2 input channel\(s\) for a model built for batch 1/);
    await assertThrows(() => m.run(gpu.zeros([2, 5])), /expected f32 \[1, T\]/);
    assert.is((await m.process(new Float32Array(0)) as Float32Array).length, 0);
  });
});

t.run();
