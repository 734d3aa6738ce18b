/**
 * Vocoders at full official size, 1 s (86 mel frames -> 22,016 samples at 22,050 Hz) and 10 s
 * (861 frames) of audio: real-time factor (the harness's `realtime` column: audio seconds per
 * wall second) and achieved GFLOP/s; the work per second of audio (2 x multiply-adds) is printed
 * when each row is set up. The 1 s rows also carry a per-kernel breakdown.
 *   MelGAN (ngf 32), HiFi-GAN V1 / V2 / V3, Parallel WaveGAN (30 layers): official-size
 *     checkpoints with random weights in the official containers, made by
 *     `/usr/bin/python3 scripts/fixtures/vocoders.py --full bench/fixtures` (loading them through
 *     the same loaders is part of what this proves);
 *   Multi-band MelGAN: the real LJSpeech TF.js weights in ../shared/weights.
 * The peers (onnxruntime-web, PyTorch CPU) of these rows are bench/peers/vocoders.{ts,py}.
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import { loadWeights } from '../../src/weights/load.js';
import type { WeightFile } from '../../src/weights/types.js';
import { readTfjs } from '../../src/weights/tfjs.js';
import { loadVocoder, type VocoderKind } from '../../src/models/vocoder/vocode.js';
import type { Vocoder } from '../../src/models/vocoder/types.js';

declare const process: { versions?: { node?: string }; env?: Record<string, string | undefined> } | undefined;

export const FULL_CMD = '/usr/bin/python3 scripts/fixtures/vocoders.py --full bench/fixtures';

export interface VocoderSpec {
  kind: VocoderKind;
  label: string;
  /** Checkpoint in bench/fixtures ('' for the TF.js weights). */
  file: string;
  config?: string;
  /** Basename of the peers' ONNX export / PyTorch model (scripts/bench/vocoders_onnx.py). */
  peer: string;
  /** Samples of the 1 s row for the median (slow rows: fewer). */
  reps: number;
}

export const VOCODERS: VocoderSpec[] = [
  { kind: 'melgan', label: 'melgan ngf 32', file: 'melgan_full.pt', peer: 'melgan', reps: 3 },
  { kind: 'mbmelgan', label: 'multi-band melgan (LJSpeech weights)', file: '', peer: 'mbmelgan', reps: 3 },
  { kind: 'hifigan', label: 'hifigan v1', file: 'hifigan_v1_full.pt', config: 'hifigan_v1_full.json', peer: 'hifigan_v1', reps: 1 },
  { kind: 'hifigan', label: 'hifigan v2', file: 'hifigan_v2_full.pt', config: 'hifigan_v2_full.json', peer: 'hifigan_v2', reps: 3 },
  { kind: 'hifigan', label: 'hifigan v3', file: 'hifigan_v3_full.pt', config: 'hifigan_v3_full.json', peer: 'hifigan_v3', reps: 3 },
  { kind: 'pwg', label: 'parallel wavegan 30 layers', file: 'pwg_full.pkl', peer: 'pwg', reps: 1 },
];

/** 1 s and 10 s of audio at hop 256, 22,050 Hz. */
export const DURATIONS = [{ tag: '1 s', frames: 86 }, { tag: '10 s', frames: 861 }];

/** The wavegpu row's name (the peers' `peerOf`). */
export function caseName(label: string, tag: string, frames: number): string {
  return `${label} ${tag} (${frames} frames, full size)`;
}

/** The bench mel: deterministic, log-mel-like values, [nMels, frames] row-major. */
export function benchMel(nMels: number, frames: number): Float32Array {
  return Float32Array.from({ length: nMels * frames }, (_, i) => Math.sin(i * 0.37) * 1.5 - 0.5);
}

export async function fetchBytes(path: string): Promise<Uint8Array> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const fs = await import('node:fs');
    if (!fs.existsSync(path)) throw new Error(`${path} is missing: run ${FULL_CMD}`);
    return new Uint8Array(fs.readFileSync(path));
  }
  const url = path.startsWith('../shared/') ? '/' + path.slice(3) : '/' + path;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} (make it with ${FULL_CMD})`);
  return new Uint8Array(await res.arrayBuffer());
}

async function weightsFor(kind: VocoderKind, file: string): Promise<WeightFile> {
  if (kind === 'mbmelgan') {
    const dir = '../shared/weights/tfjs-tts-mbmelgan-ljspeech';
    return readTfjs(await fetchBytes(`${dir}/model.json`), (p) => fetchBytes(`${dir}/${p}`));
  }
  return loadWeights(await fetchBytes(`bench/fixtures/${file}`), { name: file });
}

export async function loadBenchVocoder(gpu: Gpu, v: VocoderSpec): Promise<Vocoder> {
  const cfg = v.config ? JSON.parse(new TextDecoder().decode(await fetchBytes(`bench/fixtures/${v.config}`))) : undefined;
  return loadVocoder(gpu, v.kind, await weightsFor(v.kind, v.file), { config: cfg });
}

/**
 * A 10 s row whose predicted time (warm-up + one timed run, from the 1 s row's runs) exceeds this
 * is skipped with an error row that says so (on SwiftShader, HiFi-GAN V1 and PWG take minutes per
 * run); WAVEGPU_BENCH_LONG=1 (Node) lifts the cap.
 */
export const LONG_ROW_CAP_MS = 150e3;
const longAllowed = () => typeof process !== 'undefined' && !!process.env?.WAVEGPU_BENCH_LONG;

/** When the 1 s row's run() was called (the harness calls it once per run, syncing in between). */
const calls = new Map<string, number[]>();

/** ms of one 1 s run of v: the shortest gap between consecutive run() calls of its 1 s row. */
function oneSecondMs(v: VocoderSpec): number | undefined {
  const t = calls.get(v.label) ?? [];
  let best = Infinity;
  for (let i = 1; i < t.length; i++) best = Math.min(best, t[i] - t[i - 1]);
  return Number.isFinite(best) ? best : undefined;
}

function vocoderCase(v: VocoderSpec, tag: string, frames: number): BenchCase {
  const long = frames > 100;
  const c: BenchCase = {
    family: 'vocoders',
    name: caseName(v.label, tag, frames),
    audioSeconds: (frames * 256) / 22050,
    // 10 s rows: one sample (a run is 10x the 1 s row's; the slow ones take minutes on SwiftShader).
    reps: long ? 1 : v.reps,
    breakdown: !long,
    setup: async (gpu: Gpu) => {
      const model = await loadBenchVocoder(gpu, v);
      const samples = frames * model.hop;
      c.flops = 2 * model.macsPerSample * samples;
      if (!long) console.log(`${v.label}: ${model.description}; ${(2 * model.macsPerSample * model.sampleRate / 1e9).toFixed(2)} GFLOP per second of audio; context ${model.context.left}/${model.context.right} frames (stream look-ahead ${model.context.right * model.hop} samples)`);
      if (long && !longAllowed()) {
        let t1 = oneSecondMs(v), how = 'takes';
        if (t1 === undefined) { // this row alone: time one 1 s run (pipelines compiled in it: an upper bound)
          const m1 = gpu.tensor(benchMel(model.nMels, DURATIONS[0].frames), [model.nMels, DURATIONS[0].frames]);
          const t0 = performance.now();
          await gpu.scope(() => model.forward(m1).read());
          t1 = performance.now() - t0; how = 'took (cold)';
        }
        const predicted = (2 * t1 * frames) / DURATIONS[0].frames;
        if (predicted > LONG_ROW_CAP_MS) {
          throw new Error(`skipped: a 1 s run ${how} ${(t1 / 1e3).toFixed(1)} s here, so this row (warm-up + 1 run) would take ~${(predicted / 1e3).toFixed(0)} s, over the ${LONG_ROW_CAP_MS / 1e3} s cap; run it with WAVEGPU_BENCH_LONG=1 node bench/run.mjs --node '${c.name}'`);
        }
      }
      const mel = gpu.tensor(benchMel(model.nMels, frames), [model.nMels, frames]);
      // The weights and the mel live as long as the row: the harness frees setup's tensors.
      const stamps: number[] = [];
      if (!long) calls.set(v.label, stamps);
      const run = () => { stamps.push(performance.now()); model.forward(mel); };
      return run;
    },
  };
  return c;
}

export const cases: BenchCase[] = DURATIONS.flatMap(({ tag, frames }) => VOCODERS.map((v) => vocoderCase(v, tag, frames)));
