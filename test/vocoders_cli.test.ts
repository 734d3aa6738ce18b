// `wavegpu vocode` (src/node/commands/vocode.ts), the `wavegpu run` registry entries and the
// copy-synthesis API. Node only: the command reads and writes files.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { loadNpy, assertClose, assertThrows } from './util/check.js';
import { isNode, readFile, sharedWeightsAvailable, SHARED_WEIGHTS } from './util/io.js';
import { getModel } from '../src/models/registry.js';
import { readWav, writeWav } from '../src/audio/wav.js';
import { writeNpy } from '../src/audio/npy.js';
import { parseArgs } from '../src/node/args.js';
import { loadWeights } from '../src/weights/load.js';
import { loadVocoder, copySynthesis, vocode } from '../src/models/vocoder/vocode.js';
import { utteranceStats } from '../src/models/vocoder/frontend.js';
import '../src/models/melgan/register.js';
import '../src/models/hifigan/register.js';
import '../src/models/pwg/register.js';
import '../src/models/mbmelgan/register.js';

const t = suite('vocoders_cli');
const DIR = 'test/fixtures/vocoders';

async function tmpDir(): Promise<string> {
  const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
  return fs.mkdtempSync(path.join(os.tmpdir(), 'wavegpu-vocode-'));
}

t('the four vocoders are registered for `wavegpu run`', () => {
  for (const name of ['melgan', 'mbmelgan', 'pwg', 'hifigan']) {
    const m = getModel(name);
    assert.ok(m, name);
    assert.equal(m!.inputs.map((i) => [i.name, i.rank]), [['mel', 2]]);
    assert.equal(m!.outputs.map((o) => o.name), ['audio']);
  }
});

t('vocode --mel (whole and --chunk streamed) and --wav (copy synthesis) write WAVs', async () => {
  if (!isNode) return;
  const { vocodeCommand } = await import('../src/node/commands/vocode.js');
  const fs = await import('node:fs');
  const gpu = await getGpu(), dir = await tmpDir();
  const mel = await loadNpy(`${DIR}/melgan_mel.npy`), ref = await loadNpy(`${DIR}/melgan_audio.npy`);
  fs.writeFileSync(`${dir}/mel.npy`, writeNpy(mel.data as Float32Array, mel.shape));
  const run = (extra: string[]) => vocodeCommand(gpu, parseArgs(['--model', 'melgan', '--weights', `${DIR}/melgan.pt`, ...extra]));
  await run(['--mel', `${dir}/mel.npy`, '--out', `${dir}/a.wav`]);
  await run(['--mel', `${dir}/mel.npy`, '--out', `${dir}/b.wav`, '--chunk', '3']);
  const a = readWav(fs.readFileSync(`${dir}/a.wav`)), b = readWav(fs.readFileSync(`${dir}/b.wav`));
  assert.is(a.sampleRate, 22050);
  assert.is(a.channels[0].length, 2560);
  assertClose(a.channels[0], ref.data, { atol: 2 / 32768, rtol: 0 }, 'pcm16 of the reference');
  assert.equal(Array.from(b.channels[0]), Array.from(a.channels[0]), 'streamed = whole');
  fs.writeFileSync(`${dir}/in.wav`, writeWav((await loadNpy(`${DIR}/frontend_audio.npy`)).data as Float32Array, 44100));
  await run(['--wav', `${dir}/in.wav`, '--out', `${dir}/c.wav`]);
  assert.is(readWav(fs.readFileSync(`${dir}/c.wav`)).channels[0].length, 5 * 256, '3001 samples at 44.1 kHz -> 1501 at 22.05 kHz -> 5 frames');
  await assertThrows(() => run(['--mel', `${dir}/mel.npy`]), /--out/);
  await assertThrows(() => run(['--mel', `${dir}/mel.npy`, '--wav', `${dir}/in.wav`, '--out', 'x.wav']), /exactly one/);
  await assertThrows(() => vocodeCommand(gpu, parseArgs(['--model', 'wavenet', '--weights', 'x', '--mel', 'y', '--out', 'z'])), /melgan, mbmelgan, pwg, hifigan/);
  await assertThrows(() => run(['--mel', `${dir}/mel.npy`, '--out', 'x.wav', '--stats', `${dir}/mel.npy`]), /\[2, nMels\]/);
  fs.rmSync(dir, { recursive: true });
});

t('pwg copy synthesis without statistics uses the utterance\'s own (mixed: per-bin mean, pooled deviation)', async () => {
  const gpu = await getGpu();
  const f = await loadWeights(await readFile(`${DIR}/pwg.pkl`), { name: 'pwg.pkl' });
  const m = await loadVocoder(gpu, 'pwg', f, { seed: 3 });
  const audio = (await loadNpy(`${DIR}/frontend_audio.npy`)).data as Float32Array;
  const r = await copySynthesis(gpu, m, audio);
  assert.is(r.normalization, 'utterance-mixed');
  assert.is(r.frames, 12);
  let mean = 0;
  for (let i = 0; i < r.frames; i++) mean += r.mel[3 * r.frames + i] / r.frames;
  assert.ok(Math.abs(mean) < 1e-4, `bin 3 has mean ${mean} after normalisation`);
  assertClose(r.audio, await vocode(gpu, m, { data: r.mel, shape: [m.nMels, r.frames] }), { atol: 1e-6, rtol: 0 }, 'same as vocoding its mel');
  const s = utteranceStats(r.mel, m.nMels, 'mixed');
  assert.ok(new Set(s.scale).size === 1, 'one pooled deviation');
  m.dispose();
});

t('`wavegpu run mbmelgan --weights <folder>`: mel [80, frames] -> audio [frames * 256]', async () => {
  if (!isNode || !(await sharedWeightsAvailable('tfjs-tts-mbmelgan-ljspeech/model.json'))) return;
  const gpu = await getGpu();
  const model = await getModel('mbmelgan')!.load(gpu, `${SHARED_WEIGHTS}/tfjs-tts-mbmelgan-ljspeech`, {});
  const mel = await loadNpy('test/fixtures/mbmelgan/short_mel.npy'), ref = await loadNpy('test/fixtures/mbmelgan/short_audio.npy');
  const out = await model.run({ mel: { shape: mel.shape, data: mel.data } });
  assert.equal(out.audio.shape, [mel.shape[1] * 256]);
  assertClose(out.audio.data, ref.data, { atol: 2e-5, rtol: 1e-3 }, 'tfjs peer');
  model.dispose();
});

t.run();
