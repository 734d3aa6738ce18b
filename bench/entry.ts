/** Benchmark entry, bundled by bench/run.mjs for Node and for the Chromium page. */
import { createDevice } from '../src/runtime/device.js';
import { runAll } from './harness.js';
import { CASES, PEERS } from '../.bench-build/cases.js';

declare const process: { argv: string[]; exit(code: number): void; versions?: { node?: string } } | undefined;

export async function main(platform: string, filter?: string): Promise<void> {
  const gpu = await createDevice({ dawnFlags: ['enable-dawn-features=disable_robustness'] });
  console.log(`__BENCH_DEVICE__ ${JSON.stringify({ platform, adapter: gpu.describe() })}`);
  await runAll(gpu, CASES, platform, filter);
  // Peers (bench/peers/*.ts): other runtimes doing a wavegpu row's work in the same process/page.
  for (const [file, peerRows] of PEERS) {
    try {
      for (const row of await peerRows(gpu, platform, filter ?? '')) console.log(`__BENCH_ROW__ ${JSON.stringify(row)}`);
    } catch (e) {
      console.log(`__BENCH_ROW__ ${JSON.stringify({ family: 'peer', name: file, platform, ms: NaN, error: (e as Error).message.split('\n')[0] })}`);
    }
  }
  gpu.destroy();
  console.log('__BENCH_DONE__');
}
