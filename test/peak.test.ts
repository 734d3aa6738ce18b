import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { assertClose, assertThrows } from './util/check.js';
import { fmaPeak, peakFlops } from '../src/ops/peak.js';
import { fmaPeakRef } from '../src/ref/peak.js';

const t = suite('peak');

// f32 recurrence vs the float64 closed form: each step rounds once or twice (fma may or may not
// fuse), error stays ~iters * 2^-24 relative of values O(10), summed over 32 values.
const TOL = { atol: 1e-4, rtol: 1e-5 };

for (const [n, iters, a, b] of [[1, 0, 0.5, 0.25], [65, 3, 0.5, 0.25], [1000, 17, 0.75, -0.5], [257, 200, 0.9, 0.1]] as const) {
  t(`fma peak n=${n} iters=${iters} a=${a} b=${b} matches the closed form`, async () => {
    const gpu = await getGpu();
    const y = fmaPeak(gpu, n, iters, { a, b });
    assertClose(await y.read(), fmaPeakRef(n, iters, a, b), TOL);
    y.dispose();
  });
}

t('flop count and errors', async () => {
  assert.is(peakFlops(64, 10), 64 * 10 * 8 * 4 * 2);
  const gpu = await getGpu();
  await assertThrows(() => fmaPeak(gpu, 0, 1), /peak.*n must be a positive integer/);
  await assertThrows(() => fmaPeak(gpu, 4, -1), /iters must be an integer/);
});

t.run();
