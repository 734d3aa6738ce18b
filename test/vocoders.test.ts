// MelGAN, HiFi-GAN and Parallel WaveGAN against the PyTorch references of
// scripts/fixtures/vocoders_nets.py: small configurations with random weights saved under the
// official names in the official containers (weight norm unfolded), run in float64 there.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { loadNpy, relL2, assertThrows } from './util/check.js';
import { readFile, readText } from './util/io.js';
import { loadWeights } from '../src/weights/load.js';
import { loadMelgan } from '../src/models/melgan/load.js';
import { loadHifigan } from '../src/models/hifigan/load.js';
import { loadPwg } from '../src/models/pwg/load.js';
import { parseYaml } from '../src/models/vocoder/yaml.js';
import { parsePwgYaml } from '../src/models/pwg/config.js';
import type { Vocoder } from '../src/models/vocoder/types.js';
import type { Gpu } from '../src/runtime/gpu.js';

const t = suite('vocoders');
const DIR = 'test/fixtures/vocoders';

async function file(name: string) {
  return loadWeights(await readFile(`${DIR}/${name}`), { name });
}

// The reference runs in float64; ours accumulates in float32 over up to ~30 layers of
// ~100-700-term sums, so the relative L2 error sits around 1e-6; the bar is 1e-4.
async function parity(gpu: Gpu, model: Vocoder, name: string, noise?: Float32Array): Promise<number> {
  const mel = await loadNpy(`${DIR}/${name}_mel.npy`);
  const ref = await loadNpy(`${DIR}/${name}_audio.npy`);
  await gpu.sync();
  const s0 = gpu.stats.submits;
  const y = await gpu.scope(() => model.forward(gpu.tensor(mel.data as Float32Array, mel.shape), noise ? { noise: gpu.tensor(noise) } : {})).read();
  assert.is(gpu.stats.submits - s0, 1, 'the whole forward pass is one submit (the readback)');
  assert.is(y.length, ref.data.length, 'output length = frames * hop');
  const err = relL2(y, ref.data);
  assert.ok(err < 1e-4, `${name}: relative L2 error ${err.toExponential(2)} >= 1e-4`);
  console.log(`  ${name}: relative L2 error ${err.toExponential(2)}`);
  return err;
}

t('melgan: official names + weight norm, config from shapes, parity with PyTorch', async () => {
  const gpu = await getGpu();
  const f = await file('melgan.pt');
  const m = await loadMelgan(gpu, f);
  assert.equal(m.config, { nMels: 24, ngf: 2, nResidualLayers: 3, ratios: [8, 8, 2, 2] });
  assert.is(m.hop, 256);
  await parity(gpu, m, 'melgan');
  m.dispose();
});

for (const v of ['v1s', 'v3s']) {
  t(`hifigan ${v}: {'generator': ...} checkpoint with its config.json, parity with PyTorch`, async () => {
    const gpu = await getGpu();
    const json = JSON.parse(await readText(`${DIR}/hifigan_${v}.json`));
    const m = await loadHifigan(gpu, await file(`hifigan_${v}.pt`), { configJson: json });
    assert.is(m.hop, 256);
    assert.is(m.config.resblock, json.resblock);
    await parity(gpu, m, `hifigan_${v}`);
    m.dispose();
  });
}

t('hifigan: the configuration inferred from the shapes alone matches the config.json', async () => {
  const gpu = await getGpu();
  const m = await loadHifigan(gpu, await file('hifigan_v3s.pt'));
  assert.equal(m.config.resblockDilationSizes, [[1, 2], [2, 6], [3, 12]]);
  assert.equal(m.config.upsampleRates, [8, 8, 4]);
  await parity(gpu, m, 'hifigan_v3s');
  m.dispose();
});

t("pwg: {'model': {'generator': ...}} checkpoint, explicit noise, parity with PyTorch", async () => {
  const gpu = await getGpu();
  const cfg = JSON.parse(await readText(`${DIR}/pwg.json`));
  const m = await loadPwg(gpu, await file('pwg.pkl'), { config: { stacks: cfg.stacks } });
  assert.equal(m.config.upsampleScales, [4, 4, 4, 4]);
  assert.is(m.config.layers, 6);
  const z = await loadNpy(`${DIR}/pwg_noise.npy`);
  await parity(gpu, m, 'pwg', z.data as Float32Array);
  m.dispose();
});

t('pwg: config.yml generator_params and feature settings are read', () => {
  const y = parseYaml(`# comment\nsampling_rate: 24000\nfft_size: 2048\nhop_size: 300\nwin_length: 1200 # ms\nfmin: 80\nfmax: null\n` +
    `generator_params:\n    layers: 6\n    stacks: 2   # cycles\n    aux_context_window: 2\n    upsample_params:\n        upsample_scales: [4, 5, 3, 5]\n` +
    `discriminator_params:\n    layers: 10\nlist:\n  - 1\n  - two\n`);
  const p = parsePwgYaml(y);
  assert.equal(p.config, { layers: 6, stacks: 2, auxContextWindow: 2, upsampleScales: [4, 5, 3, 5] });
  assert.equal(p.mel, { sampleRate: 24000, nFft: 2048, hop: 300, win: 1200, fmin: 80, fmax: null });
  assert.equal(y.list, [1, 'two']);
});

t('loaders name the model and the fix on the wrong checkpoint', async () => {
  const gpu = await getGpu();
  await assertThrows(() => loadHifigan(gpu, { format: 'x', name: 'melgan.pt', tensors: new Map(), metadata: {}, notes: [] }), /hifigan/, /conv_pre/);
  const f = await file('melgan.pt');
  await assertThrows(() => loadPwg(gpu, f), /pwg/, /first_conv/);
  await assertThrows(() => loadMelgan(gpu, f, { ngf: 4 }), /melgan/, /model\.1\.weight/, /configuration/);
});

t.run();
