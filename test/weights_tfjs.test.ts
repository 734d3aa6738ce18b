/**
 * TF.js models: a synthetic layers-model (two groups, a weight straddling two shards, uint8 /
 * uint16 affine and float16 quantization, int32 / bool / string weights) and a tiny graph-model
 * written by scripts/fixtures/weights/tfjs_fixtures.py; hostile manifests are refused.
 * (The real TF.js graph models in ../shared/weights are checked in weights_real.test.ts.)
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WaveGpuError } from '../src/runtime/errors.js';
import { readTfjs } from '../src/weights/tfjs.js';
import type { DType, WeightFile } from '../src/weights/types.js';
import { assertThrows } from './util/check.js';
import { readFile, readText } from './util/io.js';

const t = suite('weights: tfjs');
const DIR = 'test/fixtures/weights';

interface Expect { tensors: Record<string, { dtype: DType; shape: number[]; values: number[] }> }

async function checkExpect(w: WeightFile, exp: Expect): Promise<void> {
  for (const [name, e] of Object.entries(exp.tensors)) {
    const entry = w.tensors.get(name);
    assert.ok(entry, `missing ${name}`);
    assert.is(entry!.dtype, e.dtype, `${name} dtype`);
    assert.equal(entry!.shape, e.shape, `${name} shape`);
    assert.equal(Array.from(await entry!.read()), e.values.map((x) => Math.fround(x)), `${name} values`);
  }
  assert.is(w.tensors.size, Object.keys(exp.tensors).length, 'tensor count');
}

const fetcher = (dir: string) => (rel: string) => readFile(`${dir}/${rel}`);

t('layers-model: quantized, straddling and multi-group weights read exactly', async () => {
  const progress: number[] = [];
  const w = await readTfjs(await readFile(`${DIR}/tfjs_layers/model.json`), fetcher(`${DIR}/tfjs_layers`), {
    name: 'tfjs_layers/model.json', onProgress: (loaded) => progress.push(loaded),
  });
  assert.is(w.format, 'tfjs-layers');
  await checkExpect(w, JSON.parse(await readText(`${DIR}/tfjs_layers_expect.json`)));
  assert.ok(w.notes.some((n) => /labels: string weight \[2\] skipped/.test(n)), w.notes.join('\n'));
  assert.equal(progress, [66, 155, 171], 'progress per shard');
  assert.match(w.tensors.get('q8/kernel')!.storage!, /uint8 affine/);
  assert.is((w.topology as { class_name: string }).class_name, 'Sequential');
  const ids = await w.tensors.get('embedding/ids')!.readRaw!();
  assert.equal(Array.from(new Int32Array(ids.slice().buffer)), [7, -3, 100000]);
  assert.equal(w.metadata.convertedBy, 'TensorFlow.js Converter v3.8.0');
});

t('graph-model: nodes, decoded attributes, Const nodes name weights', async () => {
  const w = await readTfjs(await readFile(`${DIR}/tfjs_graph/model.json`), fetcher(`${DIR}/tfjs_graph`), { name: 'graph/model.json' });
  assert.is(w.format, 'tfjs-graph');
  const nodes = w.graph!.nodes;
  assert.equal(nodes.map((n) => n.op), ['Placeholder', 'Const', 'MatMul', 'MirrorPad', 'Conv2D', 'Identity']);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  assert.equal(byName.get('x')!.attr.shape, [-1, 3]);
  assert.is(byName.get('x')!.attr.dtype, 'DT_FLOAT');
  assert.equal(byName.get('w')!.attr.value, { dtype: 'DT_FLOAT', shape: [3, 2] });
  assert.is(byName.get('MatMul')!.attr.transpose_b, false);
  assert.is(byName.get('pad')!.attr.mode, 'REFLECT');
  assert.equal(byName.get('conv')!.attr.strides, [1, 1, 2, 1]);
  assert.equal(byName.get('conv')!.attr.explicit_paddings, []);
  assert.equal(byName.get('Identity')!.inputs, ['conv', '^x']);
  const consts = nodes.filter((n) => n.op === 'Const');
  for (const c of consts) assert.ok(w.tensors.has(c.name), `Const ${c.name} has a weight`);
  assert.equal(Array.from(await w.tensors.get('w')!.read()), [-0.5, -0.25, 0, 0.25, 0.5, 0.75], 'float16-quantized weight');
  assert.ok(w.config, 'signature kept');
});

async function manifest(mutate: (m: Record<string, any>) => void): Promise<Uint8Array> {
  const m = JSON.parse(await readText(`${DIR}/tfjs_layers/model.json`));
  mutate(m);
  return new TextEncoder().encode(JSON.stringify(m));
}

t('hostile manifests are refused', async () => {
  const fetch = fetcher(`${DIR}/tfjs_layers`);
  const cases: Array<[string, (m: Record<string, any>) => void, RegExp]> = [
    ['path traversal', (m) => { m.weightsManifest[0].paths[0] = '../../etc/passwd'; }, /not a plain relative path/],
    ['absolute path', (m) => { m.weightsManifest[0].paths[0] = '/etc/passwd'; }, /not a plain relative path/],
    ['URL path', (m) => { m.weightsManifest[0].paths[0] = 'https://example.invalid/x.bin'; }, /not a plain relative path/],
    ['shape larger than the shards', (m) => { m.weightsManifest[1].weights[0].shape = [200, 200]; }, /needs bytes \[0, 160000\) but the group's shards hold 16/],
    ['negative dimension', (m) => { m.weightsManifest[1].weights[0].shape = [-2, 2]; }, /bad dimension -2/],
    ['unknown dtype', (m) => { m.weightsManifest[1].weights[0].dtype = 'float64'; }, /unsupported dtype "float64"/],
    ['bad quantization', (m) => { m.weightsManifest[0].weights[2].quantization.scale = 'x'; }, /needs finite numeric scale and min/],
    ['unknown quantization', (m) => { m.weightsManifest[0].weights[2].quantization.dtype = 'int4'; }, /unsupported quantization dtype "int4"/],
    ['duplicate name', (m) => { m.weightsManifest[1].weights[0].name = 'dense/kernel'; }, /appears twice/],
    ['no manifest', (m) => { delete m.weightsManifest; }, /weightsManifest is missing/],
  ];
  for (const [what, mutate, pattern] of cases) {
    const e = await assertThrows(async () => readTfjs(await manifest(mutate), fetch, { name: 'evil/model.json' }), pattern, /evil\/model\.json/);
    assert.instance(e, WaveGpuError, what);
  }
  await assertThrows(() => readTfjs('{"weightsManifest": [', fetch, { name: 'evil/model.json' }), /not valid JSON/);
  await assertThrows(async () => readTfjs(await manifest(() => {}), async () => { throw new Error('HTTP 404'); }, { name: 'evil/model.json' }), /cannot read weight shard "group1-shard1of2.bin": HTTP 404/);
});

t.run();
