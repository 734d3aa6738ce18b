// Streaming (overlap with exact trimming): random chunk sizes must concatenate to the
// whole-utterance output, for every vocoder; plus the front ends against numpy/torch.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { loadNpy, rng, randn, assertClose, assertThrows } from './util/check.js';
import { readFile, readText, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';
import { loadWeights } from '../src/weights/load.js';
import { readTfjs } from '../src/weights/tfjs.js';
import { loadVocoder, vocode, type VocoderKind } from '../src/models/vocoder/vocode.js';
import { createStream } from '../src/models/vocoder/stream.js';
import { computeMel, melFrames } from '../src/models/vocoder/frontend.js';
import { MELGAN_MEL } from '../src/models/melgan/config.js';
import { HIFIGAN_MEL } from '../src/models/hifigan/config.js';
import { PWG_MEL } from '../src/models/pwg/config.js';
import type { Vocoder } from '../src/models/vocoder/types.js';

const t = suite('vocoders_stream');
const DIR = 'test/fixtures/vocoders';

async function small(kind: VocoderKind, name: string): Promise<Vocoder> {
  const gpu = await getGpu();
  const file = await loadWeights(await readFile(`${DIR}/${name}`), { name });
  const config = kind === 'hifigan' ? JSON.parse(await readText(`${DIR}/${name.replace('.pt', '.json')}`))
    : kind === 'pwg' ? 'generator_params:\n  stacks: 2\n' : undefined;
  return loadVocoder(gpu, kind, file, { config, seed: 11 });
}

/** Pushes `mel` [nMels, F] in random chunks (1..maxChunk frames); returns the concatenation. */
async function streamed(m: Vocoder, mel: Float32Array, F: number, seed: number, maxChunk: number): Promise<{ audio: Float32Array; chunks: number[] }> {
  const s = createStream(m);
  const r = rng(seed), parts: Float32Array[] = [], chunks: number[] = [];
  for (let f = 0; f < F;) {
    const n = Math.min(F - f, 1 + Math.floor(r() * maxChunk));
    const chunk = new Float32Array(m.nMels * n);
    for (let b = 0; b < m.nMels; b++) chunk.set(mel.subarray(b * F + f, b * F + f + n), b * n);
    const out = await s.push(chunk);
    assert.ok(out.length % m.hop === 0, 'whole frames out');
    assert.ok(s.emitted <= Math.max(0, s.received - s.context.right), 'never emits inside the look-ahead');
    parts.push(out);
    chunks.push(n);
    f += n;
  }
  parts.push(await s.flush());
  const audio = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { audio.set(p, o); o += p.length; }
  return { audio, chunks };
}

async function check(m: Vocoder, F: number, seed: number, maxChunk: number): Promise<void> {
  const t0 = performance.now();
  const gpu = await getGpu();
  const mel = randn(m.nMels * F, seed, -1.5, 1.5);
  const whole = await vocode(gpu, m, { data: mel, shape: [m.nMels, F] });
  const { audio, chunks } = await streamed(m, mel, F, seed + 1, maxChunk);
  assert.is(audio.length, whole.length, 'stream length = whole length');
  // Same kernels on the same inputs: equal to float rounding (1e-5 is the bar).
  assertClose(audio, whole, { atol: 1e-5, rtol: 0 }, `${m.kind} chunks [${chunks.join(' ')}]`);
  let worst = 0;
  for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(audio[i] - whole[i]));
  console.log(`  ${m.description}: context ${m.context.left}/${m.context.right} frames, latency ${m.context.right * m.hop} samples, chunks [${chunks.join(' ')}], max |stream - whole| ${worst.toExponential(1)}, ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
}

t('melgan: streamed = whole utterance (random chunks)', async () => {
  const m = await small('melgan', 'melgan.pt');
  await check(m, 23, 1, 5);
  m.dispose();
});

for (const v of ['v1s', 'v3s']) {
  t(`hifigan ${v}: streamed = whole utterance (random chunks)`, async () => {
    const m = await small('hifigan', `hifigan_${v}.pt`);
    await check(m, 29, 2, 7);
    m.dispose();
  });
}

t('pwg: streamed = whole utterance, seeded noise indexed by sample', async () => {
  const m = await small('pwg', 'pwg.pkl');
  await check(m, 14, 3, 5);
  m.dispose();
});

t('mbmelgan (real weights): streamed = whole utterance (random chunks)', async () => {
  if (!(await sharedWeightsAvailable('tfjs-tts-mbmelgan-ljspeech/model.json'))) return;
  const dir = `${SHARED_WEIGHTS}/tfjs-tts-mbmelgan-ljspeech`;
  const f = await readTfjs(await readFile(`${dir}/model.json`), (p) => readFile(`${dir}/${p}`));
  const m = await loadVocoder(await getGpu(), 'mbmelgan', f);
  await check(m, 14, 4, 7);
  m.dispose();
});

/** Largest |stream - whole| over the first emitted chunk when the right context is `right`. */
async function firstChunkError(m: Vocoder, mel: Float32Array, F: number, whole: Float32Array, right: number): Promise<number> {
  const s = createStream(m, { context: { left: m.context.left, right } });
  const n = 10, chunk = new Float32Array(m.nMels * n);
  for (let b = 0; b < m.nMels; b++) chunk.set(mel.subarray(b * F, b * F + n), b * n);
  const out = await s.push(chunk);
  let worst = 0;
  for (let i = 0; i < out.length; i++) worst = Math.max(worst, Math.abs(out[i] - whole[i]));
  return worst;
}

t('the computed look-ahead is needed and at most one frame more than needed', async () => {
  const gpu = await getGpu();
  const m = await small('melgan', 'melgan.pt');
  const F = 20, mel = randn(m.nMels * F, 9, -1.5, 1.5);
  const whole = await vocode(gpu, m, { data: mel, shape: [m.nMels, F] });
  const R = m.context.right;
  assert.ok((await firstChunkError(m, mel, F, whole, R)) === 0, 'exact with the computed context');
  let minimal = R;
  while (minimal > 0 && (await firstChunkError(m, mel, F, whole, minimal - 1)) <= 1e-5) minimal--;
  assert.ok(minimal >= R - 1, `look-ahead ${R} frames is ${R - minimal} more than the ${minimal} the data needs`);
  assert.ok((await firstChunkError(m, mel, F, whole, minimal - 1)) > 1e-4, 'one frame less breaks it');
  m.dispose();
});

const FRONT: [string, typeof MELGAN_MEL][] = [['melgan', MELGAN_MEL], ['hifigan', HIFIGAN_MEL], ['pwg', PWG_MEL]];
for (const [name, cfg] of FRONT) {
  t(`front end ${name} equals the numpy/torch formula`, async () => {
    const gpu = await getGpu();
    const audio = await loadNpy(`${DIR}/frontend_audio.npy`), ref = await loadNpy(`${DIR}/frontend_${name}.npy`);
    const mel = gpu.scope(() => computeMel(gpu.tensor(audio.data as Float32Array), cfg));
    assert.equal(mel.shape, ref.shape);
    assert.is(melFrames(cfg, audio.data.length), ref.shape[1]);
    // log-mel of an f32 STFT: ~1e-6 relative in the mel, ~1e-5 absolute after the log; the
    // clamped (silent) bins compare exactly.
    assertClose(await mel.read(), ref.data, { atol: 1e-4, rtol: 1e-5 }, name);
    mel.dispose();
  });
}

t('stream errors: push after flush, too short an utterance', async () => {
  const m = await small('melgan', 'melgan.pt');
  const s = createStream(m);
  await s.push(new Float32Array(m.nMels * 2));
  await assertThrows(() => s.flush(), /stream/, /at least 4/);
  await assertThrows(() => s.push(new Float32Array(m.nMels)), /push after flush/);
  await assertThrows(() => createStream(m).push(new Float32Array(m.nMels + 1)), /\[24, n\]/);
  m.dispose();
});

t.run();
