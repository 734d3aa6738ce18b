import { suite } from 'uvu';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import * as ew from '../src/ops/elementwise.js';
import { unaryRef, binaryRef } from '../src/ref/elementwise.js';

const t = suite('elementwise');

// Tolerances: transcendental WGSL builtins are accurate to a few ulp on typical hardware but
// SwiftShader's exp/sin approximations are looser, so 1e-5 relative plus a small absolute floor.
const TOL = { atol: 2e-6, rtol: 2e-5 };
const TOL_TRANS = { atol: 1e-5, rtol: 1e-4 };

const UNARY: [ew.UnaryOp, number, number, number, number][] = [
  // op, alpha, beta, input range lo, hi
  ['relu', 0, 0, -3, 3], ['leaky_relu', 0.2, 0, -3, 3], ['tanh', 0, 0, -12, 12], ['sigmoid', 0, 0, -30, 30],
  ['softplus', 0, 0, -30, 30], ['exp', 0, 0, -8, 8], ['sin', 0, 0, -10, 10], ['cos', 0, 0, -10, 10],
  ['clamp', -0.5, 0.25, -2, 2], ['affine', 1.5, -0.25, -2, 2], ['abs', 0, 0, -2, 2], ['log', 0, 0, 1e-3, 10],
  ['sqrt', 0, 0, 0, 10], ['square', 0, 0, -3, 3],
];

for (const n of [1, 7, 257, 1000]) {
  for (const [op, alpha, beta, lo, hi] of UNARY) {
    t(`unary ${op} n=${n}`, async () => {
      const gpu = await getGpu();
      const x = randn(n, n * 31 + op.length, lo, hi);
      const y = await ew.unary(gpu.tensor(x), op, alpha, beta).read();
      assertClose(y, unaryRef(x, op, alpha, beta), ['exp', 'sin', 'cos', 'log', 'softplus', 'tanh', 'sigmoid'].includes(op) ? TOL_TRANS : TOL, op);
    });
  }
}

const SHAPES: [number[], number[]][] = [
  [[5], [5]], [[3, 7], [7]], [[2, 3, 5], [3, 1]], [[1], [4, 3]], [[2, 1, 65], [1, 3, 1]], [[2, 64, 9], [64, 1]],
];
for (const [as, bs] of SHAPES) {
  for (const op of ['add', 'sub', 'mul', 'div', 'max', 'min'] as ew.BinaryOp[]) {
    t(`binary ${op} ${JSON.stringify(as)} x ${JSON.stringify(bs)}`, async () => {
      const gpu = await getGpu();
      const na = as.reduce((a, b) => a * b, 1), nb = bs.reduce((a, b) => a * b, 1);
      const a = randn(na, 11, -2, 2), b = randn(nb, 12, 0.5, 2);
      const out = ew.binary(gpu.tensor(a, as), gpu.tensor(b, bs), op);
      const ref = binaryRef(a, as, b, bs, op);
      assertClose(await out.read(), ref.data, TOL, op);
      if (JSON.stringify(out.shape) !== JSON.stringify(ref.shape)) throw new Error(`shape ${out.shape} vs ${ref.shape}`);
    });
  }
}

t('bias along channels of [B, C, T]', async () => {
  const gpu = await getGpu();
  const x = randn(2 * 3 * 11, 5), b = randn(3, 6);
  const y = await ew.addBias(gpu.tensor(x, [2, 3, 11]), gpu.tensor(b)).read();
  assertClose(y, binaryRef(x, [2, 3, 11], b, [3, 1], 'add').data, TOL);
});

t('reference matches torch fixtures', async () => {
  const x = await loadNpy('test/fixtures/elementwise/x.npy');
  for (const [op, alpha, beta] of [['relu', 0, 0], ['leaky_relu', 0.2, 0], ['tanh', 0, 0], ['sigmoid', 0, 0], ['softplus', 0, 0], ['exp', 0, 0], ['sin', 0, 0], ['clamp', -0.5, 0.25]] as [string, number, number][]) {
    const ref = await loadNpy(`test/fixtures/elementwise/${op}.npy`);
    assertClose(unaryRef(x.data, op, alpha, beta), ref.data, { atol: 1e-6, rtol: 1e-6 }, `ref ${op}`);
  }
});

t('errors name the op and the shapes', async () => {
  const gpu = await getGpu();
  await assertThrows(() => ew.add(gpu.tensor(new Float32Array(6), [2, 3]), gpu.tensor(new Float32Array(4), [4])), /add/, /\[2, 3\]/, /\[4\]/);
  await assertThrows(() => ew.addBias(gpu.tensor(new Float32Array(6), [1, 2, 3]), gpu.tensor(new Float32Array(3))), /bias/, /expected \[2\]/);
  await assertThrows(() => ew.clamp(gpu.tensor(new Float32Array(2)), 1, 0), /clamp/);
});

t.run();
