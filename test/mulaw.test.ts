import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import { MuLaw, MULAW_256, MULAW_NSYNTH, MULAW_PYTORCH_WAVENET, mulawTables, mulawCompress, mulawExpand, type MuLawSpec } from '../src/ops/mulaw.js';
import { encodeRef, decodeRef, compandedRef, oneHotRef, compressRef, expandRef } from '../src/ref/mulaw.js';
import { readWav, downmix } from '../src/audio/wav.js';
import { readFile, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';

const t = suite('mulaw');

// Classes and table values must be exact (integer classes; table values are float64 rounded to
// f32 once, on the CPU), so these use a zero tolerance.
const EXACT = { atol: 0, rtol: 0 };
// The continuous curves run WGSL log/exp (SwiftShader: a few ulp): 2e-6 absolute on [-1, 1].
const CURVE = { atol: 2e-6, rtol: 1e-5 };

const SPECS: [string, MuLawSpec][] = [['round', MULAW_256], ['floor', MULAW_NSYNTH], ['linspace', MULAW_PYTORCH_WAVENET]];

function assertEqualInts(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.is(a.length, b.length, `${what} length`);
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) assert.unreachable(`${what} element ${i}: got ${a[i]}, expected ${b[i]}`);
}

for (const [name, spec] of SPECS) {
  t(`${name}: reference equals the numpy fixture (classes, values)`, async () => {
    const x = await loadNpy(`test/fixtures/mulaw/x_${name}.npy`);
    const q = await loadNpy(`test/fixtures/mulaw/q_${name}.npy`);
    assertEqualInts(encodeRef(x.data, spec), q.data, 'classes');
    const all = Int32Array.from({ length: spec.classes }, (_, i) => i);
    assertClose(compandedRef(all, spec), (await loadNpy(`test/fixtures/mulaw/companded_${name}.npy`)).data, EXACT, 'companded');
    assertClose(decodeRef(all, spec), (await loadNpy(`test/fixtures/mulaw/decoded_${name}.npy`)).data, EXACT, 'decoded');
  });

  t(`${name}: GPU classes equal the numpy fixture exactly (edges, +-1, 0, out of range)`, async () => {
    const gpu = await getGpu();
    const x = await loadNpy(`test/fixtures/mulaw/x_${name}.npy`);
    const q = await loadNpy(`test/fixtures/mulaw/q_${name}.npy`);
    const mu = new MuLaw(gpu, spec);
    const xt = gpu.tensor(x.data as Float32Array);
    assertEqualInts(await mu.encode(xt).read(), q.data, 'encode');
    const comp = (await loadNpy(`test/fixtures/mulaw/companded_${name}.npy`)).data;
    assertClose(await mu.quantize(xt).read(), Float32Array.from(q.data, (c) => comp[c]), EXACT, 'quantize');
    const all = gpu.tensor(Int32Array.from({ length: spec.classes }, (_, i) => i));
    assertClose(await mu.decode(all).read(), (await loadNpy(`test/fixtures/mulaw/decoded_${name}.npy`)).data, EXACT, 'decode');
    assertClose(await mu.companded(all).read(), comp, EXACT, 'companded');
    mu.dispose();
  });

  t(`${name}: thresholds are the first f32 of each class`, () => {
    const { thresholds } = mulawTables(spec);
    const below = Float32Array.from(thresholds, (v) => {
      const f = new Float32Array([v]), u = new Uint32Array(f.buffer);
      if (v === 0) return -1.401298464324817e-45;
      u[0] += v > 0 ? -1 : 1;
      return f[0];
    });
    assertEqualInts(encodeRef(thresholds, spec), Int32Array.from(thresholds, (_, j) => j + 1), 'class at threshold');
    assertEqualInts(encodeRef(below, spec), Int32Array.from(thresholds, (_, j) => j), 'class just below');
  });

  for (const shape of [[1], [7], [3, 257], [2, 1, 1000]]) {
    t(`${name}: encode/decode/companded vs reference ${JSON.stringify(shape)}`, async () => {
      const gpu = await getGpu();
      const n = shape.reduce((a, b) => a * b, 1);
      const x = randn(n, n + spec.classes, -1.2, 1.2);
      const mu = new MuLaw(gpu, spec);
      const q = mu.encode(gpu.tensor(x, shape));
      assert.equal(q.shape, shape);
      const qv = await q.read();
      assertEqualInts(qv, encodeRef(x, spec), 'encode');
      assertClose(await mu.decode(q).read(), decodeRef(qv, spec), EXACT, 'decode');
      assertClose(await mu.companded(q).read(), compandedRef(qv, spec), EXACT, 'companded');
      mu.dispose();
    });
  }
}

// (pytorch-wavenet's decoded values sit exactly on a class's lower edge, so f32 rounding can move
// them down a class: no such round trip there.)
for (const spec of [MULAW_256, MULAW_NSYNTH]) {
  t(`${spec.scheme}: every class survives decode -> encode`, async () => {
    const gpu = await getGpu();
    const mu = new MuLaw(gpu, spec);
    const all = Int32Array.from({ length: 256 }, (_, i) => i);
    assertEqualInts(await mu.encode(mu.decode(gpu.tensor(all))).read(), all, 'round trip');
    mu.dispose();
  });
}

for (const [shape, dtype] of [[[37], 'i32'], [[2, 3, 19], 'u32'], [[1, 64], 'f32']] as [number[], 'i32' | 'u32' | 'f32'][]) {
  t(`oneHot ${JSON.stringify(shape)} from ${dtype} classes`, async () => {
    const gpu = await getGpu();
    const mu = new MuLaw(gpu, MULAW_PYTORCH_WAVENET);
    const n = shape.reduce((a, b) => a * b, 1);
    const q = Int32Array.from(randn(n, n, 0, 128), Math.floor);
    const data = dtype === 'i32' ? q : dtype === 'u32' ? Uint32Array.from(q) : Float32Array.from(q);
    const hot = mu.oneHot(gpu.tensor(data, shape, dtype));
    assert.equal(hot.shape, [...shape.slice(0, -1), 128, shape[shape.length - 1]]);
    assertClose(await hot.read(), oneHotRef(q, shape[shape.length - 1], 128), EXACT, 'onehot');
    mu.dispose();
  });
}

t('pytorch-wavenet training clip: GPU input bins[q] equals the reference exactly', async () => {
  if (!(await sharedWeightsAvailable('pytorch-wavenet/train_samples/violin.wav'))) return;
  const wav = readWav(await readFile(`${SHARED_WEIGHTS}/pytorch-wavenet/train_samples/violin.wav`));
  const x = downmix(wav.channels); // librosa.load(mono=True): the channel mean, 44.1 kHz kept
  const gpu = await getGpu();
  const mu = new MuLaw(gpu, MULAW_PYTORCH_WAVENET);
  const xt = gpu.tensor(x);
  const q = encodeRef(x, MULAW_PYTORCH_WAVENET);
  assertEqualInts(await mu.encode(xt).read(), q, 'classes');
  assertClose(await mu.quantize(xt).read(), compandedRef(q, MULAW_PYTORCH_WAVENET), EXACT, 'model input');
  let used = 0;
  for (const c of new Set(q)) if (c >= 0) used++;
  assert.ok(used > 60, `a real clip spans many classes (${used})`);
  mu.dispose();
});

t('classes outside [0, classes) are clamped on decode', async () => {
  const gpu = await getGpu();
  const mu = new MuLaw(gpu, MULAW_256);
  const y = await mu.decode(gpu.tensor(new Int32Array([-5, 0, 255, 300]))).read();
  assertClose(y, decodeRef([0, 0, 255, 255], MULAW_256), EXACT, 'clamped');
  mu.dispose();
});

for (const mu of [255, 128]) {
  t(`continuous compress/expand mu=${mu}`, async () => {
    const gpu = await getGpu();
    const x = randn(1001, mu, -1.1, 1.1);
    x[0] = 0; x[1] = 1e-7; x[2] = -1; x[3] = 1;
    assertClose(await mulawCompress(gpu.tensor(x), mu).read(), compressRef(x, mu), CURVE, 'compress');
    assertClose(await mulawExpand(gpu.tensor(x), mu).read(), expandRef(x, mu), CURVE, 'expand');
  });
}

t('errors name the op and the fix', async () => {
  const gpu = await getGpu();
  await assertThrows(() => new MuLaw(gpu, { classes: 256, mu: 256, scheme: 'round' }), /mulaw/, /mu 255/);
  await assertThrows(() => new MuLaw(gpu, { classes: 1, mu: 1, scheme: 'linspace' }), /classes/);
  const mu = new MuLaw(gpu, MULAW_256);
  await assertThrows(() => mu.encode(gpu.tensor(new Int32Array(4))), /mulaw.encode/, /f32/, /\[4\]/);
  await assertThrows(() => mulawExpand(gpu.tensor(new Float32Array(2)), 0), /mu must be positive/);
  mu.dispose();
});

t.run();
