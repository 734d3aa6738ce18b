/** The `wavegpu` command. Each subcommand lives in src/node/commands/. */
import { createDevice } from './index.js';
import './models.js';
import { WaveGpuError } from '../runtime/errors.js';
import { listModels } from '../models/registry.js';
import { parseArgs, rejectUnknown, type Args } from './args.js';
import { info } from './commands/info.js';
import { run, usageOf } from './commands/run.js';
import { demo } from './commands/demo.js';
import { inspect, convert } from './commands/weights.js';
import { melCommand, spectrogramCommand } from './commands/spectral.js';
import { transferCommand } from './commands/transfer.js';
import { generateCommand, fxCommand } from './commands/generate.js';
import { vocodeCommand } from './commands/vocode.js';
import type { Gpu } from '../runtime/gpu.js';
import { bench } from './commands/bench.js';

interface Command {
  usage: string;
  options: string[];
  /** Options that take no value. */
  booleans?: string[];
  needsGpu: boolean;
  action(gpu: Gpu | null, args: Args): Promise<void> | void;
}

const COMMANDS: Record<string, Command> = {
  info: { usage: 'info                          the adapter, its limits and features', options: [], needsGpu: true, action: (g) => console.log(info(g!)) },
  demo: { usage: 'demo [--out out/] [--bpm 72] [--instrument cello|flute|additive]\n                                Bach\'s cello prelude by the project\'s own DDSP instrument: out/bach_prelude.wav + .png', options: ['out', 'bpm', 'instrument'], needsGpu: true, action: (g, a) => demo(g!, a) },
  run: {
    usage: 'run <model> --weights <path> --in name=x.npy ... --out name=y.npy ...\n                                run a model\'s documented entry point on .npy arrays',
    options: ['weights', 'in', 'out'], needsGpu: true, action: (g, a) => run(g!, a),
  },
  inspect: { usage: 'inspect <checkpoint>          tensors (name, dtype, shape, bytes, min/max/mean, NaN/Inf) and metadata', options: [], needsGpu: false, action: (_g, a) => inspect(a) },
  convert: {
    usage: 'convert <in> <out.safetensors> [--dtype f32|f16] [--rename from=to ...] [--only prefix ...]\n                                convert any supported checkpoint to safetensors',
    options: ['dtype', 'rename', 'only'], needsGpu: false, action: (_g, a) => convert(a),
  },
  mel: {
    usage: 'mel <in.wav> --out mel.npy [--sr 22050 --n-fft 1024 --hop 256 --n-mels 80 --fmin 0 --fmax sr/2 --power 1 --log 10|e|db|none]\n                                log-mel spectrogram [n_mels, frames] (Slaney mel, periodic Hann, centred)',
    options: ['out', 'sr', 'n-fft', 'hop', 'n-mels', 'fmin', 'fmax', 'power', 'log', 'eps'], needsGpu: true, action: (g, a) => melCommand(g!, a),
  },
  spectrogram: {
    usage: 'spectrogram <in.wav> --out picture.png [--n-fft 1024 --hop 256 --plain]\n                                rainbowgram (brightness: log magnitude, colour: instantaneous frequency)',
    options: ['out', 'n-fft', 'hop', 'plain'], booleans: ['plain'], needsGpu: true, action: (g, a) => spectrogramCommand(g!, a),
  },
  transfer: {
    usage: 'transfer <in.wav> --instrument violin|flute|trumpet|tenor_saxophone --weights <ddsp folder> --out out.wav [--sr 48000 --seed 0]\n                                tone transfer: pitch and loudness of a recording played by a DDSP instrument',
    options: ['out', 'instrument', 'weights', 'sr', 'seed'], needsGpu: true, action: (g, a) => transferCommand(g!, a),
  },
  generate: {
    usage: 'generate wavenet --weights <ckpt> --seconds 2 --seed 1 [--prime in.wav --temperature 1 --batch 1] --out out.wav\n                                autoregressive WaveNet generation on the GPU (fast queues)',
    options: ['weights', 'seconds', 'seed', 'prime', 'temperature', 'batch', 'out'], needsGpu: true, action: (g, a) => generateCommand(g!, a),
  },
  fx: {
    usage: 'fx <in.wav> --nam <model.nam> --out out.wav\n                                run audio through a Neural Amp Modeler model',
    options: ['nam', 'out'], needsGpu: true, action: (g, a) => fxCommand(g!, a),
  },
  vocode: {
    usage: 'vocode --model melgan|mbmelgan|pwg|hifigan --weights <path> (--wav in.wav | --mel mel.npy) [--stats mean_scale.npy --chunk N] --out out.wav\n                                mel -> waveform with a neural vocoder (from a WAV: copy synthesis through the model\'s own mel)',
    options: ['model', 'weights', 'wav', 'mel', 'stats', 'config', 'seed', 'chunk', 'norm', 'out'], needsGpu: true, action: (g, a) => vocodeCommand(g!, a),
  },
  models: { usage: 'models                        list the models `run` knows, with their inputs and outputs', options: [], needsGpu: false, action: () => console.log(listModels().map(usageOf).join('\n') || 'no models registered') },
  bench: {
    usage: 'bench [--node|--browser] [filter]  benchmarks with the onnxruntime-web peer (source checkout: same as npm run bench)',
    options: ['node', 'browser'], booleans: ['node', 'browser'], needsGpu: false, action: (_g, a) => bench(a),
  },
};

export function usage(): string {
  return `wavegpu: WebGPU neural audio engine\n\nusage: wavegpu <command> [options]\n\n${Object.values(COMMANDS).map((c) => '  ' + c.usage).join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') { console.log(usage()); return 0; }
  const cmd = COMMANDS[name];
  let gpu: Gpu | null = null;
  try {
    if (!cmd) throw new WaveGpuError('cli', `unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')}); see 'wavegpu help'`);
    const args = parseArgs(argv.slice(1), cmd.booleans);
    if (name !== 'run') rejectUnknown(args, cmd.options, name); // run checks per model
    if (cmd.needsGpu) gpu = await createDevice();
    await cmd.action(gpu, args);
    return 0;
  } catch (e) {
    if (e instanceof WaveGpuError) { console.error(`wavegpu: ${e.message}`); return 1; }
    throw e;
  } finally {
    gpu?.destroy();
  }
}
