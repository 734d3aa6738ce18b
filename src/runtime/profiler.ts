/**
 * Per-kernel GPU time with timestamp queries. While a Profiler is attached to a Gpu, every
 * dispatch gets its own compute pass whose beginning and end write a timestamp; finish()
 * resolves them and sums the durations per kernel entry point. One pass per dispatch changes
 * nothing in the results, only the scheduling, so the sum is close to (and on real GPUs a
 * little above) the time of the same work in one pass.
 */
import { WaveGpuError } from './errors.js';

export interface KernelTime {
  /** '<kernel file>.<entry point>', e.g. 'conv1d.conv1d_v4'. */
  kernel: string;
  calls: number;
  ms: number;
}

/** WebGPU caps a query set at 4096 queries: 2048 dispatches per set. */
const QUERIES_PER_SET = 4096;
/** Refuse runs that would need more than this many dispatches (each costs 16 bytes of readback). */
const MAX_DISPATCHES = 1 << 20;

export class Profiler {
  private sets: GPUQuerySet[] = [];
  private labels: string[] = [];

  constructor(private readonly device: GPUDevice) {}

  /** Timestamp writes for the pass of the next dispatch, labelled with its kernel. */
  next(label: string): GPUComputePassTimestampWrites {
    const i = this.labels.length;
    if (i >= MAX_DISPATCHES) throw new WaveGpuError('profile', `more than ${MAX_DISPATCHES} dispatches in one profiled run; profile a shorter run`);
    this.labels.push(label);
    const q = (2 * i) % QUERIES_PER_SET;
    if (q === 0) this.sets.push(this.device.createQuerySet({ type: 'timestamp', count: QUERIES_PER_SET }));
    return { querySet: this.sets[this.sets.length - 1], beginningOfPassWriteIndex: q, endOfPassWriteIndex: q + 1 };
  }

  /** Resolves every timestamp (one submit) and returns the time per kernel, largest first. */
  async finish(): Promise<KernelTime[]> {
    const n = this.labels.length;
    if (n === 0) { this.destroy(); return []; }
    const bytes = 2 * n * 8;
    const resolve = this.device.createBuffer({ size: bytes, usage: 0x200 /* QUERY_RESOLVE */ | 0x4 /* COPY_SRC */ });
    const staging = this.device.createBuffer({ size: bytes, usage: 0x1 /* MAP_READ */ | 0x8 /* COPY_DST */ });
    const enc = this.device.createCommandEncoder();
    this.sets.forEach((set, s) => {
      const count = Math.min(QUERIES_PER_SET, 2 * n - s * QUERIES_PER_SET);
      enc.resolveQuerySet(set, 0, count, resolve, s * QUERIES_PER_SET * 8);
    });
    enc.copyBufferToBuffer(resolve, 0, staging, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(1 /* READ */);
    const t = new BigUint64Array(staging.getMappedRange().slice(0));
    staging.unmap();
    staging.destroy();
    resolve.destroy();
    this.destroy();
    const per = new Map<string, KernelTime>();
    for (let i = 0; i < n; i++) {
      const ns = t[2 * i + 1] > t[2 * i] ? Number(t[2 * i + 1] - t[2 * i]) : 0; // clocks may not be monotonic across passes
      const k = per.get(this.labels[i]) ?? { kernel: this.labels[i], calls: 0, ms: 0 };
      k.calls++;
      k.ms += ns / 1e6;
      per.set(this.labels[i], k);
    }
    return [...per.values()].sort((a, b) => b.ms - a.ms);
  }

  destroy(): void {
    for (const s of this.sets) s.destroy();
    this.sets = [];
  }
}
