import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import { Resampler } from '../src/ops/resample.js';
import { resampleRef } from '../src/ref/resample.js';
import { designResampleFilter, reduceRatio } from '../src/dsp/resample_design.js';

const t = suite('resample');

const RATES: [number, number][] = [[16000, 48000], [48000, 16000], [22050, 44100], [44100, 22050], [44100, 48000], [48000, 44100]];

/** Largest |y| over the filter's absolute tap sum bounds every output, so scale tolerances by it. */
function f32Tol(h: ArrayLike<number>, up: number, xmax: number) {
  let l1 = 0;
  for (let j = 0; j < h.length; j++) l1 += Math.abs(h[j]);
  // one f32 rounding per tap product and per partial sum: ~2 R eps of the absolute sum, R ~ l1-weighted taps
  const scale = up * l1 * xmax;
  return { atol: 4e-7 * scale * Math.sqrt(h.length / up), rtol: 1e-6 };
}

for (const [fr, to] of RATES) {
  t(`scipy.signal.resample_poly parity ${fr} -> ${to} (filter design, reference, GPU)`, async () => {
    const name = `${fr}_${to}`;
    const h = await loadNpy(`test/fixtures/resample/h_${name}.npy`);
    const x = await loadNpy(`test/fixtures/resample/x_${name}.npy`);
    const y = await loadNpy(`test/fixtures/resample/y_${name}.npy`);
    const { up, down } = reduceRatio(fr, to);
    const zeros = (h.shape[0] - 1) / 2 / Math.max(up, down);
    const d = designResampleFilter(up, down, { zeros });
    // the design: float64 here and in numpy, compared after numpy's f32 rounding
    assertClose(d.taps, h.data, { atol: 1e-9, rtol: 1e-6 }, 'taps');
    const n = x.shape[x.shape.length - 1];
    // the reference against scipy: both float64, the fixture rounded to f32 once
    assertClose(resampleRef(x.data, n, up, down, d.taps), y.data, { atol: 1e-7, rtol: 1e-6 }, 'reference');
    const gpu = await getGpu();
    const rs = new Resampler(gpu, fr, to, { zeros });
    const out = rs.apply(gpu.tensor(x.data as Float32Array, x.shape));
    assert.equal(out.shape, y.shape);
    assertClose(await out.read(), y.data, f32Tol(d.taps, up, 1), 'gpu');
    rs.dispose();
  });
}

// A sine well inside the passband resampled against the same sine generated at the new rate:
// the filter's ripple (~-86 dB by design) bounds the error once the edges (filter support) are cut.
for (const [fr, to] of RATES) {
  t(`band-limited sine ${fr} -> ${to} below -60 dB away from the edges`, async () => {
    const gpu = await getGpu();
    const rs = new Resampler(gpu, fr, to);
    const n = 1501, f = 0.3 * Math.min(fr, to) / 2, ph = 0.7;
    const x = Float32Array.from({ length: n }, (_, i) => 0.8 * Math.sin((2 * Math.PI * f * i) / fr + ph));
    const y = await rs.apply(gpu.tensor(x)).read();
    const edge = Math.ceil(rs.design.halfLen / rs.down) + 2;
    let num = 0, den = 0;
    for (let m = edge; m < y.length - edge; m++) {
      const ref = 0.8 * Math.sin((2 * Math.PI * f * m) / to + ph);
      num += (y[m] - ref) ** 2; den += ref * ref;
    }
    const db = 10 * Math.log10(num / den);
    assert.ok(db < -60, `error ${db.toFixed(1)} dB`);
    rs.dispose();
  });
}

for (const [shape, fr, to] of [[[1], 16000, 48000], [[3, 1, 257], 48000, 16000], [[2, 999], 44100, 48000], [[5], 48000, 44100], [[4, 64], 22050, 44100]] as [number[], number, number][]) {
  t(`GPU vs reference ${JSON.stringify(shape)} ${fr} -> ${to}`, async () => {
    const gpu = await getGpu();
    const rs = new Resampler(gpu, fr, to, { zeros: 16 });
    const size = shape.reduce((a, b) => a * b, 1), n = shape[shape.length - 1];
    const x = randn(size, size + fr, -1, 1);
    const y = rs.apply(gpu.tensor(x, shape));
    assert.equal(y.shape, [...shape.slice(0, -1), rs.outputLength(n)]);
    assertClose(await y.read(), resampleRef(x, n, rs.up, rs.down, rs.design.taps), f32Tol(rs.design.taps, rs.up, 1), 'gpu');
    rs.dispose();
  });
}

t('equal rates copy; ratios reduce; errors name the op', async () => {
  const gpu = await getGpu();
  const same = new Resampler(gpu, 44100, 44100);
  const x = randn(33, 1);
  assertClose(await same.apply(gpu.tensor(x)).read(), x, { atol: 0, rtol: 0 }, 'copy');
  same.dispose();
  assert.equal(reduceRatio(44100, 48000), { up: 160, down: 147 });
  assert.equal(reduceRatio(16000, 48000), { up: 3, down: 1 });
  await assertThrows(() => new Resampler(gpu, 44100.5, 48000), /resample/, /integers/);
  await assertThrows(() => new Resampler(gpu, 16000, 48000, { rolloff: 1.5 }), /resample/, /rolloff/);
  const rs = new Resampler(gpu, 16000, 48000, { zeros: 4 });
  await assertThrows(() => rs.apply(gpu.tensor(new Int32Array(4))), /resample/, /f32/, /\[4\]/);
  rs.dispose();
});

t.run();
