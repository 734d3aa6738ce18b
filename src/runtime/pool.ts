/**
 * Buffer pool keyed by (usage, size class). Size classes are 2^k * {1, 1.25, 1.5, 1.75} so a
 * pooled buffer wastes at most ~25%. Released buffers are reused by later allocations; that is
 * safe inside one command encoder because commands run in order on the queue.
 */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, Math.ceil(bytes / 16) * 16);
  if (b <= 256) return b;
  const p = 2 ** Math.floor(Math.log2(b));
  for (const f of [1, 1.25, 1.5, 1.75, 2]) if (p * f >= b) return Math.ceil((p * f) / 16) * 16;
  return b;
}

export class BufferPool {
  private free = new Map<string, GPUBuffer[]>();
  /** Bytes currently held by free buffers. */
  freeBytes = 0;
  /** Bytes in buffers handed out and not yet released. */
  liveBytes = 0;
  /** Free bytes kept before the oldest free buffers are destroyed. */
  maxFreeBytes = 512 * 1024 * 1024;

  constructor(private device: GPUDevice) {}

  acquire(bytes: number, usage: GPUBufferUsageFlags, label?: string): GPUBuffer {
    const size = sizeClass(bytes);
    const key = `${usage}:${size}`;
    const list = this.free.get(key);
    const buf = list?.pop();
    this.liveBytes += size;
    if (buf) { this.freeBytes -= size; return buf; }
    return this.device.createBuffer({ size, usage, label });
  }

  release(buf: GPUBuffer): void {
    const key = `${buf.usage}:${buf.size}`;
    this.liveBytes -= buf.size;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(buf);
    this.freeBytes += buf.size;
  }

  /**
   * Trims to half the budget when over it. Called by the Gpu right after a submit, never while
   * commands are being encoded: a buffer released mid-pass may still be read by a command that
   * is not submitted yet, and destroying it would invalidate that submit (WebGPU keeps destroyed
   * buffers alive only for work already submitted).
   */
  trimIfOver(): void {
    if (this.freeBytes > this.maxFreeBytes) this.trim(this.maxFreeBytes / 2);
  }

  /** Destroys free buffers until at most `keepBytes` remain pooled. */
  trim(keepBytes = 0): void {
    for (const [key, list] of this.free) {
      while (list.length && this.freeBytes > keepBytes) {
        const b = list.pop()!;
        this.freeBytes -= b.size;
        b.destroy();
      }
      if (!list.length) this.free.delete(key);
    }
  }
}
