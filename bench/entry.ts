/** Benchmark entry, bundled by bench/run.mjs for Node and for the Chromium page. */
import { createDevice } from '../src/runtime/device.js';
import { runAll } from './harness.js';
import { CASES } from '../.bench-build/cases.js';

declare const process: { argv: string[]; exit(code: number): void; versions?: { node?: string } } | undefined;

export async function main(platform: string, filter?: string): Promise<void> {
  const gpu = await createDevice({ dawnFlags: ['enable-dawn-features=disable_robustness'] });
  console.log(`__BENCH_DEVICE__ ${JSON.stringify({ platform, adapter: gpu.describe() })}`);
  await runAll(gpu, CASES, platform, filter);
  if (platform === 'chromium') {
    const { peerRows } = await import('./peer_ort.js');
    for (const row of await peerRows(gpu, filter)) console.log(`__BENCH_ROW__ ${JSON.stringify(row)}`);
  }
  gpu.destroy();
  console.log('__BENCH_DONE__');
}
