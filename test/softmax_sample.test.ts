import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import * as ss from '../src/ops/softmax_sample.js';
import { softmaxRef, argmaxRef, philox4x32, noiseRef, sampleRef, sampleUniformRef } from '../src/ref/softmax_sample.js';

const t = suite('softmax_sample');

// softmax: p_j = exp(x_j - m) / S. exp's argument x_j - m is exact or off by u|x_j - m|; WGSL's
// exp is allowed 3 + 2|x| ulp and SwiftShader's is near that; S adds at most ~(n/TPR + log2 TPR) u.
// Inputs within +-12 give a relative error of a few 1e-6, so rtol 3e-5; atol 1e-9 covers outputs
// that underflow towards 0. log-softmax: (x_j - m) - log S is a difference of numbers up to ~24,
// so its error is absolute: a few ulp of 24 (2e-6) plus log's error, so atol 2e-5.
const TOL_SOFTMAX = { atol: 1e-9, rtol: 3e-5 };
const TOL_LOG = { atol: 2e-5, rtol: 1e-6 };

const SHAPES = [[1, 1], [3, 7], [2, 3, 65], [5, 257], [64, 3], [1, 3001], [130, 1], [8200, 33]];  // the last: a thread per row
for (const shape of SHAPES) {
  for (const log of [false, true]) {
    t(`${log ? 'logSoftmax' : 'softmax'} ${JSON.stringify(shape)}`, async () => {
      const gpu = await getGpu();
      const n = shape[shape.length - 1], size = shape.reduce((a, b) => a * b, 1);
      const x = randn(size, size + n, -12, 12);
      const y = (log ? ss.logSoftmax : ss.softmax)(gpu.tensor(x, shape));
      assert.equal([...y.shape], shape);
      assertClose(await y.read(), softmaxRef(x, n, log), log ? TOL_LOG : TOL_SOFTMAX, log ? 'logSoftmax' : 'softmax');
    });
  }
}

t('softmax is stable for logits of 1e4 (max subtraction)', async () => {
  const gpu = await getGpu();
  const x = randn(4 * 50, 5, -1e4, 1e4);
  for (let j = 0; j < 50; j++) x[50 + j] = 1e4 + j * 1e-3; // a row of nearly equal huge values
  const p = await ss.softmax(gpu.tensor(x, [4, 50])).read();
  const lp = await ss.logSoftmax(gpu.tensor(x, [4, 50])).read();
  assertClose(p, softmaxRef(x, 50), { atol: 1e-7, rtol: 1e-3 }, 'softmax'); // x_j - m differs by up to 2e4: its f32 rounding (1e-3) dominates
  assertClose(lp, softmaxRef(x, 50, true), { atol: 2e-3, rtol: 1e-6 }, 'logSoftmax');
});

t('argmax: first index on ties, NaN wins, awkward sizes', async () => {
  const gpu = await getGpu();
  for (const [rows, n] of [[1, 1], [7, 3], [3, 1000], [65, 64], [2, 4097], [8192, 9]]) {
    const x = randn(rows * n, rows * 7 + n, 0, 4).map(Math.floor); // values 0..3: many ties
    if (rows > 2) { x[2 * n + n - 1] = NaN; x[2 * n + Math.floor(n / 2)] = NaN; }
    const got = await ss.argmax(gpu.tensor(x, [rows, n])).read();
    assert.equal(Array.from(got), Array.from(argmaxRef(x, n)), `[${rows}, ${n}]`);
  }
  const neg = new Float32Array([-Infinity, -Infinity, -3.4e38, -Infinity]);
  assert.equal(Array.from(await ss.argmax(gpu.tensor(neg, [2, 2])).read()), [0, 0]);
});

t('Philox4x32-10 reference matches the Random123 known-answer vectors', () => {
  const hex = (w: Uint32Array) => Array.from(w, (v) => v.toString(16).padStart(8, '0')).join(' ');
  assert.is(hex(philox4x32([0, 0, 0, 0], [0, 0])), '6627e8d5 e169c58d bc57ac4c 9b00dbd8');
  assert.is(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])), '408f276d 41c83b0e a20bc7c6 6d5451fd');
  assert.is(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])), 'd16cfe09 94fdcceb 5001e420 24126ea1');
});

t('randomUniform equals the CPU generator bit for bit', async () => {
  const gpu = await getGpu();
  // Offsets: 0, unaligned, and one whose 4-element block counter carries into the high word.
  for (const [n, seed, offset] of [[1, 0, 0], [7, 12345, 3], [1001, 2 ** 40 + 7, 0], [9, 99, (2 ** 32 - 1) * 4 + 2]]) {
    const got = await ss.randomUniform(gpu, [n], seed, offset).read();
    const ref = noiseRef(n, seed, offset).values;
    assert.equal(Array.from(got), Array.from(ref), `n=${n} seed=${seed} offset=${offset}`);
  }
  const streamed = await ss.randomUniform(gpu, [5], 7, 0, { stream: 3 }).read();
  assert.equal(Array.from(streamed), Array.from(noiseRef(5, 7, 0, { stream: 3 }).values));
});

t('randomUniform: chunks with growing offsets equal one long call; ranges and moments', async () => {
  const gpu = await getGpu();
  const whole = await ss.randomUniform(gpu, [3, 11], 42).read();
  const a = await ss.randomUniform(gpu, [10], 42, 0).read(), b = await ss.randomUniform(gpu, [23], 42, 10).read();
  assert.equal(Array.from(whole), [...a, ...b]);
  const n = 20000;
  const u = await ss.randomUniform(gpu, [n], 5, 0, { low: -1, high: 1 }).read();
  assertClose(u, noiseRef(n, 5, 0, { a: -1, b: 1 }).values, { atol: 0, rtol: 0 }, '[-1, 1)'); // -1 + 2u is exact in f32
  let mean = 0, sq = 0;
  for (const v of u) { mean += v / n; sq += (v * v) / n; }
  // mean of U(-1,1) has std 1/sqrt(3n) = 0.004; variance 1/3 has std ~0.003: 5 sigma bounds.
  assert.ok(Math.abs(mean) < 0.02 && Math.abs(sq - 1 / 3) < 0.015, `mean ${mean}, E[x^2] ${sq}`);
});

t('randomNormal matches the CPU Box-Muller and has unit moments', async () => {
  const gpu = await getGpu();
  const n = 20001;
  const z = await ss.randomNormal(gpu, [n], 77, 1, { mean: 0.5, std: 2 }).read();
  // log, sqrt and the precise cos/sin differ from float64 by a few ulp of values up to ~12.
  assertClose(z, noiseRef(n, 77, 1, { normal: true, a: 0.5, b: 2 }).values, { atol: 2e-5, rtol: 2e-5 }, 'normal');
  let mean = 0, v = 0;
  for (const s of z) mean += s / n;
  for (const s of z) v += (s - mean) ** 2 / n;
  assert.ok(Math.abs(mean - 0.5) < 0.08 && Math.abs(v - 4) < 0.3, `mean ${mean}, var ${v}`); // ~5 sigma
});

t('sample: temperature 0 is the argmax', async () => {
  const gpu = await getGpu();
  const x = randn(9 * 33, 3, -3, 3);
  const got = await ss.sample(gpu.tensor(x, [9, 33]), { seed: 1, temperature: 0 }).read();
  assert.equal(Array.from(got), Array.from(argmaxRef(x, 33)));
});

t('sample: the kernel draws exactly the reference uniform (uniform rows decode u)', async () => {
  const gpu = await getGpu();
  // With n = 2^16 equal logits every partial sum is an exact integer, so the draw is floor(u * 2^16):
  // the top 16 bits of the Philox word, compared with the CPU generator.
  const rows = 3, n = 65536;
  const got = await ss.sample(gpu.tensor(new Float32Array(rows * n), [rows, n]), { seed: 2 ** 33 + 5, step: 17, stream: 4 }).read();
  for (let r = 0; r < rows; r++) assert.is(got[r], Math.floor(sampleUniformRef(2 ** 33 + 5, 17, 4 + r) * n), `row ${r}`);
});

for (const [rows, n, temp] of [[200, 5, 1], [64, 257, 0.7], [7, 3001, 1.5], [8193, 19, 1]] as [number, number, number][]) {
  t(`sample [${rows}, ${n}] T=${temp} equals the reference draw for the same uniforms`, async () => {
    const gpu = await getGpu();
    const x = randn(rows * n, rows + n, -4, 4);
    const got = await ss.sample(gpu.tensor(x, [rows, n]), { seed: 99, temperature: temp, step: 3 }).read();
    const ref = sampleRef(x, n, temp, 99, 3);
    let ambiguous = 0;
    for (let r = 0; r < rows; r++) {
      // f32 CDF sums differ from float64 by ~n u; a draw that close to a boundary may go either way.
      if (ref.margin[r] < 1e-5) { ambiguous++; assert.ok(Math.abs(got[r] - ref.index[r]) <= 1, `row ${r}`); continue; }
      assert.is(got[r], ref.index[r], `row ${r}: u = ${ref.u[r]}`);
    }
    // Each row has n boundaries, so about rows * n * 2e-5 draws land that close; allow 3x that.
    assert.ok(ambiguous <= 2 + 6e-5 * rows * n, `${ambiguous} draws within 1e-5 of a CDF boundary`);
  });
}

t('sample: chi-square goodness of fit over 4000 draws (fixed seed)', async () => {
  const gpu = await getGpu();
  const logits = [1.0, -0.5, 2.0, 0.3, -1.2, 0.0, 1.4, -2.0], k = logits.length, draws = 4000, temp = 0.8;
  const x = new Float32Array(draws * k);
  for (let r = 0; r < draws; r++) x.set(logits, r * k);
  const got = await ss.sample(gpu.tensor(x, [draws, k]), { seed: 2024, temperature: temp }).read();
  const p = softmaxRef(logits.map((v) => v / temp), k);
  const counts = new Array(k).fill(0);
  for (const i of got) counts[i]++;
  const chi2 = counts.reduce((s, c, i) => s + (c - draws * p[i]) ** 2 / (draws * p[i]), 0);
  assert.ok(chi2 < 24.32, `chi2 ${chi2.toFixed(2)} >= 24.32 (7 degrees of freedom, p = 0.001); counts ${counts}`);
});

t('sample: the draw depends on (seed, stream, step), not on how rows are dispatched', async () => {
  const gpu = await getGpu();
  const x = randn(10 * 40, 8, -2, 2);
  const all = await ss.sample(gpu.tensor(x, [10, 40]), { seed: 5, step: 9 }).read();
  const lo = await ss.sample(gpu.tensor(x.slice(0, 160), [4, 40]), { seed: 5, step: 9 }).read();
  const hi = await ss.sample(gpu.tensor(x.slice(160), [6, 40]), { seed: 5, step: 9, stream: 4 }).read();
  assert.equal(Array.from(all), [...lo, ...hi]);
});

t('sample: a recorded step with a GPU counter replays as successive steps', async () => {
  const gpu = await getGpu();
  const x = randn(3 * 20, 12, -1, 1);
  const logits = gpu.tensor(x, [3, 20]);
  const counter = ss.createCounter(gpu, 40);
  const poison = gpu.poison;
  gpu.poison = false; // a poison fill would be recorded too
  const rec = gpu.record(() => { const id = ss.sample(logits, { seed: 11, step: counter, temperature: 2 }); ss.advanceCounter(counter); return id; });
  gpu.poison = poison;
  for (let s = 40; s < 46; s++) {
    rec.replay();
    const replayed = await rec.result.read();
    const direct = await ss.sample(logits, { seed: 11, step: s, temperature: 2 }).read();
    assert.equal(Array.from(replayed), Array.from(direct), `step ${s}`);
  }
  assert.equal(Array.from(await counter.read()), [46]);
  rec.dispose();
});

t('reference matches torch fixtures', async () => {
  const [x, sm, lsm, am] = await Promise.all(['x', 'softmax', 'log_softmax', 'argmax'].map((n) => loadNpy(`test/fixtures/softmax_sample/${n}.npy`)));
  const n = x.shape[x.shape.length - 1];
  assertClose(softmaxRef(x.data, n), sm.data, { atol: 1e-7, rtol: 1e-6 }, 'softmax');
  assertClose(softmaxRef(x.data, n, true), lsm.data, { atol: 1e-6, rtol: 1e-6 }, 'log_softmax');
  assert.equal(Array.from(argmaxRef(x.data, n)), Array.from(am.data));
});

t('errors name the op and the shapes', async () => {
  const gpu = await getGpu();
  const x = gpu.tensor(new Float32Array(6), [2, 3]);
  await assertThrows(() => ss.softmax(gpu.tensor(new Int32Array(3), [3])), /softmax/, /i32/, /\[3\]/);
  await assertThrows(() => ss.argmax(gpu.empty([2, 0])), /argmax/, /\[2, 0\]/);
  await assertThrows(() => ss.sample(x, { seed: 1, temperature: -1 }), /sample/, /temperature/);
  await assertThrows(() => ss.sample(x, { seed: -1 }), /sample/, /seed/);
  await assertThrows(() => ss.sample(x, { seed: 1, step: gpu.tensor(new Float32Array(1)) }), /sample/, /u32/, /createCounter/);
  await assertThrows(() => ss.randomUniform(gpu, [4], 1, 0.5), /randomUniform/, /offset/);
});

t.run();
