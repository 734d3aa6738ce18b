import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import { cumsum, unwrap, instFreq, phaseFromInstFreq, type ScanMethod } from '../src/ops/scan.js';
import { cumsumRef, unwrapRef, instFreqRef, phaseFromInstFreqRef, axisView } from '../src/ref/scan.js';

const t = suite('scan');
const EPS = 2 ** -24;

/**
 * Scan tolerance: element i may be off by (8 + 2 log2 n) eps sum_{j<=i} |v_j| (the tree bound of
 * the block kernel: 4 serial terms per thread, then log2 levels over threads and blocks; Kahan
 * keeps the serial kernel well inside it) plus one rounding of the result.
 */
function assertScanClose(got: ArrayLike<number>, v: ArrayLike<number>, shape: number[], axis: number, ref: ArrayLike<number>, what: string): void {
  const { n } = axisView(shape, axis);
  const absPrefix = cumsumRef(Float64Array.from(v, Math.abs), shape, axis);
  const c = (8 + 2 * Math.log2(Math.max(n, 2))) * EPS;
  assert.is(got.length, ref.length, `${what} length`);
  for (let i = 0; i < ref.length; i++) {
    const bound = c * absPrefix[i] + EPS * Math.abs(ref[i]) + 1e-30;
    if (!(Math.abs(got[i] - ref[i]) <= bound)) assert.unreachable(`${what} element ${i}: got ${got[i]}, expected ${ref[i]} (|err| ${Math.abs(got[i] - ref[i]).toExponential(3)} > ${bound.toExponential(3)})`);
  }
}

const CASES: [number[], number, ScanMethod][] = [
  [[1], -1, 'auto'], [[5], 0, 'auto'], [[1000], -1, 'block'], [[3, 1025], -1, 'auto'], [[2, 5000], 1, 'block'],
  [[4, 77], 0, 'auto'], [[7, 33, 5], 1, 'serial'], [[2, 300, 3], 1, 'block'], [[2, 300, 3], -2, 'serial'],
  [[64, 3], -1, 'block'], [[1, 3000], -1, 'serial'],
];
for (const [shape, axis, method] of CASES) {
  t(`cumsum ${JSON.stringify(shape)} axis ${axis} ${method}`, async () => {
    const gpu = await getGpu();
    const n = shape.reduce((a, b) => a * b, 1);
    const x = randn(n, n + axis, -1, 1);
    const y = await cumsum(gpu.tensor(x, shape), axis, { method }).read();
    assertScanClose(y, x, shape, axis, cumsumRef(x, shape, axis), 'cumsum');
  });
}

// 4-thread blocks (64 elements): 3 levels of block totals at n = 70,001, as 64 threads reach at 2^30.
t('cumsum of a long row recurses over block totals (small blocks, 3 levels)', async () => {
  const gpu = await getGpu();
  const n = 70001, x = randn(n, 99, 0, 1);
  const y = await cumsum(gpu.tensor(x, [1, n]), -1, { scale: 0.5, method: 'block', blockThreads: 4 }).read();
  assertScanClose(y, Float64Array.from(x, (v) => 0.5 * v), [1, n], -1, cumsumRef(x, [1, n], -1, 0.5), 'cumsum 70k');
});

t('unwrap across block boundaries (4-thread blocks, 2 levels)', async () => {
  const gpu = await getGpu();
  const shape = [2, 3001], p = Float32Array.from(randn(6002, 4, -4, 4), (v, i) => Math.atan2(Math.sin(v * (i % 3001)), Math.cos(v * (i % 3001))));
  const u = await unwrap(gpu.tensor(p, shape), -1, { method: 'block', blockThreads: 4 }).read();
  assertClose(u, unwrapRef(p, shape, -1), { atol: 1e-6, rtol: 3e-7 }, 'unwrap');
});

/** [B, T, F] wrapped phases of drifting partials (an STFT angle). */
function phases(B: number, T: number, F: number, seed: number): Float32Array {
  const f = randn(B * F, seed, -3.5, 3.5), jitter = randn(B * T * F, seed + 1, -0.5, 0.5);
  const p = new Float32Array(B * T * F);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < F; k++) {
      let acc = 0;
      for (let i = 0; i < T; i++) { acc += f[b * F + k] + jitter[(b * T + i) * F + k]; p[(b * T + i) * F + k] = Math.atan2(Math.sin(acc), Math.cos(acc)); }
    }
  }
  return p;
}

// unwrap adds an exact multiple of 2 pi to each f32 phase: one or two roundings of |u|.
const UNWRAP_TOL = { atol: 1e-6, rtol: 3e-7 };
// IF: the f32 difference of two phases in [-pi, pi] rounds once (<= 2.4e-7), then / pi.
const IF_TOL = { atol: 5e-7, rtol: 1e-6 };

for (const [B, T, F, axis, method] of [[1, 1, 1, 1, 'auto'], [2, 37, 9, 1, 'auto'], [1, 1500, 3, 1, 'block'], [3, 70, 1, 1, 'auto'], [2, 11, 129, -1, 'auto'], [1, 200, 1025, 1, 'serial']] as [number, number, number, number, ScanMethod][]) {
  const shape = [B, T, F];
  t(`unwrap / instFreq / phaseFromInstFreq ${JSON.stringify(shape)} axis ${axis} ${method}`, async () => {
    const gpu = await getGpu();
    const p = phases(B, T, F, B * T * F);
    const pt = gpu.tensor(p, shape);
    assertClose(await unwrap(pt, axis, { method }).read(), unwrapRef(p, shape, axis), UNWRAP_TOL, 'unwrap');
    const ifq = instFreq(pt, axis);
    const ifv = await ifq.read();
    assertClose(ifv, instFreqRef(p, shape, axis), IF_TOL, 'instFreq');
    const back = await phaseFromInstFreq(ifq, axis, { method }).read();
    assertScanClose(back, Float64Array.from(ifv, (v) => v * Math.PI), shape, axis, phaseFromInstFreqRef(ifv, shape, axis), 'phaseFromInstFreq');
    // Round trip: the phase comes back unwrapped (equal to unwrap(p) up to the scan error).
    assertScanClose(back, Float64Array.from(instFreqRef(p, shape, axis), (v) => v * Math.PI), shape, axis, unwrapRef(p, shape, axis), 'round trip phase');
  });
}

t('IF -> phase -> IF round trip', async () => {
  const gpu = await getGpu();
  const shape = [2, 64, 33], n = 2 * 64 * 33;
  const f = randn(n, 5, -0.99, 0.99);
  const back = await instFreq(phaseFromInstFreq(gpu.tensor(f, shape))).read();
  // the phase grows to ~64 pi; its f32 rounding (~64 pi * 6e-8) over pi bounds the IF error
  assertClose(back, f, { atol: 64 * 2 * EPS * 4, rtol: 0 }, 'IF round trip');
});

t('references equal the numpy fixtures', async () => {
  const x = await loadNpy('test/fixtures/scan/x.npy');
  const tight = { atol: 1e-6, rtol: 1e-6 };
  assertClose(cumsumRef(x.data, x.shape, 1), (await loadNpy('test/fixtures/scan/cumsum_axis1.npy')).data, tight, 'cumsum axis 1');
  assertClose(cumsumRef(x.data, x.shape, 0), (await loadNpy('test/fixtures/scan/cumsum_axis0.npy')).data, tight, 'cumsum axis 0');
  const p = await loadNpy('test/fixtures/scan/phase.npy');
  assertClose(unwrapRef(p.data, p.shape, 1), (await loadNpy('test/fixtures/scan/unwrap_axis1.npy')).data, tight, 'unwrap axis 1');
  assertClose(unwrapRef(p.data, p.shape, 2), (await loadNpy('test/fixtures/scan/unwrap_axis2.npy')).data, tight, 'unwrap axis 2');
  const ifq = await loadNpy('test/fixtures/scan/ifreq.npy');
  assertClose(instFreqRef(p.data, p.shape, 1), ifq.data, tight, 'instFreq');
  assertClose(phaseFromInstFreqRef(ifq.data, p.shape, 1), (await loadNpy('test/fixtures/scan/phase_from_ifreq.npy')).data, { atol: 1e-5, rtol: 1e-6 }, 'phase from IF');
});

t('GPU equals the numpy fixtures (+-pi jumps, constant runs)', async () => {
  const gpu = await getGpu();
  const p = await loadNpy('test/fixtures/scan/phase.npy');
  const pt = gpu.tensor(p.data as Float32Array, p.shape);
  assertClose(await unwrap(pt, 1).read(), (await loadNpy('test/fixtures/scan/unwrap_axis1.npy')).data, UNWRAP_TOL, 'unwrap');
  assertClose(await unwrap(pt, 2, { method: 'block' }).read(), (await loadNpy('test/fixtures/scan/unwrap_axis2.npy')).data, UNWRAP_TOL, 'unwrap axis 2');
  assertClose(await instFreq(pt, 1).read(), (await loadNpy('test/fixtures/scan/ifreq.npy')).data, IF_TOL, 'instFreq');
});

t('errors name the op, the shape and the fix', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(6), [2, 3]);
  await assertThrows(() => cumsum(x, 2), /cumsum/, /axis 2/, /\[2, 3\]/);
  await assertThrows(() => unwrap(gpu.tensor(new Int32Array(3))), /unwrap/, /f32/);
  await assertThrows(() => instFreq(gpu.tensor(new Float32Array(3))), /instFreq/, /axis -2/);
  await assertThrows(() => cumsum(x, -1, { blockThreads: 65 }), /cumsum/, /blockThreads/);
});

t.run();
