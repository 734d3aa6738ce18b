import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, assertThrows } from './util/check.js';
import { yin, rmsDb } from '../src/ops/pitch.js';
import { yinRef, rmsDbRef } from '../src/ref/pitch.js';
import { readWav } from '../src/audio/wav.js';
import { readFile, readText } from './util/io.js';

const t = suite('pitch');
const SR = 16000, HOP = 64;

/** A harmonic tone with a gliding f0 (Hz per sample given by fn). */
function tone(n: number, fn: (i: number) => number, harmonics = 6): Float32Array {
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    phase += fn(i) / SR;
    let v = 0;
    for (let k = 1; k <= harmonics; k++) v += Math.sin(2 * Math.PI * k * phase) / k;
    out[i] = 0.3 * v;
  }
  return out;
}

const cents = (a: number, b: number) => 1200 * Math.abs(Math.log2(a / b));

t('yin matches the reference on a glide plus noise', async () => {
  const gpu = await getGpu();
  const n = 4001;
  const x = tone(n, (i) => 180 + 200 * (i / n));
  const noise = randn(n, 3, -0.02, 0.02);
  for (let i = 0; i < n; i++) x[i] += noise[i];
  const got = yin(gpu.tensor(x), { sampleRate: SR, hop: HOP, fmin: 60, fmax: 1000 });
  const ref = yinRef(x, SR, HOP, 1024, 60, 1000, 0.15);
  const f0 = await got.f0.read(), conf = await got.confidence.read();
  // Same integer lag choice except where two candidates tie within f32 rounding of d; compare
  // in cents (1 cent ~ 0.06% of f0) and confidence to 1e-3.
  let mismatched = 0;
  for (let j = 0; j < f0.length; j++) if (cents(f0[j], ref.f0[j]) > 1) mismatched++;
  assert.ok(mismatched <= 1, `${mismatched} frames differ by more than 1 cent`);
  assertClose(conf, ref.confidence, { atol: 2e-3, rtol: 0 }, 'confidence');
});

t('yin tracks known pitches within 20 cents', async () => {
  const gpu = await getGpu();
  for (const hz of [65.4, 110, 261.6, 440, 987.8]) {
    const x = tone(6000, () => hz);
    const f0 = await yin(gpu.tensor(x), { sampleRate: SR, hop: HOP, fmin: 50, fmax: 1200 }).f0.read();
    const inner = Array.from(f0.subarray(10, f0.length - 10));
    const bad = inner.filter((f) => cents(f, hz) > 20).length;
    assert.ok(bad === 0, `${hz} Hz: ${bad}/${inner.length} frames off by > 20 cents (e.g. ${inner.find((f) => cents(f, hz) > 20)})`);
  }
});

t('rms dB matches the reference', async () => {
  const gpu = await getGpu();
  const x = randn(3333, 9, -0.5, 0.5);
  for (let i = 1500; i < 2500; i++) x[i] = 0; // silence floors at min_db
  const db = await rmsDb(gpu.tensor(x), { hop: HOP, win: 1024, offsetDb: -20.7, minDb: -120 }).read();
  assertClose(db, rmsDbRef(x, HOP, 1024, -20.7, -120), { atol: 1e-3, rtol: 1e-5 }, 'rms dB');
});

t('yin refuses windows over the kernel span', async () => {
  const gpu = await getGpu();
  await assertThrows(() => yin(gpu.tensor(new Float32Array(100)), { sampleRate: 48000, hop: 64, fmin: 10 }), /yin/, /fmin/);
});

// Pooled over the four instruments, as the issue's criterion reads. FluidR3's violin A5 sample has
// deep vibrato (YIN frames swing from -38 to +1 cents around the MIDI pitch; the same tracker is
// within 7 cents on synthetic tones at that pitch), so per instrument the floor is 85%.
t('FluidR3 renders: within 20 cents on >= 95% of voiced frames', async () => {
  const gpu = await getGpu();
  const notes = JSON.parse(await readText('test/fixtures/pitch/notes.json')) as Record<string, { pitch: number; start: number; end: number }[]>;
  let allVoiced = 0, allGood = 0;
  for (const [name, list] of Object.entries(notes)) {
    const wav = readWav(await readFile(`test/fixtures/pitch/${name}.wav`));
    const { f0, confidence } = yin(gpu.tensor(wav.channels[0]), { sampleRate: SR, hop: HOP, fmin: 50, fmax: 1500 });
    const [hz, conf] = [await f0.read(), await confidence.read()];
    let voiced = 0, good = 0;
    for (const n of list) {
      const want = 440 * 2 ** ((n.pitch - 69) / 12);
      // Skip the attack (80 ms) and the last 50 ms: the frame window straddles the transient.
      for (let j = Math.ceil(((n.start + 0.08) * SR) / HOP); j < Math.floor(((n.end - 0.05) * SR) / HOP); j++) {
        if (conf[j] < 0.5) continue;
        voiced++;
        if (cents(hz[j], want) <= 20) good++;
      }
    }
    assert.ok(voiced > 0.8 * list.length * ((0.5 - 0.13) * SR) / HOP, `${name}: only ${voiced} voiced frames`);
    assert.ok(good >= 0.85 * voiced, `${name}: ${good}/${voiced} voiced frames within 20 cents`);
    allVoiced += voiced; allGood += good;
  }
  assert.ok(allGood >= 0.95 * allVoiced, `${allGood}/${allVoiced} voiced frames within 20 cents`);
});

t.run();
