/**
 * A fixed-shape pass captured by Gpu.record(): pipelines, bind groups and uniforms are built
 * once; replay() only re-encodes the dispatches. Streaming and autoregressive loops write their
 * new inputs into the tensors the recording reads, then replay.
 */
import type { Gpu } from './gpu.js';
import type { BufferPool } from './pool.js';
import type { Tensor } from './tensor.js';

export type RecordedCommand =
  | { kind: 'dispatch'; pipeline: GPUComputePipeline; layout: GPUBindGroupLayout; entries: { binding: number; resource: GPUBufferBinding; uniform?: Uint8Array }[]; workgroups: number[] }
  | { kind: 'copy'; src: GPUBuffer; srcOffset: number; dst: GPUBuffer; dstOffset: number; bytes: number };

export class Recording<T = unknown> {
  readonly commands: RecordedCommand[] = [];
  /** What the recorded function returned (its tensors belong to the recording). */
  result!: T;
  private owned: Tensor[] = [];
  private bindGroups: (GPUBindGroup | null)[] = [];
  private uniformBuffer: GPUBuffer | null = null;
  private pool: BufferPool | null = null;

  constructor(private gpu: Gpu) {}

  own(t: Tensor): void {
    this.owned.push(t);
  }

  get dispatchCount(): number {
    return this.commands.filter((c) => c.kind === 'dispatch').length;
  }

  /** Lays all uniforms out in one buffer, uploads it once and builds the bind groups. */
  finalize(device: GPUDevice, pool: BufferPool): void {
    const align = device.limits.minUniformBufferOffsetAlignment;
    let total = 0;
    const offsets = new Map<Uint8Array, number>();
    for (const c of this.commands) {
      if (c.kind !== 'dispatch') continue;
      for (const e of c.entries) if (e.uniform) { offsets.set(e.uniform, total); total = Math.ceil((total + e.uniform.length) / align) * align; }
    }
    if (total > 0) {
      this.pool = pool;
      this.uniformBuffer = pool.acquire(total, 0x40 /* UNIFORM */ | 0x8 /* COPY_DST */, 'recording uniforms');
      const cpu = new Uint8Array(total);
      for (const [bytes, off] of offsets) cpu.set(bytes, off);
      device.queue.writeBuffer(this.uniformBuffer, 0, cpu);
    }
    this.bindGroups = this.commands.map((c) => {
      if (c.kind !== 'dispatch') return null;
      const entries = c.entries.map((e) => ({
        binding: e.binding,
        resource: e.uniform ? { buffer: this.uniformBuffer!, offset: offsets.get(e.uniform)!, size: e.uniform.length } : e.resource,
      }));
      return device.createBindGroup({ layout: c.layout, entries });
    });
  }

  /** Encodes the captured commands into the device's current pass (no submit). */
  replay(): void {
    this.gpu.replayCommands(this.commands, this.bindGroups);
  }

  dispose(): void {
    for (const t of this.owned) t.dispose();
    this.owned = [];
    if (this.uniformBuffer && this.pool) this.pool.release(this.uniformBuffer);
    this.uniformBuffer = null;
  }
}
