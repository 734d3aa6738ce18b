import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, assertThrows, loadNpy } from './util/check.js';
import { readText } from './util/io.js';
import { layerNorm, instanceNorm, groupNorm, pixelNorm, normLanes } from '../src/ops/norm.js';
import { layerNormRef, instanceNormRef, groupNormRef, pixelNormRef } from '../src/ref/norm.js';

const t = suite('norm');

// Sizes: [1, 5000] and [1, 4, 33, 40] use many lanes per group (tree reduction), the others few.
// Tolerance: outputs are O(1) (|y| <~ 4 before the affine). The GPU sums in f32 (a strided
// slice per thread, then a tree), after shifting by the group's first value, so the mean and the
// variance carry a relative error of about sqrt(N) * 2^-24 (N = 5000: 4e-6) of the data's
// spread, not of its offset; 1/sqrt adds a few ulp. 1e-5 abs + 1e-5 rel covers that.
const TOL = { atol: 1e-5, rtol: 1e-5 };
const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);
const data = (shape: number[], seed: number, offset = 0) => randn(numel(shape), seed, offset - 1, offset + 1);

type Affine = 'both' | 'weight' | 'bias' | 'none';
function params(gpu: Awaited<ReturnType<typeof getGpu>>, shape: number[], affine: Affine, seed: number) {
  const n = numel(shape);
  const w = affine === 'both' || affine === 'weight' ? randn(n, seed + 1, 0, 2) : undefined;
  const b = affine === 'both' || affine === 'bias' ? randn(n, seed + 2) : undefined;
  return { ref: { weight: w, bias: b }, gpu: { weight: w && gpu.tensor(w, shape), bias: b && gpu.tensor(b, shape) } };
}

const LAYER: [number[], number, Affine, number][] = [
  [[2, 5, 7], 1, 'both', 0], [[3, 4, 6], 2, 'none', 0], [[1, 300, 80], 1, 'both', 0], [[2, 3, 1000], 1, 'weight', 0],
  [[1, 5000], 1, 'bias', 100], [[4, 1], 1, 'none', 0],
];
for (const [shape, k, affine, offset] of LAYER) {
  t(`layer_norm ${JSON.stringify(shape)} over ${k} dims, affine ${affine}, offset ${offset}`, async () => {
    const gpu = await getGpu();
    const x = data(shape, numel(shape), offset);
    const norm = shape.slice(shape.length - k);
    const p = params(gpu, norm, affine, 3);
    const y = await layerNorm(gpu.tensor(x, shape), norm, { ...p.gpu, eps: 1e-5 }).read();
    assertClose(y, layerNormRef(x, shape, k, { ...p.ref, eps: 1e-5 }), TOL);
  });
}

const GROUP: [number[], number, Affine, number][] = [
  [[2, 8, 3, 5], 4, 'both', 0], [[1, 64, 5, 7], 32, 'weight', 0], [[2, 6, 7], 1, 'none', 0], [[2, 3, 4, 4], 3, 'bias', 0],
  [[1, 4, 33, 40], 2, 'both', 100],
];
for (const [shape, groups, affine, offset] of GROUP) {
  t(`group_norm ${JSON.stringify(shape)} groups ${groups}, affine ${affine}, offset ${offset}`, async () => {
    const gpu = await getGpu();
    const x = data(shape, numel(shape) + groups, offset);
    const p = params(gpu, [shape[1]], affine, 5);
    const y = await groupNorm(gpu.tensor(x, shape), groups, p.gpu).read();
    assertClose(y, groupNormRef(x, shape, groups, p.ref), TOL);
  });
}

const INSTANCE: [number[], Affine, number][] = [
  [[2, 3, 5, 4], 'both', 0], [[1, 64, 9, 11], 'both', 0], [[2, 1, 33], 'none', 0], [[1, 3, 64, 65], 'weight', 100],
];
for (const [shape, affine, offset] of INSTANCE) {
  t(`instance_norm ${JSON.stringify(shape)}, affine ${affine}, offset ${offset}`, async () => {
    const gpu = await getGpu();
    const x = data(shape, numel(shape) + 7, offset);
    const p = params(gpu, [shape[1]], affine, 9);
    const y = await instanceNorm(gpu.tensor(x, shape), { ...p.gpu, eps: 1e-3 }).read();
    assertClose(y, instanceNormRef(x, shape, { ...p.ref, eps: 1e-3 }), TOL);
  });
}

for (const shape of [[2, 16, 3, 5], [3, 32], [1, 256, 4, 32], [2, 1, 7], [1, 3, 1000]]) {
  t(`pixel_norm ${JSON.stringify(shape)}`, async () => {
    const gpu = await getGpu();
    const x = data(shape, numel(shape) + 11);
    // A sum of C squares in f32, one sqrt and a product: a few ulp of O(1) outputs.
    assertClose(await pixelNorm(gpu.tensor(x, shape)).read(), pixelNormRef(x, shape), { atol: 1e-6, rtol: 1e-5 });
  });
}

t('lanes per group: a power of two, >= ~32 values each, ~512 threads in all, at most a workgroup', () => {
  assert.equal([[1, 1], [33, 1], [80, 1], [1024, 1], [1e6, 1], [1e6, 32], [8192, 32], [80, 16384], [512, 2048], [1024, 256]].map(([n, m]) => normLanes(n, m)),
    [1, 2, 4, 32, 64, 16, 16, 1, 1, 2]);
});

interface FixtureCase { name: string; op: 'layer' | 'instance' | 'group' | 'pixel'; extra: number | null; affine: boolean; eps: number }

t('references match torch fixtures', async () => {
  const cases = JSON.parse(await readText('test/fixtures/norm/cases.json')) as FixtureCase[];
  assert.ok(cases.length >= 9);
  for (const c of cases) {
    const f = (s: string) => loadNpy(`test/fixtures/norm/${c.name}_${s}.npy`);
    const x = await f('x'), y = await f('y');
    const p = c.affine ? { weight: (await f('w')).data, bias: (await f('b')).data, eps: c.eps } : { eps: c.eps };
    const got = c.op === 'layer' ? layerNormRef(x.data, x.shape, c.extra!, p)
      : c.op === 'instance' ? instanceNormRef(x.data, x.shape, p)
        : c.op === 'group' ? groupNormRef(x.data, x.shape, c.extra!, p) : pixelNormRef(x.data, x.shape, c.eps);
    // Both are float64 computations on the same f32 inputs, rounded once: an ulp apart.
    assertClose(got, y.data, { atol: 1e-6, rtol: 1e-6 }, c.name);
  }
});

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(2 * 6 * 5), [2, 6, 5]);
  await assertThrows(() => layerNorm(x, [6]), /layer_norm/, /\[6\]/, /trailing dims of x \[2, 6, 5\]/);
  await assertThrows(() => layerNorm(x, [5], { weight: gpu.tensor(new Float32Array(6)) }), /weight must be \[5\]/, /got \[6\]/);
  await assertThrows(() => groupNorm(x, 4), /group_norm/, /groups 4 must divide the 6 channels/);
  await assertThrows(() => groupNorm(x, 3, { bias: gpu.tensor(new Float32Array(3)) }), /bias must be \[6\]/);
  await assertThrows(() => instanceNorm(gpu.tensor(new Float32Array(6), [2, 3])), /instance_norm/, /at least one spatial dim/, /\[2, 3\]/);
  await assertThrows(() => instanceNorm(x, { eps: -1 }), /eps must be/);
  await assertThrows(() => pixelNorm(gpu.tensor(new Float32Array(3))), /pixel_norm/, /\[B, C, \.\.\.\]/);
});

t.run();
