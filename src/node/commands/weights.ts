/** `wavegpu inspect <file>` and `wavegpu convert <in> <out.safetensors> [--dtype f32|f16] [--rename from=to ...] [--only prefix ...]`. */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WaveGpuError } from '../../runtime/errors.js';
import { loadWeightsFile } from '../../weights/source_node.js';
import { inspectWeights, formatInspect, convertToSafetensors } from '../../weights/convert.js';
import type { WeightFile } from '../../weights/types.js';
import { flag, type Args } from '../args.js';
import { Progress } from '../progress.js';

/** Opens a checkpoint; a directory means a TF.js model (its model.json). */
export async function openWeights(path: string): Promise<WeightFile> {
  let st;
  try { st = statSync(path); } catch { throw new WaveGpuError('weights', `no such file or directory: ${path}`); }
  const file = st.isDirectory() ? join(path, 'model.json') : path;
  const bar = new Progress('reading', 1);
  const w = await loadWeightsFile(file, { onProgress: (d: number, t: number) => { bar.total = t; bar.update(d); } });
  bar.done();
  return w;
}

export async function inspect(args: Args): Promise<void> {
  const [path] = args.positional;
  if (!path) throw new WaveGpuError('inspect', 'usage: wavegpu inspect <checkpoint>');
  const w = await openWeights(path);
  console.log(formatInspect(w, await inspectWeights(w)));
  await w.close?.();
}

export async function convert(args: Args): Promise<void> {
  const [src, dst] = args.positional;
  if (!src || !dst) throw new WaveGpuError('convert', 'usage: wavegpu convert <in> <out.safetensors> [--dtype f32|f16] [--rename from=to ...] [--only prefix ...]');
  if (!dst.endsWith('.safetensors')) throw new WaveGpuError('convert', `output must end in .safetensors, got ${dst}`);
  const dtype = flag(args, 'dtype') ?? 'f32';
  if (dtype !== 'f32' && dtype !== 'f16') throw new WaveGpuError('convert', `--dtype must be f32 or f16, got ${dtype}`);
  const rename = (args.flags.get('rename') ?? []).map((r): [string, string] => {
    const eq = r.indexOf('=');
    if (eq <= 0) throw new WaveGpuError('convert', `--rename expects from=to, got '${r}'`);
    return [r.slice(0, eq), r.slice(eq + 1)];
  });
  const w = await openWeights(src);
  const bytes = await convertToSafetensors(w, { dtype, rename, only: args.flags.get('only') });
  writeFileSync(dst, bytes);
  console.log(`wrote ${dst}: ${w.tensors.size} tensors read, ${bytes.length} bytes (${dtype})`);
  await w.close?.();
}
