// The published pytorch-wavenet violin checkpoint (../shared/weights, never copied into the repo),
// teacher-forced on its own training clip. Skips cleanly when ../shared is absent.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { assertClose, loadNpy } from './util/check.js';
import { readFile, readText, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';
import { readTorchLegacy } from '../src/weights/torch.js';
import { readWav, downmix } from '../src/audio/wav.js';
import { loadWaveNet, stateDictFrom } from '../src/models/wavenet/load.js';
import { generate } from '../src/models/wavenet/generate.js';
import { muLawEncode, codesToValues } from '../src/models/wavenet/mulaw.js';
import type { WaveNet } from '../src/models/wavenet/model.js';
import type { Gpu } from '../src/runtime/gpu.js';

const t = suite('wavenet_violin');
const NAME = 'violin_7-2-128-64-64-64-2';
const CKPT = `pytorch-wavenet/${NAME}.pt_legacy`;

let model: WaveNet | null = null;
async function violin(gpu: Gpu): Promise<WaveNet> {
  if (model) return model;
  const wf = await readTorchLegacy(await readFile(`${SHARED_WEIGHTS}/${CKPT}`), `${NAME}.pt_legacy`);
  model = loadWaveNet(gpu, await stateDictFrom(wf), {}, NAME);
  return model;
}

/** The training clip as pytorch-wavenet saw it: mono mean, mu-law classes (mu = 128). */
async function clipCodes(): Promise<Uint32Array> {
  const wav = readWav(await readFile(`${SHARED_WEIGHTS}/pytorch-wavenet/train_samples/violin.wav`));
  assert.is(wav.sampleRate, 44100);
  return muLawEncode(downmix(wav.channels), 128, 128);
}

function argmaxColumns(logits: Float32Array, classes: number, n: number): number[] {
  return Array.from({ length: n }, (_, j) => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[c * n + j] > logits[best * n + j]) best = c;
    return best;
  });
}

t('violin: loads by tensor name, logits match torch on a clip slice', async () => {
  if (!(await sharedWeightsAvailable(CKPT))) return;
  const gpu = await getGpu();
  const m = await violin(gpu);
  assert.is(m.receptiveField, 255);
  assert.equal([m.config.layers, m.config.blocks, m.config.classes, m.config.residualChannels, m.config.input], [7, 2, 128, 64, 'scalar']);
  const input = (await loadNpy('test/fixtures/wavenet/violin_input.npy')).data as Float32Array;
  const want = (await loadNpy('test/fixtures/wavenet/violin_logits.npy')).data as Float32Array;
  const y = m.forward(gpu.tensor(input));
  // 14 gated layers of 64 channels in f32 against torch float64: logits of magnitude ~10 agree to ~1e-5.
  assertClose(await y.read() as Float32Array, want, { atol: 2e-4, rtol: 2e-5 }, 'violin logits');
  y.dispose();
});

t('violin: teacher-forced top-1 on its training clip matches the original (~92-94%)', async () => {
  if (!(await sharedWeightsAvailable(CKPT))) return;
  const gpu = await getGpu();
  const m = await violin(gpu);
  const meta = JSON.parse(await readText('test/fixtures/wavenet/violin_meta.json'));
  const codes = await clipCodes();
  assert.is(codes.length, meta.samples);
  const start = 4000, len = 1024 + 254, n = len - 255;
  const x = codesToValues(codes.subarray(start, start + len), 128);
  const y = m.forward(gpu.tensor(x));
  const pred = argmaxColumns(await y.read() as Float32Array, 128, n + 1);
  y.dispose();
  let hits = 0;
  for (let j = 0; j < n; j++) if (pred[j] === codes[start + 255 + j]) hits++;
  const top1 = hits / n;
  console.log(`  violin top-1 on samples ${start}..${start + len}: ${(100 * top1).toFixed(1)}% (torch: ${(100 * meta.top1_4000_1278).toFixed(1)}%, whole clip in torch: ${(100 * meta.top1_0_26460).toFixed(1)}%)`);
  assert.ok(Math.abs(top1 - meta.top1_4000_1278) <= 0.005, `top-1 ${top1} vs torch ${meta.top1_4000_1278}`);
  assert.ok(top1 > 0.9);
});

t('violin: greedy fast generation continues the clip as forward() predicts it', async () => {
  if (!(await sharedWeightsAvailable(CKPT))) return;
  const gpu = await getGpu();
  const m = await violin(gpu);
  const codes = await clipCodes();
  const P = 400, N = 24;
  const g = await generate(m, { samples: N, primeCodes: codes.slice(8000, 8000 + P), temperature: 0 });
  assert.equal(Array.from(g.codes.subarray(0, P)), Array.from(codes.subarray(8000, 8000 + P)), 'the prime is kept');
  const y = m.forward(gpu.tensor(codesToValues(g.codes, 128)));
  const n = P + N - 255 + 1;
  const pred = argmaxColumns(await y.read() as Float32Array, 128, n);
  y.dispose();
  // Column j predicts sample 255 + j: the generated samples P .. P+N-1 are columns P-255 ...
  assert.equal(Array.from(g.codes.subarray(P)), pred.slice(P - 255, P - 255 + N));
});

t.after(() => { model?.dispose(); model = null; });

t.run();
