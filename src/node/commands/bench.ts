/** `wavegpu bench`: runs bench/run.mjs of the source checkout this CLI was built from. */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WaveGpuError } from '../../runtime/errors.js';
import type { Args } from '../args.js';

export function bench(args: Args): void {
  const script = fileURLToPath(new URL('../../bench/run.mjs', import.meta.url)); // dist/node/cli.js -> bench/
  if (!existsSync(script)) throw new WaveGpuError('bench', 'the benchmarks ship with the source checkout (bench/run.mjs); clone the repository and run `npm run bench`');
  const argv = [...args.positional, ...[...args.flags.keys()].map((k) => `--${k}`)];
  const r = spawnSync(process.execPath, [script, ...argv], { stdio: 'inherit' });
  if (r.status !== 0) throw new WaveGpuError('bench', `bench/run.mjs exited with ${r.status}`);
}
