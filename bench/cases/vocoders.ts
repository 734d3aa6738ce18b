/**
 * Vocoders at full official size, 1 s of audio (86 mel frames -> 22,016 samples at 22,050 Hz):
 * real-time factor (the harness's `realtime` column: audio seconds per wall second) and achieved
 * GFLOP/s; the work per second of audio (2 x multiply-adds) is printed when each row is set up.
 *   MelGAN (ngf 32), HiFi-GAN V1 / V2 / V3, Parallel WaveGAN (30 layers): official-size
 *     checkpoints with random weights in the official containers, made by
 *     `/usr/bin/python3 scripts/fixtures/vocoders.py --full bench/fixtures` (loading them through
 *     the same loaders is part of what this proves);
 *   Multi-band MelGAN: the real LJSpeech TF.js weights in ../shared/weights.
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import { loadWeights } from '../../src/weights/load.js';
import type { WeightFile } from '../../src/weights/types.js';
import { readTfjs } from '../../src/weights/tfjs.js';
import { loadVocoder, type VocoderKind } from '../../src/models/vocoder/vocode.js';

declare const process: { versions?: { node?: string } } | undefined;

const FRAMES = 86;

async function fetchBytes(path: string): Promise<Uint8Array> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const fs = await import('node:fs');
    if (!fs.existsSync(path)) throw new Error(`${path} is missing: run /usr/bin/python3 scripts/fixtures/vocoders.py --full bench/fixtures`);
    return new Uint8Array(fs.readFileSync(path));
  }
  const url = path.startsWith('../shared/') ? '/' + path.slice(3) : '/' + path;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} (make it with scripts/fixtures/vocoders.py --full bench/fixtures)`);
  return new Uint8Array(await res.arrayBuffer());
}

async function weightsFor(kind: VocoderKind, file: string): Promise<WeightFile> {
  if (kind === 'mbmelgan') {
    const dir = '../shared/weights/tfjs-tts-mbmelgan-ljspeech';
    return readTfjs(await fetchBytes(`${dir}/model.json`), (p) => fetchBytes(`${dir}/${p}`));
  }
  return loadWeights(await fetchBytes(`bench/fixtures/${file}`), { name: file });
}

function vocoderCase(kind: VocoderKind, label: string, file: string, config?: string): BenchCase {
  const c: BenchCase = {
    family: 'vocoders',
    name: `${label} 1 s (${FRAMES} frames, full size)`,
    audioSeconds: (FRAMES * 256) / 22050,
    setup: async (gpu: Gpu) => {
      const cfg = config ? JSON.parse(new TextDecoder().decode(await fetchBytes(`bench/fixtures/${config}`))) : undefined;
      const model = await loadVocoder(gpu, kind, await weightsFor(kind, file), { config: cfg });
      const samples = FRAMES * model.hop;
      c.flops = 2 * model.macsPerSample * samples;
      console.log(`${label}: ${model.description}; ${(2 * model.macsPerSample * model.sampleRate / 1e9).toFixed(2)} GFLOP per second of audio; context ${model.context.left}/${model.context.right} frames (stream look-ahead ${model.context.right * model.hop} samples)`);
      const mel = gpu.tensor(Float32Array.from({ length: model.nMels * FRAMES }, (_, i) => Math.sin(i * 0.37) * 1.5 - 0.5), [model.nMels, FRAMES]);
      // The weights and the mel live as long as the row: the harness frees setup's tensors.
      const run = () => { model.forward(mel); };
      return run;
    },
  };
  return c;
}

export const cases: BenchCase[] = [
  vocoderCase('melgan', 'melgan ngf 32', 'melgan_full.pt'),
  vocoderCase('mbmelgan', 'multi-band melgan (LJSpeech weights)', ''),
  vocoderCase('hifigan', 'hifigan v1', 'hifigan_v1_full.pt', 'hifigan_v1_full.json'),
  vocoderCase('hifigan', 'hifigan v2', 'hifigan_v2_full.pt', 'hifigan_v2_full.json'),
  vocoderCase('hifigan', 'hifigan v3', 'hifigan_v3_full.pt', 'hifigan_v3_full.json'),
  vocoderCase('pwg', 'parallel wavegan 30 layers', 'pwg_full.pkl'),
];
