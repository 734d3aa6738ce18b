import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, relL2, assertClose, assertThrows } from './util/check.js';
import { fftConvolve, fftConvBlock, type ConvMode } from '../src/ops/fftconv.js';
import { convolveRef, convModeRef } from '../src/ref/fftconv.js';

const t = suite('fftconv');

/** A decaying noise tail, like a room impulse response. */
function impulseResponse(K: number, seed: number): Float32Array {
  const h = randn(K, seed);
  for (let k = 0; k < K; k++) h[k] *= Math.exp((-6 * k) / K);
  h[0] = 1;
  return h;
}

// [name, B, T, K, h batched, mode, block]
const CASES: [string, number, number, number, boolean, ConvMode, number?][] = [
  ['short filter, one block, B=2', 2, 900, 37, false, 'full'],
  ['per-signal filters, same', 3, 777, 64, true, 'same'],
  ['reverb: T 30000, K 4000, overlap-add, causal', 1, 30000, 4000, false, 'causal'],
  ['h longer than x', 1, 100, 3001, false, 'full'],
  ['K = 1 and T = 1', 1, 1, 1, false, 'full'],
  ['forced small blocks (many blocks)', 2, 5003, 100, false, 'full', 256],
  ['even K same', 1, 501, 10, false, 'same'],
];

for (const [name, B, T, K, hb, mode, block] of CASES) {
  t(`fftConvolve ${name} equals direct convolution`, async () => {
    const gpu = await getGpu();
    const x = randn(B * T, T + K), h = hb ? randn(B * K, K) : impulseResponse(K, K + 1);
    const y = fftConvolve(gpu.tensor(x, [B, T]), gpu.tensor(h, hb ? [B, K] : [K]), { mode, block });
    const ref = convModeRef(convolveRef(x, B, T, h, K, hb), B, T, K, mode);
    assert.equal(y.shape, [B, ref.length / B]);
    const got = await y.read();
    // f32 FFTs of size N: error ~1e-7 sqrt(log2 N) of the output's scale; bound 1e-5 of the peak.
    let peak = 0;
    for (const v of ref) peak = Math.max(peak, Math.abs(v));
    assertClose(got, ref, { atol: 1e-5 * peak, rtol: 0 }, name);
    assert.ok(relL2(got, ref) < 1e-5, `relative L2 ${relL2(got, ref)}`);
  });
}

t('block choice: one FFT for short outputs, 8 filter lengths for long ones', () => {
  assert.is(fftConvBlock(900, 37), 1024); // one block: 936 outputs
  assert.is(fftConvBlock(5000, 37), 1024); // 8 * 64 < 1024: blocks of 1024
  assert.is(fftConvBlock(30000, 4000), 32768);
  assert.is(fftConvBlock(1, 1), 2);
  assert.is(fftConvBlock(1e6, 100), 1024);
});

t('a 1-D signal gives a 1-D output', async () => {
  const gpu = await getGpu();
  const y = fftConvolve(gpu.tensor(Float32Array.of(1, 2, 3)), gpu.tensor(Float32Array.of(0, 1)));
  assert.equal(y.shape, [4]);
  assertClose(await y.read(), [0, 1, 2, 3], { atol: 1e-6, rtol: 0 });
});

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(6), [2, 3]);
  await assertThrows(() => fftConvolve(x, gpu.tensor(new Float32Array(12), [3, 4])), /fftConvolve/, /\[3, 4\]/, /\[2, K\]/);
  await assertThrows(() => fftConvolve(x, gpu.tensor(new Float32Array(4)), { block: 4 }), /block 4/, /above the filter length 4/);
  await assertThrows(() => fftConvolve(x, gpu.tensor(new Float32Array(4)), { mode: 'valid' as ConvMode }), /mode 'valid'/);
  await assertThrows(() => fftConvolve(gpu.tensor(new Int32Array(3)), gpu.tensor(new Float32Array(2))), /fftConvolve/, /i32/);
});

t.run();
