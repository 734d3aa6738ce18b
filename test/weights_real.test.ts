/**
 * The published checkpoints in ../shared/weights load, and their names, shapes and values equal
 * the reference that scripts/fixtures/weights/real_reference.py computed with torch.load
 * (PyTorch) and json + numpy (TF.js, NAM): per tensor sum, sum of squares (float64) and the
 * first values (exact). Skips with a message when ../shared/weights is absent.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadWeights } from '../src/weights/load.js';
import { checkNamWaveNet, namWaveNetCount, readNam } from '../src/weights/nam.js';
import { readTfjs } from '../src/weights/tfjs.js';
import type { WeightFile } from '../src/weights/types.js';
import { readFile, readText, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';

const t = suite('weights: real checkpoints');

type Row = [string, string, number[], number, number, number[]];
interface RefFile { format: string; tensors?: Row[]; sums?: Array<[number, number, number[]]>; sameNamesAs?: string; nodes?: number; count?: number }

let ref: Promise<Record<string, RefFile>> | null = null;
const reference = (): Promise<Record<string, RefFile>> =>
  (ref ??= readText('test/fixtures/weights/real_reference.json').then((s) => JSON.parse(s).files));
let avail: Promise<boolean> | null = null;
const available = (): Promise<boolean> => (avail ??= sharedWeightsAvailable('README.md'));

function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-8 * (1 + Math.abs(b)), `${what}: ${a} vs reference ${b}`);
}

/** Compares a loaded file with reference rows, in order. */
async function compare(w: WeightFile, rows: Row[], label: string): Promise<void> {
  assert.equal([...w.tensors.keys()], rows.map((r) => r[0]), `${label}: tensor names in order`);
  for (const [name, dtype, shape, sum, sumsq, first] of rows) {
    const e = w.tensors.get(name)!;
    assert.is(e.dtype, dtype, `${label} ${name} dtype`);
    assert.equal(e.shape, shape, `${label} ${name} shape`);
    const v = await e.read();
    let s = 0, s2 = 0;
    for (let i = 0; i < v.length; i++) { s += v[i]; s2 += v[i] * v[i]; }
    close(s, sum, `${label} ${name} sum`);
    close(s2, sumsq, `${label} ${name} sum of squares`);
    assert.equal(Array.from(v.subarray(0, first.length)), first, `${label} ${name} first values`);
  }
}

const WAVENET = ['violin_7-2-128-64-64-64-2', 'hihat_7-2-128-64-64-64-2', 'sine_7-2-128-32-32-32-2'];
for (const name of WAVENET) {
  t(`pytorch-wavenet ${name}: legacy torch file equals torch.load`, async () => {
    if (!(await available())) return;
    const rel = `pytorch-wavenet/${name}.pt_legacy`;
    const w = await loadWeights(await readFile(`${SHARED_WEIGHTS}/${rel}`), { name: rel });
    assert.is(w.format, 'torch-legacy');
    await compare(w, (await reference())[rel].tensors!, name);
  });
}

const tfjsModel = async (dir: string) => readTfjs(await readFile(`${SHARED_WEIGHTS}/${dir}/model.json`),
  (p) => readFile(`${SHARED_WEIGHTS}/${dir}/${p}`), { name: `${dir}/model.json` });

t('tfjs-tts-mbmelgan-ljspeech: uint8-quantized graph model equals numpy dequantization', async () => {
  if (!(await available())) return;
  const dir = 'tfjs-tts-mbmelgan-ljspeech';
  const w = await tfjsModel(dir);
  const r = (await reference())[`${dir}/model.json`];
  assert.is(w.format, 'tfjs-graph');
  assert.is(w.graph!.nodes.length, r.nodes);
  await compare(w, r.tensors!, dir);
  assert.is([...w.tensors.values()].filter((e) => /uint8 affine/.test(e.storage ?? '')).length, 84);
  const consts = w.graph!.nodes.filter((n) => n.op === 'Const');
  assert.is(consts.length, w.tensors.size, 'one weight per Const node');
  for (const c of consts) assert.ok(w.tensors.has(c.name), c.name);
  const pad = w.graph!.nodes.find((n) => n.op === 'MirrorPad')!;
  assert.is(pad.attr.mode, 'REFLECT');
  assert.is(w.graph!.nodes.find((n) => n.op === 'LeakyRelu')!.attr.alpha, 0.2);
});

for (const inst of ['violin', 'flute', 'trumpet', 'tenor_saxophone']) {
  t(`magenta-js-ddsp ${inst}: float32 graph model equals numpy`, async () => {
    if (!(await available())) return;
    const dir = `magenta-js-ddsp/${inst}`;
    const w = await tfjsModel(dir);
    const all = await reference();
    const r = all[`${dir}/model.json`];
    const rows: Row[] = r.tensors ?? all[r.sameNamesAs!].tensors!.map((row, i) => [row[0], row[1], row[2], ...r.sums![i]] as Row);
    await compare(w, rows, dir);
    assert.is(w.graph!.nodes.length, r.nodes);
    const ops = new Set(w.graph!.nodes.map((n) => n.op));
    for (const op of ['RandomUniform', 'Roll', 'RFFT', 'IRFFT', 'Cumsum']) assert.ok(ops.has(op), op);
  });
}

for (const file of ['wavenet.nam', 'wavenet_a1_standard.nam']) {
  t(`NeuralAmpModelerCore ${file}: weights, config and the WaveNet weight count`, async () => {
    if (!(await available())) return;
    const rel = `NeuralAmpModelerCore/${file}`;
    const nam = await readNam(await readFile(`${SHARED_WEIGHTS}/${rel}`), rel);
    const r = (await reference())[rel];
    await compare(nam, r.tensors!, file);
    assert.is(nam.weights.length, r.count);
    assert.is(namWaveNetCount(nam.config), r.count);
    assert.is(nam.sampleRate, (r as { sample_rate?: number | null }).sample_rate ?? null, 'sample_rate (absent in older files)');
    const layout = checkNamWaveNet(nam);
    assert.is(layout[0].name, 'layers.0.rechannel.weight');
    assert.is(layout[layout.length - 1].name, 'head_scale');
  });
}

t.run();
