// The real Multi-band MelGAN (TensorFlowTTS LJSpeech, TF.js graph, uint8-quantised weights)
// against the same graph executed by @tensorflow/tfjs-core + tfjs-backend-cpu + tfjs-converter
// (scripts/fixtures/mbmelgan_tfjs.mjs) on the same inputs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { loadNpy, relL2, assertThrows } from './util/check.js';
import { readFile, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';
import { readTfjs, type TfjsWeightFile } from '../src/weights/tfjs.js';
import { readMbMelganGraph, type MbMelganGraph } from '../src/models/mbmelgan/graph.js';
import { loadMbMelgan } from '../src/models/mbmelgan/load.js';
import { MultiBandMelGAN } from '../src/models/mbmelgan/model.js';

const t = suite('mbmelgan');
const DIR = `${SHARED_WEIGHTS}/tfjs-tts-mbmelgan-ljspeech`;
const FIX = 'test/fixtures/mbmelgan';

let file: TfjsWeightFile | null = null;
let parsed: MbMelganGraph | null = null;
const graph = async (f: TfjsWeightFile) => (parsed ??= await readMbMelganGraph(f));
async function weights(): Promise<TfjsWeightFile | null> {
  if (file) return file;
  if (!(await sharedWeightsAvailable('tfjs-tts-mbmelgan-ljspeech/model.json'))) return null;
  file = await readTfjs(await readFile(`${DIR}/model.json`), (p) => readFile(`${DIR}/${p}`));
  return file;
}

t('graph constants map to named weights with the TensorFlowTTS layout', async () => {
  const f = await weights();
  if (!f) return;
  const g = await graph(f);
  assert.is(g.slope, 0.2);
  assert.is(g.stages, 3);
  assert.is(g.blocks, 4);
  const first = g.convs.get('first_conv')!;
  assert.equal([first.cout, first.cin, first.k, first.paddingMode], [384, 80, 7, 'reflect']);
  assert.equal(first.padding, [3, 3]);
  assert.equal(g.convs.get('upsample.0')!.weight.shape, [384, 192, 16]);
  assert.equal([1, 2].map((i) => [g.convs.get(`upsample.${i}`)!.stride, g.convs.get(`upsample.${i}`)!.padding[0]]), [[4, 2], [2, 1]]);
  for (let j = 0; j < 4; j++) {
    const c1 = g.convs.get(`stack.2.${j}.conv1`)!;
    assert.equal([c1.dilation, c1.padding[0], c1.paddingMode, c1.cin], [3 ** j, 3 ** j, 'reflect', 48]);
    assert.is(g.convs.get(`stack.2.${j}.conv2`)!.k, 1);
    assert.ok(g.convs.get(`stack.2.${j}.shortcut`)!.bias, 'shortcut has a bias');
  }
  assert.equal(g.convs.get('last_conv')!.weight.shape, [4, 48, 7]);
  assert.equal(g.convs.get('pqmf.synthesis')!.padding, [31, 31]);
  assert.equal(g.convs.get('pqmf.synthesis')!.weight.shape, [1, 4, 63]);
  let n = 0, floats = 0;
  for (const c of g.convs.values()) n += c.weight.data.length + (c.bias?.data.length ?? 0);
  for (const e of f.tensors.values()) if (e.dtype === 'f32') floats += e.shape.reduce((a, b) => a * b, 1);
  assert.is(n, floats, 'every float constant of the graph is mapped');
  assert.is(floats, 2534672, '2,534,996 elements less 324 int32 shape/padding constants');
});

for (const name of ['short', 'long']) {
  t(`${name} mel: GPU equals the tfjs-converter peer (relative L2 < 1e-3)`, async () => {
    const f = await weights();
    if (!f) return;
    const gpu = await getGpu();
    const m = MultiBandMelGAN.fromGraph(gpu, await graph(f));
    assert.is(m.hop, 256);
    const mel = await loadNpy(`${FIX}/${name}_mel.npy`), ref = await loadNpy(`${FIX}/${name}_audio.npy`);
    const x = gpu.tensor(mel.data as Float32Array, mel.shape);
    const y = await m.forward(x).read();
    const err = relL2(y, ref.data);
    console.log(`  ${name}: ${mel.shape[1]} frames, relative L2 error ${err.toExponential(2)}`);
    assert.ok(err < 1e-3, `relative L2 ${err}`);
    if (name === 'short') {
      const bands = await m.subbands(x).read(), refB = (await loadNpy(`${FIX}/short_bands.npy`)).data;  // [T, 4] channels-last
      const ours = new Float32Array(bands.length), T = bands.length / 4;
      for (let k = 0; k < 4; k++) for (let i = 0; i < T; i++) ours[i * 4 + k] = bands[k * T + i];
      assert.ok(relL2(ours, refB) < 1e-4, `sub-bands relative L2 ${relL2(ours, refB)}`);
    }
    x.dispose();
    m.dispose();
  });
}

t('design PQMF (src/ops/pqmf.ts) instead of the quantised in-graph filter: close, not exact', async () => {
  const f = await weights();
  if (!f) return;
  const gpu = await getGpu();
  const m = MultiBandMelGAN.fromGraph(gpu, await graph(f), 'design');
  const mel = await loadNpy(`${FIX}/short_mel.npy`), ref = await loadNpy(`${FIX}/short_audio.npy`);
  const y = await gpu.scope(() => m.forward(gpu.tensor(mel.data as Float32Array, mel.shape))).read();
  const err = relL2(y, ref.data);
  console.log(`  design PQMF: relative L2 error ${err.toExponential(2)} against the graph's uint8 filter`);
  assert.ok(err < 2e-2, `relative L2 ${err}`);
  m.dispose();
});

t('errors: not a graph model, too few frames', async () => {
  const gpu = await getGpu();
  await assertThrows(() => loadMbMelgan(gpu, { format: 'torch-zip', name: 'x.pt', tensors: new Map(), metadata: {}, notes: [] }), /mbmelgan/, /graph model/);
  const f = await weights();
  if (!f) return;
  const m = MultiBandMelGAN.fromGraph(gpu, await graph(f));
  await assertThrows(() => m.forward(gpu.tensor(new Float32Array(80 * 3), [80, 3])), /mbmelgan/, /4 mel frames/);
  await assertThrows(() => m.forward(gpu.tensor(new Float32Array(80 * 3), [3, 80])), /\[80, frames\]/);
  m.dispose();
});

t.run();
