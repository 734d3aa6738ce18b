import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import { readText, readFile, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';
import { Pqmf, PQMF_MBMELGAN, PQMF_RAVE, type PqmfDesign } from '../src/ops/pqmf.js';
import { designPqmf } from '../src/dsp/pqmf_design.js';
import { pqmfAnalysisRef, pqmfSynthesisRef, pqmfDesignFigure, snrDb } from '../src/ref/pqmf.js';
import { readTfjs } from '../src/weights/tfjs.js';

const t = suite('pqmf');
const EPS = 2 ** -24;

// Designs are shared by the tests (RAVE's Nelder-Mead runs ~40 filter designs).
const designs = new Map<string, PqmfDesign>();
const design = (name: 'pwg' | 'rave') => designs.get(name) ?? designs.set(name, designPqmf(name === 'pwg' ? PQMF_MBMELGAN : PQMF_RAVE)).get(name)!;

/**
 * f32 tolerance of a filter-bank output: each output is a sum of L products, each rounded, plus
 * the f32 rounding of the filters; bounded by ~4 sqrt(L) eps times the largest absolute tap sum
 * times max|input| (times M for synthesis, whose gain is M).
 */
function bankTol(filters: Float64Array, L: number, gain: number, xmax: number) {
  let worst = 0;
  for (let k = 0; k < filters.length / L; k++) {
    let s = 0;
    for (let j = 0; j < L; j++) s += Math.abs(filters[k * L + j]);
    worst = Math.max(worst, s);
  }
  return { atol: 4 * Math.sqrt(L) * EPS * worst * gain * xmax, rtol: 0 };
}

t('pwg design equals the numpy fixture (prototype, analysis and synthesis filters)', async () => {
  const d = design('pwg');
  assertClose(d.prototype, (await loadNpy('test/fixtures/pqmf/pwg_prototype.npy')).data, { atol: 1e-8, rtol: 1e-6 }, 'prototype');
  assertClose(d.analysis, (await loadNpy('test/fixtures/pqmf/pwg_analysis.npy')).data, { atol: 1e-8, rtol: 1e-6 }, 'analysis');
  assertClose(d.synthesis, (await loadNpy('test/fixtures/pqmf/pwg_synthesis.npy')).data, { atol: 1e-8, rtol: 1e-6 }, 'synthesis');
});

t('rave design equals scipy (fmin cutoff, kaiserord length and beta, filters)', async () => {
  const d = design('rave');
  const meta = JSON.parse(await readText('test/fixtures/pqmf/meta.json')).rave;
  assert.ok(Math.abs(d.cutoff - meta.wc) < 1e-12, `wc ${d.cutoff} vs scipy ${meta.wc}`);
  assert.ok(Math.abs(d.beta - meta.beta) < 1e-12, `beta ${d.beta} vs ${meta.beta}`);
  assert.is(d.prototype.length, meta.taps);
  assert.is(d.length, meta.length);
  assertClose(d.prototype, (await loadNpy('test/fixtures/pqmf/rave_prototype.npy')).data, { atol: 1e-8, rtol: 1e-6 }, 'prototype');
  const hk = (await loadNpy('test/fixtures/pqmf/rave_hk.npy')).data;
  assertClose(d.analysis, hk, { atol: 1e-8, rtol: 1e-6 }, 'analysis filters');
  const L = d.length, reversed = new Float32Array(hk.length);
  for (let k = 0; k < 16; k++) for (let j = 0; j < L; j++) reversed[k * L + j] = hk[k * L + L - 1 - j];
  assertClose(d.synthesis, reversed, { atol: 1e-8, rtol: 1e-6 }, 'synthesis filters');
});

for (const name of ['pwg', 'rave'] as const) {
  t(`${name}: reference and GPU equal the torch fixture (analysis, synthesis)`, async () => {
    const d = design(name);
    const x = await loadNpy(`test/fixtures/pqmf/${name}_x.npy`);
    const bands = await loadNpy(`test/fixtures/pqmf/${name}_bands.npy`);
    const y = await loadNpy(`test/fixtures/pqmf/${name}_y.npy`);
    const [B, , T] = x.shape, N = bands.shape[2];
    const tight = { atol: 1e-7, rtol: 1e-6 };
    assertClose(pqmfAnalysisRef(x.data, B, T, d), bands.data, tight, 'analysis ref');
    assertClose(pqmfSynthesisRef(bands.data, B, N, d), y.data, tight, 'synthesis ref');
    const gpu = await getGpu();
    const pq = new Pqmf(gpu, name === 'pwg' ? PQMF_MBMELGAN : PQMF_RAVE);
    const b = pq.analysis(gpu.tensor(x.data as Float32Array, x.shape));
    assert.equal(b.shape, bands.shape);
    assertClose(await b.read(), bands.data, bankTol(d.analysis, d.length, 1, 1), 'analysis gpu');
    const yt = pq.synthesis(gpu.tensor(bands.data as Float32Array, bands.shape));
    assert.equal(yt.shape, y.shape);
    let bmax = 0;
    for (const v of bands.data) bmax = Math.max(bmax, Math.abs(v));
    assertClose(await yt.read(), y.data, bankTol(d.synthesis, d.length, d.bands, bmax), 'synthesis gpu');
    pq.dispose();
  });

  t(`${name}: design figure equals the numpy figure`, async () => {
    const meta = JSON.parse(await readText('test/fixtures/pqmf/meta.json'))[name];
    const fig = pqmfDesignFigure(design(name));
    assert.ok(Math.abs(fig.snrDb - meta.figure_db) < 1e-6, `${fig.snrDb} dB vs numpy ${meta.figure_db} dB`);
  });
}

for (const [name, B, T] of [['pwg', 1, 1], ['pwg', 3, 203], ['pwg', 1, 1000], ['rave', 2, 16 * 7 + 9], ['rave', 1, 16 * 40], ['rave', 1, 9]] as ['pwg' | 'rave', number, number][]) {
  t(`${name}: GPU vs reference B=${B} T=${T}`, async () => {
    const gpu = await getGpu();
    const d = design(name), pq = new Pqmf(gpu, name === 'pwg' ? PQMF_MBMELGAN : PQMF_RAVE);
    const x = randn(B * T, B * T + 1, -1, 1);
    const b = pq.analysis(gpu.tensor(x, [B, 1, T]));
    const bv = await b.read();
    assertClose(bv, pqmfAnalysisRef(x, B, T, d), bankTol(d.analysis, d.length, 1, 1), 'analysis');
    const N = b.shape[2];
    assert.equal(b.shape, [B, d.bands, name === 'pwg' ? Math.ceil(T / d.bands) : Math.floor(T / d.bands)]);
    if (N > 0) {
      let bmax = 0;
      for (const v of bv) bmax = Math.max(bmax, Math.abs(v));
      assertClose(await pq.synthesis(b).read(), pqmfSynthesisRef(bv, B, N, d), bankTol(d.synthesis, d.length, d.bands, bmax), 'synthesis');
    }
    pq.dispose();
  });
}

// White noise through GPU analysis -> synthesis: the SNR away from the edges must reach the
// design figure (64.1 dB for 4/62/0.142/9, 60.0 dB for RAVE 16/100) within 1 dB of estimation
// noise, and not exceed it by much either (the figure predicts it).
for (const [name, T] of [['pwg', 4 * 3001], ['rave', 16 * 1200]] as ['pwg' | 'rave', number][]) {
  t(`${name}: reconstruction SNR matches the design figure`, async () => {
    const gpu = await getGpu();
    const d = design(name), fig = pqmfDesignFigure(d);
    const pq = new Pqmf(gpu, name === 'pwg' ? PQMF_MBMELGAN : PQMF_RAVE);
    const x = randn(2 * T, 17, -1, 1);
    const y = await pq.synthesis(pq.analysis(gpu.tensor(x, [2, 1, T]))).read();
    for (let b = 0; b < 2; b++) {
      const snr = snrDb(y.subarray(b * T, (b + 1) * T), x.subarray(b * T, (b + 1) * T), 2 * d.length, T - 2 * d.length);
      assert.ok(snr > fig.snrDb - 1 && snr < fig.snrDb + 2, `${name} SNR ${snr.toFixed(2)} dB vs design ${fig.snrDb.toFixed(2)} dB`);
    }
    pq.dispose();
  });
}

t('Multi-band MelGAN checkpoint: its in-graph PQMF filters are this design', async () => {
  const dir = `${SHARED_WEIGHTS}/tfjs-tts-mbmelgan-ljspeech`;
  if (!(await sharedWeightsAvailable('tfjs-tts-mbmelgan-ljspeech/model.json'))) return;
  const file = await readTfjs(await readFile(`${dir}/model.json`), (p) => readFile(`${dir}/${p}`));
  const syn = file.tensors.get('StatefulPartitionedCall/PartitionedCall/conv1d/ExpandDims_1');
  const updown = file.tensors.get('StatefulPartitionedCall/PartitionedCall/conv1d_transpose/ExpandDims_1');
  assert.ok(syn && updown, 'PQMF tensors present');
  assert.equal(syn!.shape, [1, 63, 4, 1]);
  const w = await syn!.read(), d = design('pwg');
  // TF layout [1, width, in = band, out]; uint8 affine weights: off by at most half a step (0.00099)
  const ours = new Float32Array(63 * 4);
  for (let j = 0; j < 63; j++) for (let k = 0; k < 4; k++) ours[j * 4 + k] = d.synthesis[k * 63 + j];
  assertClose(w, ours, { atol: 0.0019815466 / 2 + 1e-6, rtol: 0 }, 'synthesis filter');
  const u = await updown!.read(), eye = new Float32Array(64);
  for (let k = 0; k < 4; k++) eye[k * 4 + k] = 4; // [1, width, out, in]: tap 0 holds M * identity
  assertClose(u, eye, { atol: 1e-6, rtol: 0 }, 'zero insertion times M');
  await file.close?.();
});

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  await assertThrows(() => new Pqmf(gpu, { kind: 'pwg', taps: 61 }), /pqmf/, /even/);
  await assertThrows(() => new Pqmf(gpu, { kind: 'rave', bands: 12 }), /pqmf/, /power of two/);
  const pq = new Pqmf(gpu, PQMF_MBMELGAN);
  await assertThrows(() => pq.analysis(gpu.tensor(new Float32Array(12), [2, 2, 3])), /pqmf.analysis/, /\[2, 2, 3\]/, /\[B \* C, T\]/);
  await assertThrows(() => pq.synthesis(gpu.tensor(new Float32Array(24), [1, 6, 4])), /pqmf.synthesis/, /\[B, 4, N\]/, /transpose/);
  await assertThrows(() => pq.synthesis(gpu.tensor(new Int32Array(8), [1, 4, 2])), /f32/);
  pq.dispose();
});

t.run();
