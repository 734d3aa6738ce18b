/** `wavegpu run <model> --weights <path> --in name=x.npy ... --out name=y.npy ...` */
import { readFileSync, writeFileSync } from 'node:fs';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import { readNpy, writeNpy } from '../../audio/npy.js';
import { getModel, listModels, type ArrayData, type ModelEntry } from '../../models/registry.js';
import type { Gpu } from '../../runtime/gpu.js';
import { flag, pairs, rejectUnknown, type Args } from '../args.js';
import { Progress } from '../progress.js';

export function usageOf(m: ModelEntry): string {
  const io = (s: ModelEntry['inputs']) => s.map((x) => `${x.name} ${x.dtype} ${x.shape}${x.doc ? ` (${x.doc})` : ''}`).join('; ');
  const opts = Object.entries(m.options ?? {}).map(([k, v]) => ` --${k} (${v})`).join('');
  return `${m.name}: ${m.description}\n    inputs: ${io(m.inputs)}\n    outputs: ${io(m.outputs)}${opts ? `\n    options:${opts}` : ''}`;
}

function readInput(m: ModelEntry, name: string, path: string): ArrayData {
  const spec = m.inputs.find((i) => i.name === name);
  if (!spec) throw new WaveGpuError('run', `model '${m.name}' has no input '${name}' (inputs: ${m.inputs.map((i) => i.name).join(', ')})`);
  let bytes: Uint8Array;
  try { bytes = readFileSync(path); } catch (e) { throw new WaveGpuError('run', `cannot read ${path}: ${(e as Error).message}`); }
  const arr = readNpy(bytes);
  if (arr.dtype !== spec.dtype) throw new WaveGpuError('run', `input '${name}' of ${m.name} must be ${spec.dtype} ${spec.shape}, but ${path} holds ${arr.descr}`);
  if (arr.shape.length !== spec.rank) throw new WaveGpuError('run', `input '${name}' of ${m.name} must have shape ${spec.shape}, but ${path} has shape ${fmtShape(arr.shape)}`);
  return { shape: arr.shape, data: arr.data };
}

export async function run(gpu: Gpu, args: Args): Promise<void> {
  const [name] = args.positional;
  const m = name ? getModel(name) : undefined;
  if (!m) throw new WaveGpuError('run', `unknown model '${name ?? ''}' (models: ${listModels().map((x) => x.name).join(', ') || 'none registered'})`);
  rejectUnknown(args, ['weights', 'in', 'out', ...Object.keys(m.options ?? {})], `run ${m.name}`);
  const weights = flag(args, 'weights');
  if (!weights) throw new WaveGpuError('run', `--weights <path> is required for ${m.name}`);
  const ins = pairs(args, 'in'), outs = pairs(args, 'out');
  const inputs: Record<string, ArrayData> = {};
  for (const [k, p] of ins) inputs[k] = readInput(m, k, p);
  for (const spec of m.inputs) if (!inputs[spec.name]) throw new WaveGpuError('run', `missing input '${spec.name}' (${spec.dtype} ${spec.shape}): pass --in ${spec.name}=<file.npy>`);
  for (const k of outs.keys()) if (!m.outputs.some((o) => o.name === k)) throw new WaveGpuError('run', `model '${m.name}' has no output '${k}' (outputs: ${m.outputs.map((o) => o.name).join(', ')})`);
  const options: Record<string, string> = {};
  for (const k of Object.keys(m.options ?? {})) { const v = flag(args, k); if (v !== undefined) options[k] = v; }
  const model = await m.load(gpu, weights, options);
  const bar = new Progress(m.name, 1);
  const result = await model.run(inputs, (d, t) => { bar.total = t; bar.update(d); });
  bar.done();
  for (const [k, p] of outs) {
    const r = result[k];
    writeFileSync(p, writeNpy(r.data, r.shape));
    console.log(`${k}: ${fmtShape(r.shape)} -> ${p}`);
  }
  model.dispose();
}
