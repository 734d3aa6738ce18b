import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import * as mm from '../src/ops/matmul.js';
import { matmulRef, linearRef } from '../src/ref/matmul.js';

const t = suite('matmul');

/**
 * Tolerance that grows with the reduction length K. A sum of K f32 products accumulated in any
 * order (the tiled kernels add in a different order than the reference) is within
 * gamma_K * sum_k |a_ik| |b_kj| of the exact value, gamma_K = K u / (1 - K u), u = 2^-24 (Higham,
 * "Accuracy and Stability of Numerical Algorithms", 3.1); the reference's own rounding to f32 and
 * a bias add cost two more u. So each element gets (K + 2) u |A||B|_ij (+|bias|): exact in the
 * worst case, yet tight enough that dropping or repeating a single k term fails.
 */
function assertMatmulClose(got: Float32Array, ref: Float32Array, absRef: Float32Array, k: number, what: string): void {
  assert.is(got.length, ref.length, `${what} length`);
  const u = 2 ** -24;
  const gamma = ((k + 2) * u) / (1 - (k + 2) * u);
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i] - ref[i]);
    const bound = gamma * absRef[i] * 1.01 + 1e-30;
    if (!(err <= bound)) assert.unreachable(`${what} element ${i}: got ${got[i]}, expected ${ref[i]} (|err| ${err.toExponential(3)} > (K+2)u|A||B| = ${bound.toExponential(3)}, K = ${k})`);
  }
}

const prod = (s: number[]) => s.reduce((x, y) => x * y, 1);

interface Case { a: number[]; b: number[]; ta?: boolean; tb?: boolean }
const CASES: Case[] = [
  { a: [1, 1], b: [1, 1] },
  { a: [67, 45], b: [45, 83] },                       // nothing divides the 16 / 64 tiles
  { a: [3, 64], b: [64, 3] },                         // M = 3: naive runs it as a GEMV (64 x 1 groups)
  { a: [2, 70, 33], b: [2, 33, 65], ta: false, tb: false },
  { a: [2, 33, 70], b: [2, 65, 33], ta: true, tb: true },
  { a: [33, 70], b: [33, 9], ta: true },
  { a: [5, 129], b: [64, 129], tb: true },            // K spans several BK steps with a remainder
  { a: [3, 17, 9], b: [9, 31] },                      // batch-1 B broadcast (weights shared)
  { a: [1, 17, 9], b: [3, 9, 31] },                   // batch-1 A broadcast
  { a: [2, 3, 5, 7], b: [2, 3, 7, 4] },               // two batch dims
  { a: [2, 1, 5, 7], b: [7, 4] },
  { a: [3, 2, 132], b: [5, 132], tb: true },          // naive: the 16-byte-word GEMV, batched A
];

for (const version of ['naive', 'tiled', 'blocked'] as mm.MatmulVersion[]) {
  for (const c of CASES) {
    t(`${version} ${JSON.stringify(c.a)}${c.ta ? 'T' : ''} @ ${JSON.stringify(c.b)}${c.tb ? 'T' : ''}`, async () => {
      const gpu = await getGpu();
      const a = randn(prod(c.a), prod(c.a) + 3), b = randn(prod(c.b), prod(c.b) + 7);
      const y = mm.matmul(gpu.tensor(a, c.a), gpu.tensor(b, c.b), { transposeA: c.ta, transposeB: c.tb, version });
      const opts = { transposeA: c.ta, transposeB: c.tb };
      const ref = matmulRef(a, c.a, b, c.b, opts), abs = matmulRef(a, c.a, b, c.b, { ...opts, absolute: true });
      assert.equal([...y.shape], ref.shape);
      const k = c.ta ? c.a[c.a.length - 2] : c.a[c.a.length - 1];
      assertMatmulClose(await y.read(), ref.data, abs.data, k, version);
    });
  }
}

t('default version choice: GEMV rows and large tiles agree with the reference', async () => {
  const gpu = await getGpu();
  for (const [m, k, n] of [[1, 300, 257], [4, 31, 5], [5, 31, 130]]) {
    const a = randn(m * k, m + 1), b = randn(k * n, n + 2);
    const y = await mm.matmul(gpu.tensor(a, [m, k]), gpu.tensor(b, [k, n])).read();
    assertMatmulClose(y, matmulRef(a, [m, k], b, [k, n]).data, matmulRef(a, [m, k], b, [k, n], { absolute: true }).data, k, `${m}x${k}x${n}`);
  }
});

t('K = 1024 with a large common offset: the bound still holds', async () => {
  const gpu = await getGpu();
  const [m, k, n] = [9, 1024, 70];
  const a = randn(m * k, 91, 0.5, 1.5), b = randn(k * n, 92, 0.5, 1.5); // all-positive: errors add up, no cancellation
  const y = await mm.matmul(gpu.tensor(a, [m, k]), gpu.tensor(b, [k, n]), { version: 'blocked' }).read();
  assertMatmulClose(y, matmulRef(a, [m, k], b, [k, n]).data, matmulRef(a, [m, k], b, [k, n], { absolute: true }).data, k, 'K=1024');
});

for (const xs of [[7], [3, 64], [2, 5, 64], [1, 1, 256]]) {   // [3, 64] and [1, 1, 256]: gemv4
  for (const bias of [true, false]) {
    t(`linear x ${JSON.stringify(xs)} -> 3${bias ? ' + bias' : ''}`, async () => {
      const gpu = await getGpu();
      const inF = xs[xs.length - 1], outF = 3;
      const x = randn(prod(xs), 21 + inF), w = randn(outF * inF, 22), bv = randn(outF, 23);
      const y = mm.linear(gpu.tensor(x, xs), gpu.tensor(w, [outF, inF]), bias ? gpu.tensor(bv) : undefined);
      const ref = linearRef(x, xs, w, [outF, inF], bias ? bv : undefined);
      const abs = linearRef(x.map(Math.abs), xs, w.map(Math.abs), [outF, inF], bias ? bv.map(Math.abs) : undefined);
      assert.equal([...y.shape], ref.shape);
      assertMatmulClose(await y.read(), ref.data, abs.data, inF + 1, 'linear');
    });
  }
}

t('reference matches torch fixtures', async () => {
  const f = async (n: string) => loadNpy(`test/fixtures/matmul/${n}.npy`);
  // Fixtures were computed in float64 from the same f32 inputs; only the final f32 rounding differs.
  const TOL = { atol: 1e-6, rtol: 1e-6 };
  const check = async (a: string, b: string, out: string, opts: { transposeA?: boolean; transposeB?: boolean } = {}) => {
    const [x, y, z] = await Promise.all([f(a), f(b), f(out)]);
    const r = matmulRef(x.data, x.shape, y.data, y.shape, opts);
    assert.equal(r.shape, z.shape);
    assertClose(r.data, z.data, TOL, out);
  };
  await check('a', 'b', 'ab');
  await check('at', 'bt', 'atbt', { transposeA: true, transposeB: true });
  await check('bx', 'bw', 'bxw');
  await check('bx1', 'bw3', 'bx1w3');
  const [lx, lw, lb, lin, linNb] = await Promise.all(['lx', 'lw', 'lb', 'linear', 'linear_nobias'].map(f));
  assertClose(linearRef(lx.data, lx.shape, lw.data, lw.shape, lb.data).data, lin.data, TOL, 'linear');
  assertClose(linearRef(lx.data, lx.shape, lw.data, lw.shape).data, linNb.data, TOL, 'linear no bias');
});

t('errors name the op and the shapes', async () => {
  const gpu = await getGpu();
  const z = (s: number[]) => gpu.tensor(new Float32Array(prod(s)), s);
  await assertThrows(() => mm.matmul(z([2, 3]), z([4, 5])), /matmul/, /\[2, 3\]/, /\[4, 5\]/, /K = 3/);
  await assertThrows(() => mm.matmul(z([2, 3]), z([4, 3]), { transposeB: false }), /expected b \[\.\.\., 3, N\]/);
  await assertThrows(() => mm.matmul(z([3]), z([3, 2])), /matmul/, /rank >= 2/);
  await assertThrows(() => mm.matmul(z([2, 1, 2, 3]), z([1, 3, 3, 2])), /matmul/, /batch dimensions/, /\[2, 3\]/);
  await assertThrows(() => mm.matmul(z([2, 2, 3]), z([3, 3, 2])), /matmul/, /do not broadcast/);
  await assertThrows(() => mm.linear(z([2, 6]), z([4, 5])), /linear/, /\[2, 6\]/, /\[4, 5\]/, /expected x \[\.\.\., 5\]/);
  await assertThrows(() => mm.linear(z([2, 5]), z([4, 5]), z([5])), /linear/, /bias \[5\]/, /expected \[4\]/);
  await assertThrows(() => mm.matmul(gpu.tensor(new Int32Array(4), [2, 2]), z([2, 2])), /matmul/, /i32/);
});

t.run();
