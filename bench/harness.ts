/**
 * Times BenchCases on one device: median of repeated runs, each run recorded into the encoder
 * and waited for with onSubmittedWorkDone; tiny runs are batched so a sample lasts >= ~30 ms.
 */
import type { Gpu } from '../src/runtime/gpu.js';
import type { KernelTime } from '../src/runtime/profiler.js';
import type { BenchCase } from './types.js';

export interface BenchRow {
  family: string;
  name: string;
  platform: string;
  ms: number;           // median milliseconds per run
  gflops?: number;
  gbps?: number;
  realtime?: number;    // audio seconds per wall second
  cpuMs?: number;       // plain-JS reference, same work
  error?: string;
  /** Peer rows: which runtime ran them ('onnxruntime-web webgpu', 'onnxruntime-web wasm', 'pytorch-cpu'). */
  runtime?: string;
  /** Peer rows: the `name` of the wavegpu row (same family) doing the same work. */
  peerOf?: string;
  /** Rows with `breakdown`: GPU time per kernel entry point of one run (timestamp queries). */
  kernels?: KernelTime[];
}

const now = () => performance.now();

export function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeRuns(gpu: Gpu, run: () => void, reps: number): Promise<number> {
  run();
  await gpu.sync(); // warm-up: pipelines compiled, pool filled
  let t0 = now();
  run();
  await gpu.sync();
  const single = now() - t0;
  if (reps <= 1) return single; // slow rows: one timed run after the warm-up
  const batch = Math.max(1, Math.min(50, Math.ceil(30 / Math.max(single, 0.01))));
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    t0 = now();
    for (let i = 0; i < batch; i++) run();
    await gpu.sync();
    samples.push((now() - t0) / batch);
  }
  return median(samples);
}

export async function runCase(gpu: Gpu, c: BenchCase, platform: string, reps = c.reps ?? 5): Promise<BenchRow> {
  const row: BenchRow = { family: c.family, name: c.name, platform, ms: NaN };
  try {
    await gpu.scope(async () => {
      const run = await c.setup(gpu);
      row.ms = await timeRuns(gpu, () => gpu.scope(run), reps);
      if (c.breakdown && gpu.features.has('timestamp-query')) row.kernels = await gpu.profile(run);
    });
    const s = row.ms / 1e3;
    if (c.flops) row.gflops = c.flops / s / 1e9;
    if (c.bytes) row.gbps = c.bytes / s / 1e9;
    if (c.audioSeconds) row.realtime = c.audioSeconds / s;
    if (c.cpu) {
      const t: number[] = [];
      for (let i = 0; i < 3; i++) { const t0 = now(); c.cpu(); t.push(now() - t0); }
      row.cpuMs = median(t);
    }
  } catch (e) {
    row.error = (e as Error).message.split('\n')[0];
  }
  return row;
}

export async function runAll(gpu: Gpu, cases: BenchCase[], platform: string, filter?: string, log: (s: string) => void = console.log): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const c of cases) {
    if (filter && !`${c.family} ${c.name}`.includes(filter)) continue;
    const row = await runCase(gpu, c, platform);
    rows.push(row);
    log(`__BENCH_ROW__ ${JSON.stringify(row)}`);
  }
  return rows;
}
