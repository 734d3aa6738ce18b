/**
 * NAM .nam files: parsing and validation, and the WaveNet weight-count check against the config
 * (order per NAM's set_weights_; the real files are checked in weights_real.test.ts).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WaveGpuError } from '../src/runtime/errors.js';
import { checkNamWaveNet, namWaveNetLayout, readNam } from '../src/weights/nam.js';
import { assertThrows } from './util/check.js';

const t = suite('weights: nam');

/** The tiny two-array WaveNet of NeuralAmpModelerCore's example_models/wavenet.nam (131 weights). */
const CONFIG = {
  layers: [
    { input_size: 1, condition_size: 1, head_size: 2, channels: 3, kernel_size: 3, dilations: [1, 2], activation: 'Tanh', gated: false, head_bias: false },
    { input_size: 3, condition_size: 1, head_size: 1, channels: 2, kernel_size: 3, dilations: [8], activation: 'Tanh', gated: false, head_bias: true },
  ],
  head: null, head_scale: 0.02,
};

const nam = (over: Record<string, unknown> = {}, n = 131): string => JSON.stringify({
  version: '0.5.4', architecture: 'WaveNet', config: CONFIG,
  weights: Array.from({ length: n }, (_, i) => i / 1000), sample_rate: 48000, metadata: { name: 'Test Model', loudness: -20 }, ...over,
});

t('reads weights, config, sample rate and metadata; the layout covers every weight', async () => {
  const f = await readNam(nam(), 'toy.nam');
  assert.is(f.format, 'nam');
  assert.is(f.weights.length, 131);
  assert.is(f.sampleRate, 48000);
  assert.is(f.metadata['metadata.name'], 'Test Model');
  assert.is(f.metadata['metadata.loudness'], '-20');
  assert.equal(f.tensors.get('weights')!.shape, [131]);
  assert.is((await f.tensors.get('weights')!.read())[5], Math.fround(0.005));
  const layout = checkNamWaveNet(f);
  // array 0: rechannel 3, 2 layers x (27+3 conv, 3 mixin, 9+3 1x1), head 6; array 1: 6, 12+2+2+4+2, 2+1; head_scale
  assert.equal(layout.map((s) => s.size), [3, 27, 3, 3, 9, 3, 27, 3, 3, 9, 3, 6, 6, 12, 2, 2, 4, 2, 2, 1, 1]);
  assert.equal(layout.find((s) => s.name === 'layers.1.layer.0.conv.weight')!.shape, [2, 2, 3]);
  let pos = 0;
  for (const s of layout) { assert.is(s.offset, pos); pos += s.size; }
});

t('gated layers double the conv and mixin outputs', () => {
  const gated = { layers: [{ ...CONFIG.layers[0], gated: true, dilations: [1] }], head: null };
  const l = namWaveNetLayout(gated);
  assert.equal(l.find((s) => s.name === 'layers.0.layer.0.conv.weight')!.shape, [6, 3, 3]);
  assert.equal(l.find((s) => s.name === 'layers.0.layer.0.input_mixin.weight')!.shape, [6, 1]);
  assert.equal(l.find((s) => s.name === 'layers.0.layer.0.1x1.weight')!.shape, [3, 3]);
});

t('weight count mismatch names both counts', async () => {
  const f = await readNam(nam({}, 130), 'short.nam');
  const e = await assertThrows(() => checkNamWaveNet(f), /short\.nam: the WaveNet config needs 131 weights but the file has 130/);
  assert.instance(e, WaveGpuError);
});

t('malformed files are refused', async () => {
  const cases: Array<[string, RegExp]> = [
    ['{"architecture": "WaveNet", ', /not valid JSON/],
    ['[1, 2]', /not a JSON object/],
    [nam({ architecture: 3 }), /missing "architecture" string/],
    [nam({ config: [] }), /missing "config" object/],
    [nam({ weights: 'abc' }), /missing "weights" list/],
    [nam({ weights: [0.5, '1', 2] }), /weight 1 is "1", not a finite number/],
    [nam({ weights: [0.5, null] }), /weight 1 is null/],
    [nam({ sample_rate: -5 }), /bad sample_rate -5/],
  ];
  for (const [text, pattern] of cases) await assertThrows(() => readNam(text, 'evil.nam'), pattern, /evil\.nam/);
  const f = await readNam(nam({ config: { ...CONFIG, layers: [{ ...CONFIG.layers[0], channels: -3 }] } }), 'evil.nam');
  await assertThrows(() => checkNamWaveNet(f), /channels is -3, not a positive integer/);
  const h = await readNam(nam({ config: { ...CONFIG, head: { layers: 2 } } }), 'evil.nam');
  await assertThrows(() => checkNamWaveNet(h), /non-null "head" is not supported/);
  const lstm = await readNam(nam({ architecture: 'LSTM' }), 'lstm.nam');
  await assertThrows(() => checkNamWaveNet(lstm), /architecture is "LSTM", not "WaveNet"/);
});

t.run();
