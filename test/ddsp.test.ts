// Parity of wavegpu's DDSP (src/models/ddsp) with magenta's TF.js graph run by the peer runtime
// (@tensorflow/tfjs-backend-cpu, scripts/fixtures/ddsp_tfjs.mjs) on the same f0/loudness phrase
// and the same seeded noise. Needs ../shared/weights/magenta-js-ddsp (skips without it).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { loadNpy, relL2 } from './util/check.js';
import { readFile, readText, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';
import { readTfjs } from '../src/weights/tfjs.js';
import { randomUniform } from '../src/ops/softmax_sample.js';
import { DdspModel, padInputs } from '../src/models/ddsp/model.js';
import { DDSP, INSTRUMENTS } from '../src/models/ddsp/config.js';
import type { Gpu } from '../src/runtime/gpu.js';

const t = suite('ddsp');
const FIX = 'test/fixtures/ddsp';
// The bar for the audio is 1e-3. The decoder's f32 convolutions and norms differ from
// TF.js's float64-accumulated ones by ~1e-6 relative, and the phases repeat TF's own f32
// arithmetic (frequency rounded once, serial chunk sums, exact floor-mod), so the output agrees
// to ~1.5e-6 (measured, SwiftShader). The whole violin output is held to 1e-4: a device that
// fuses multiply-adds in the phase sums would land near 2e-5, a broken phase path near 1e-2.
const AUDIO_TOL = 1e-3;
const FULL_TOL = 1e-4;
const CONTROL_TOL = 1e-4;

interface Meta { seed: number; spotStride: number; noiseCheck: Record<string, number>; short: { instrument: string; frames: number; seed: number; transpose: number } }

async function meta(): Promise<Meta> { return JSON.parse(await readText(`${FIX}/meta.json`)); }

async function inputs(): Promise<{ f0: Float32Array; ld: Float32Array }> {
  return { f0: (await loadNpy(`${FIX}/f0_hz.npy`)).data as Float32Array, ld: (await loadNpy(`${FIX}/loudness_db.npy`)).data as Float32Array };
}

async function load(gpu: Gpu, inst: string): Promise<DdspModel> {
  const dir = `${SHARED_WEIGHTS}/magenta-js-ddsp/${inst}`;
  const file = await readTfjs(await readFile(`${dir}/model.json`), (rel) => readFile(`${dir}/${rel}`), { name: `${inst}/model.json` });
  return DdspModel.load(gpu, file);
}

function spot(a: Float32Array, stride: number, n = a.length): Float32Array {
  return Float32Array.from({ length: Math.ceil(n / stride) }, (_, k) => a[k * stride]);
}

/** Rows 0, 5, 10, ... of a [frames, width] array. */
function everyFifthRow(a: Float32Array, width: number): Float32Array {
  const rows = Math.ceil(DDSP.frames / 5), out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) out.set(a.subarray(r * 5 * width, (r * 5 + 1) * width), r * width);
  return out;
}

function check(what: string, got: Float32Array, want: ArrayLike<number>, tol: number): number {
  const e = relL2(got, want);
  console.log(`  ${what}: rel L2 ${e.toExponential(2)}`);
  assert.ok(e < tol, `${what}: relative L2 error ${e.toExponential(3)} >= ${tol}`);
  return e;
}

t('the noise source is the seeded stream the fixtures were made with', async () => {
  const gpu = await getGpu();
  const m = await meta();
  const u = await randomUniform(gpu, [DDSP.frames * DDSP.hop], m.seed).read();
  for (const [i, v] of Object.entries(m.noiseCheck)) assert.is(u[Number(i)], v, `uniform[${i}]`);
});

t('padInputs pads like magenta-js and refuses what the model cannot take', () => {
  const p = padInputs(Float32Array.of(440, 441), Float32Array.of(-50, -51));
  assert.equal([p.f0.length, p.f0[1], p.f0[2], p.ld[1], p.ld[1249]], [1250, 441, -1, -51, -120]);
  assert.throws(() => padInputs(new Float32Array(1251), new Float32Array(1251)), /1 to 1250/);
  assert.throws(() => padInputs(new Float32Array(3), new Float32Array(4)), /3 frames but loudness_db has 4/);
});

for (const inst of INSTRUMENTS) {
  t(`${inst}: audio matches the TF.js graph`, async () => {
    if (!(await sharedWeightsAvailable(`magenta-js-ddsp/${inst}/model.json`))) return;
    const gpu = await getGpu();
    const m = await meta();
    const { f0, ld } = await inputs();
    const model = await load(gpu, inst);
    try {
      const o = gpu.scope(() => model.forward(gpu.tensor(f0), gpu.tensor(ld), m.seed));
      const audio = await o.audio.read();
      check(`${inst} amplitude`, await o.amp.read(), (await loadNpy(`${FIX}/${inst}_amps.npy`)).data, CONTROL_TOL);
      if (inst === 'violin') {
        check('violin harmonic amplitudes (every 5th frame)', everyFifthRow(await o.harm.read(), DDSP.harmonics), (await loadNpy(`${FIX}/violin_harm_every5.npy`)).data, CONTROL_TOL);
        check('violin noise magnitudes (every 5th frame)', everyFifthRow((await o.mags.read()).filter((_, i) => i % 2 === 0), DDSP.noiseBands), (await loadNpy(`${FIX}/violin_noise_mags_every5.npy`)).data, CONTROL_TOL);
        const harmonic = await o.harmonic.read();
        check('violin harmonic part (spots)', spot(harmonic, m.spotStride), (await loadNpy(`${FIX}/violin_harmonic_spot.npy`)).data, AUDIO_TOL);
        const noise = audio.map((v, i) => v - harmonic[i]);
        check('violin filtered noise (spots)', spot(noise, m.spotStride), (await loadNpy(`${FIX}/violin_noise_spot.npy`)).data, AUDIO_TOL);
        check('violin audio (all 80000 samples)', audio, (await loadNpy(`${FIX}/violin_audio.npy`)).data, FULL_TOL);
      } else {
        check(`${inst} audio (spots)`, spot(audio, m.spotStride), (await loadNpy(`${FIX}/${inst}_audio_spot.npy`)).data, AUDIO_TOL);
      }
      for (const x of Object.values(o)) x.dispose();
    } finally { model.dispose(); }
  });
}

t('a short input is padded as magenta-js pads it', async () => {
  const m = await meta();
  if (!(await sharedWeightsAvailable(`magenta-js-ddsp/${m.short.instrument}/model.json`))) return;
  const gpu = await getGpu();
  const { f0, ld } = await inputs();
  const n = m.short.frames;
  const sf = f0.slice(0, n).map((v) => v * 2 ** (m.short.transpose / 12));
  const model = await load(gpu, m.short.instrument);
  try {
    const audio = await model.synthesize(sf, ld.slice(0, n), m.short.seed);
    assert.is(audio.length, n * DDSP.hop);
    check(`${m.short.instrument} ${n} frames`, spot(audio, m.spotStride), (await loadNpy(`${FIX}/${m.short.instrument}_short_audio_spot.npy`)).data, AUDIO_TOL);
  } finally { model.dispose(); }
});

t.run();
