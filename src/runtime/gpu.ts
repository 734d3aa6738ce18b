/**
 * The wavegpu device: tensors, buffer pool, pipeline cache and the one command encoder that a
 * forward pass records into. Ops call dispatch(); nothing reaches the queue until submit(),
 * which a read() does for you. record() captures a fixed-shape pass for cheap replay.
 */
import { KERNELS } from '../kernels.gen.js';
import { sourceLine, type BindingInfo, type KernelSource } from './kernel_info.js';
import { WaveGpuError, fmtShape } from './errors.js';
import { BufferPool } from './pool.js';
import { Tensor, checkShape, numel, type DType, type Storage, type TypedArrayFor } from './tensor.js';
import { packUniforms, type UniformValue } from './uniforms.js';
import { Recording, type RecordedCommand } from './recording.js';
import { Profiler, type KernelTime } from './profiler.js';

export interface DispatchSpec {
  /** Name used in errors, e.g. 'conv1d'. */
  op: string;
  /** kernels/<kernel>.wgsl */
  kernel: string;
  entry?: string;
  overrides?: Record<string, number>;
  /** Uniform struct values by binding name. */
  uniforms?: Record<string, Record<string, UniformValue>>;
  /** Storage buffers by binding name. */
  buffers: Record<string, Tensor>;
  workgroups: readonly number[];
}

interface CachedPipeline {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  bindings: BindingInfo[];
  kernel: KernelSource;
}

type Data = Float32Array | Int32Array | Uint32Array | number[];

const TENSOR_USAGE = 0x80 /* STORAGE */ | 0x4 /* COPY_SRC */ | 0x8; /* COPY_DST */
const UNIFORM_CHUNK = 64 * 1024;

function arrayFor(dtype: DType, data: Data): Float32Array | Int32Array | Uint32Array {
  if (dtype === 'f32') return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
  if (dtype === 'i32') return data instanceof Int32Array ? data : Int32Array.from(data as ArrayLike<number>);
  return data instanceof Uint32Array ? data : Uint32Array.from(data as ArrayLike<number>);
}

export class Gpu {
  readonly pool: BufferPool;
  readonly limits: GPUSupportedLimits;
  readonly features: ReadonlySet<string>;
  /** Counts, for tests and the profiler: a forward pass should show one submit. */
  readonly stats = { submits: 0, dispatches: 0, pipelines: 0 };
  /** Tests set this: every new tensor is filled with NaN so an unwritten element shows. */
  poison = false;
  lost: GPUDeviceLostInfo | null = null;

  private kernels = new Map<string, KernelSource>(Object.entries(KERNELS));
  private pipelines = new Map<string, CachedPipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private uniformChunks: { buffer: GPUBuffer; cpu: Uint8Array; used: number }[] = [];
  private afterSubmit: (() => void)[] = [];
  private scopes: Set<Tensor>[] = [];
  private recording: Recording | null = null;
  private errors: string[] = [];
  private pendingChecks: Promise<void>[] = [];
  private profiler: Profiler | null = null;

  constructor(readonly device: GPUDevice, readonly adapter: GPUAdapter, readonly source: string, private releaseHandle?: () => void) {
    this.pool = new BufferPool(device);
    this.limits = device.limits;
    this.features = new Set([...device.features].map(String));
    device.lost.then((info) => { this.lost = info; });
    device.addEventListener('uncapturederror', (e) => this.errors.push((e as GPUUncapturedErrorEvent).error.message));
  }

  describe(): string {
    const i = this.adapter.info;
    const name = [i.vendor, i.architecture, i.device, i.description].filter((s) => s).join(' ');
    return `${name || 'unknown adapter'} (${this.source})`;
  }

  private alive(op: string): void {
    if (this.lost) throw new WaveGpuError(op, `the GPU device was lost (${this.lost.reason}: ${this.lost.message}); create a new one with createDevice()`);
  }

  // ---- tensors -------------------------------------------------------------------------

  /** Registers a tensor made elsewhere with the current scope. */
  adopt<T extends Tensor>(t: T): T {
    if (this.recording) this.recording.own(t);
    else this.scopes[this.scopes.length - 1]?.add(t);
    return t;
  }

  /** An uninitialised tensor (poisoned with NaN when `poison` is set). */
  empty<D extends DType = 'f32'>(shape: readonly number[], dtype: D = 'f32' as D, op = 'empty'): Tensor<D> {
    this.alive(op);
    checkShape(shape, op);
    const bytes = numel(shape) * 4;
    const maxBinding = this.limits.maxStorageBufferBindingSize, maxBuffer = this.limits.maxBufferSize;
    if (bytes > maxBinding || bytes > maxBuffer) {
      throw new WaveGpuError(op, `tensor ${fmtShape(shape)} ${dtype} needs ${bytes} bytes, over this device's limit (maxStorageBufferBindingSize ${maxBinding}, maxBufferSize ${maxBuffer}); process the input in smaller chunks`);
    }
    const storage: Storage = { buffer: this.pool.acquire(bytes, TENSOR_USAGE, op), refs: 1 };
    const t = this.adopt(new Tensor(this, shape, dtype, storage));
    if (this.poison && t.size > 0) this.fillBits(t, 0x7fc00000);
    return t;
  }

  /** A tensor holding `data`. */
  tensor<D extends DType = 'f32'>(data: Data, shape: readonly number[] = [data.length], dtype?: D): Tensor<D> {
    const dt = (dtype ?? (data instanceof Int32Array ? 'i32' : data instanceof Uint32Array ? 'u32' : 'f32')) as D;
    if (numel(shape) !== data.length) throw new WaveGpuError('tensor', `shape ${fmtShape(shape)} holds ${numel(shape)} values but ${data.length} were given`);
    const poison = this.poison;
    this.poison = false;
    try {
      const t = this.empty(shape, dt, 'tensor');
      this.write(t, data);
      return t;
    } finally { this.poison = poison; }
  }

  zeros<D extends DType = 'f32'>(shape: readonly number[], dtype: D = 'f32' as D): Tensor<D> {
    const t = this.empty(shape, dtype, 'zeros');
    this.fillBits(t, 0);
    return t;
  }

  /** Sets every 32-bit word of `t` to `bits` (in encoder order). */
  fillBits(t: Tensor, bits: number): void {
    if (t.size === 0) return;
    this.dispatch({ op: 'fill', kernel: 'runtime', entry: 'fill', buffers: { dst: t }, uniforms: { params: { n: t.size, bits: bits >>> 0 } }, workgroups: grid(t.size, 256) });
  }

  /** Uploads `data` into `t`, ordered after the work recorded so far. */
  write(t: Tensor, data: Data): void {
    this.alive('write');
    if (this.recording) throw new WaveGpuError('write', 'cannot upload inside record(); write inputs before replay()');
    if (data.length !== t.size) throw new WaveGpuError('write', `tensor ${fmtShape(t.shape)} holds ${t.size} values but ${data.length} were given`);
    if (t.size === 0) return;
    const arr = arrayFor(t.dtype, data);
    if (!this.encoder) {
      this.device.queue.writeBuffer(t.buffer, 0, arr.buffer, arr.byteOffset, arr.byteLength);
      return;
    }
    // Inside an open pass the pooled buffer may still be read by recorded commands, so stage it.
    const staging = this.device.createBuffer({ size: Math.ceil(arr.byteLength / 4) * 4, usage: 0x4 /* COPY_SRC */, mappedAtCreation: true });
    new Uint8Array(staging.getMappedRange()).set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
    staging.unmap();
    this.copyBuffers(staging, 0, t.buffer, 0, staging.size);
    this.afterSubmit.push(() => staging.destroy());
  }

  /** Copies src into dst (same number of elements), as a command in the current pass. */
  copy(src: Tensor, dst: Tensor, srcOffset = 0, dstOffset = 0, count = src.size): void {
    if (srcOffset + count > src.size || dstOffset + count > dst.size) {
      throw new WaveGpuError('copy', `copying ${count} elements from ${fmtShape(src.shape)}@${srcOffset} to ${fmtShape(dst.shape)}@${dstOffset} runs out of bounds`);
    }
    if (count === 0) return;
    if (this.recording) { this.recording.commands.push({ kind: 'copy', src: src.buffer, srcOffset: srcOffset * 4, dst: dst.buffer, dstOffset: dstOffset * 4, bytes: count * 4 }); return; }
    this.copyBuffers(src.buffer, srcOffset * 4, dst.buffer, dstOffset * 4, count * 4);
  }

  private copyBuffers(src: GPUBuffer, so: number, dst: GPUBuffer, d: number, bytes: number): void {
    this.endPass();
    this.ensureEncoder().copyBufferToBuffer(src, so, dst, d, bytes);
  }

  releaseStorage(s: Storage): void {
    if (--s.refs === 0) this.pool.release(s.buffer);
  }

  // ---- kernels and dispatch ------------------------------------------------------------

  /** Adds a kernel at run time (reflection info must be supplied, as build.mjs generates it). */
  registerKernel(k: KernelSource): void {
    this.kernels.set(k.name, k);
    for (const key of [...this.pipelines.keys()]) if (key.startsWith(`${k.name}:`)) this.pipelines.delete(key);
  }

  private pipelineFor(kernelName: string, entry: string, overrides: Record<string, number>, op: string): CachedPipeline {
    const key = `${kernelName}:${entry}:${JSON.stringify(overrides)}`;
    const hit = this.pipelines.get(key);
    if (hit) return hit;
    const kernel = this.kernels.get(kernelName);
    if (!kernel) throw new WaveGpuError(op, `no kernel '${kernelName}' (known: ${[...this.kernels.keys()].join(', ')})`);
    const info = kernel.entries[entry];
    if (!info) throw new WaveGpuError(op, `kernel ${kernelName} has no entry point '${entry}' (has: ${Object.keys(kernel.entries).join(', ')})`);
    for (const k of Object.keys(overrides)) if (!info.overrides.includes(k)) throw new WaveGpuError(op, `kernel ${kernelName}.${entry} has no override constant '${k}'`);
    const d = this.device;
    d.pushErrorScope('validation');
    const module = d.createShaderModule({ code: kernel.code, label: kernelName });
    this.watchCompile(module, kernel);
    const layout = d.createBindGroupLayout({
      label: `${kernelName}.${entry}`,
      entries: info.bindings.map((b) => ({ binding: b.binding, visibility: 4 /* COMPUTE */, buffer: { type: b.kind } })),
    });
    const pipeline = d.createComputePipeline({
      label: `${kernelName}.${entry}`,
      layout: d.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: entry, constants: overrides },
    });
    this.pendingChecks.push(d.popErrorScope().then((e) => { if (e) this.errors.push(`kernel ${kernelName}.${entry} (kernels/${kernelName}.wgsl): ${e.message}`); }));
    const cached = { pipeline, layout, bindings: info.bindings, kernel };
    this.pipelines.set(key, cached);
    this.stats.pipelines++;
    return cached;
  }

  private watchCompile(module: GPUShaderModule, kernel: KernelSource): void {
    this.pendingChecks.push(module.getCompilationInfo().then((info) => {
      for (const m of info.messages) {
        if (m.type === 'error') this.errors.push(`WGSL compile error in ${sourceLine(kernel, m.lineNum)}:${m.linePos} (kernel ${kernel.name}): ${m.message}`);
      }
    }));
  }

  /** Records one compute dispatch. Buffers and uniforms are bound by their WGSL names. */
  dispatch(spec: DispatchSpec): void {
    const { op } = spec;
    this.alive(op);
    const entry = spec.entry ?? 'main';
    const p = this.pipelineFor(spec.kernel, entry, spec.overrides ?? {}, op);
    const uniforms = spec.uniforms ?? {};
    const given = new Set([...Object.keys(spec.buffers), ...Object.keys(uniforms)]);
    const entries: { binding: number; resource: GPUBufferBinding; uniform?: Uint8Array }[] = [];
    for (const b of p.bindings) {
      if (!given.delete(b.name)) throw new WaveGpuError(op, `kernel ${spec.kernel}.${entry} needs binding '${b.name}' (${b.kind}) but it was not given`);
      if (b.kind === 'uniform') {
        const struct = p.kernel.structs[b.type];
        const bytes = new Uint8Array(struct.size);
        packUniforms(new DataView(bytes.buffer), 0, struct, uniforms[b.name] ?? {}, op, b.type);
        entries.push({ binding: b.binding, resource: { buffer: null as unknown as GPUBuffer, size: struct.size }, uniform: bytes });
      } else {
        const t = spec.buffers[b.name];
        if (!t) throw new WaveGpuError(op, `binding '${b.name}' of kernel ${spec.kernel}.${entry} is a storage buffer; pass it in 'buffers'`);
        entries.push({ binding: b.binding, resource: { buffer: t.buffer, offset: 0, size: Math.max(4, t.byteLength) } });
      }
    }
    if (given.size) throw new WaveGpuError(op, `kernel ${spec.kernel}.${entry} has no binding named ${[...given].map((n) => `'${n}'`).join(', ')} (it binds ${p.bindings.map((b) => b.name).join(', ')})`);
    const wg = [spec.workgroups[0] ?? 1, spec.workgroups[1] ?? 1, spec.workgroups[2] ?? 1];
    const maxWg = this.limits.maxComputeWorkgroupsPerDimension;
    if (wg.some((n) => !Number.isInteger(n) || n < 0 || n > maxWg)) throw new WaveGpuError(op, `dispatch of [${wg.join(', ')}] workgroups exceeds maxComputeWorkgroupsPerDimension ${maxWg}`);
    if (wg[0] * wg[1] * wg[2] === 0) return;
    if (this.recording) { this.recording.commands.push({ kind: 'dispatch', pipeline: p.pipeline, layout: p.layout, entries, workgroups: wg }); return; }
    for (const e of entries) if (e.uniform) Object.assign(e.resource, this.uniformSlot(e.uniform));
    const bindGroup = this.device.createBindGroup({ layout: p.layout, entries: entries.map((e) => ({ binding: e.binding, resource: e.resource })) });
    const pass = this.passFor(`${spec.kernel}.${entry}`);
    pass.setPipeline(p.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(wg[0], wg[1], wg[2]);
    this.stats.dispatches++;
    if (this.profiler) this.endPass();
  }

  /** Places uniform bytes in this pass's arena; the arena is uploaded once, at submit. */
  private uniformSlot(bytes: Uint8Array): { buffer: GPUBuffer; offset: number } {
    const align = this.limits.minUniformBufferOffsetAlignment;
    let chunk = this.uniformChunks[this.uniformChunks.length - 1];
    if (!chunk || chunk.used + bytes.length > UNIFORM_CHUNK) {
      chunk = { buffer: this.pool.acquire(UNIFORM_CHUNK, 0x40 /* UNIFORM */ | 0x8 /* COPY_DST */, 'uniforms'), cpu: new Uint8Array(UNIFORM_CHUNK), used: 0 };
      this.uniformChunks.push(chunk);
    }
    const offset = chunk.used;
    chunk.cpu.set(bytes, offset);
    chunk.used = Math.ceil((offset + bytes.length) / align) * align;
    return { buffer: chunk.buffer, offset };
  }

  private ensureEncoder(): GPUCommandEncoder {
    this.alive('encode');
    return (this.encoder ??= this.device.createCommandEncoder());
  }

  private ensurePass(): GPUComputePassEncoder {
    return (this.pass ??= this.ensureEncoder().beginComputePass());
  }

  /** The pass the next dispatch goes into: the open one, or, while profiling, its own timed pass. */
  private passFor(label: string): GPUComputePassEncoder {
    if (!this.profiler) return this.ensurePass();
    this.endPass();
    return (this.pass = this.ensureEncoder().beginComputePass({ timestampWrites: this.profiler.next(label) }));
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }

  /** Whether commands are waiting for submit(). */
  get pending(): boolean {
    return this.encoder !== null;
  }

  /** Sends everything recorded so far to the queue (one command buffer). */
  submit(): void {
    if (!this.encoder) return;
    this.endPass();
    const cb = this.encoder.finish();
    this.encoder = null;
    for (const c of this.uniformChunks) this.device.queue.writeBuffer(c.buffer, 0, c.cpu.buffer, 0, c.used);
    this.device.queue.submit([cb]);
    this.stats.submits++;
    for (const c of this.uniformChunks) this.pool.release(c.buffer);
    this.uniformChunks = [];
    for (const f of this.afterSubmit.splice(0)) f();
    this.pool.trimIfOver(); // only now: buffers released mid-pass were still in use by this submit
  }

  /** Submits pending work and waits for the GPU; throws any kernel or validation error seen. */
  async sync(): Promise<void> {
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
    await this.throwErrors();
  }

  private async throwErrors(): Promise<void> {
    await Promise.all(this.pendingChecks.splice(0));
    if (this.errors.length) throw new WaveGpuError('gpu', this.errors.splice(0).join('\n'));
    this.alive('read');
  }

  /** Copies a tensor back to the CPU: submits once, then maps a staging buffer. */
  async read<D extends DType>(t: Tensor<D>): Promise<TypedArrayFor<D>> {
    const bytes = Math.max(4, t.byteLength);
    const staging = this.device.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage: 0x1 /* MAP_READ */ | 0x8 /* COPY_DST */ });
    if (t.size > 0) this.copyBuffers(t.buffer, 0, staging, 0, t.byteLength);
    this.submit();
    try {
      await staging.mapAsync(1 /* READ */);
    } catch (e) {
      await this.throwErrors();
      throw new WaveGpuError('read', `mapping the result of ${t} failed: ${(e as Error).message}`);
    }
    const raw = staging.getMappedRange().slice(0, t.byteLength);
    staging.unmap();
    staging.destroy();
    await this.throwErrors();
    const Ctor = t.dtype === 'f32' ? Float32Array : t.dtype === 'i32' ? Int32Array : Uint32Array;
    return new Ctor(raw) as TypedArrayFor<D>;
  }

  /**
   * Runs fn (which records work, e.g. a forward pass) and returns the GPU time of each kernel
   * entry point it dispatched, largest first, from timestamp queries (each dispatch in its own
   * pass). Needs the 'timestamp-query' feature; Chromium rounds timestamps to 100 us unless
   * started with --enable-webgpu-developer-features.
   */
  async profile(fn: () => unknown): Promise<KernelTime[]> {
    if (!this.features.has('timestamp-query')) {
      throw new WaveGpuError('profile', `this device (${this.describe()}) has no 'timestamp-query' feature, so per-kernel times cannot be measured`);
    }
    if (this.profiler) throw new WaveGpuError('profile', 'profile() calls cannot nest');
    await this.sync();
    const profiler = (this.profiler = new Profiler(this.device));
    try {
      await this.scope(async () => { await fn(); });
      await this.sync();
    } catch (e) {
      profiler.destroy();
      throw e;
    } finally {
      this.endPass();
      this.profiler = null;
    }
    return profiler.finish();
  }

  // ---- scopes and recordings -----------------------------------------------------------

  /**
   * Runs fn and disposes every tensor made inside it, except those in its return value
   * (a tensor, or arrays/objects of them), which move to the enclosing scope.
   */
  scope<T>(fn: () => T): T {
    const set = new Set<Tensor>();
    this.scopes.push(set);
    const finish = (value: Awaited<T>): Awaited<T> => {
      const idx = this.scopes.lastIndexOf(set);
      if (idx >= 0) this.scopes.splice(idx, 1);
      const keep = new Set<Tensor>();
      collectTensors(value, keep);
      for (const t of set) if (!keep.has(t)) t.dispose();
      const parent = this.scopes[this.scopes.length - 1];
      if (parent) for (const t of keep) if (set.has(t)) parent.add(t);
      return value;
    };
    let result: T;
    try {
      result = fn();
    } catch (e) {
      finish(undefined as Awaited<T>);
      throw e;
    }
    if (result instanceof Promise) {
      return result.then((v) => finish(v as Awaited<T>), (e) => { finish(undefined as Awaited<T>); throw e; }) as T;
    }
    return finish(result as Awaited<T>) as T;
  }

  /**
   * Captures the dispatches and copies fn records (bind groups built once) so replay() can
   * re-encode them cheaply. Inputs are updated with write()/copy() into tensors fn used.
   * Tensors made inside belong to the recording and live until its dispose().
   */
  record<T>(fn: () => T): Recording<T> {
    if (this.recording) throw new WaveGpuError('record', 'record() calls cannot nest');
    const rec = new Recording<T>(this);
    this.recording = rec;
    try {
      rec.result = fn();
    } finally {
      this.recording = null;
    }
    rec.finalize(this.device, this.pool);
    return rec;
  }

  /** Encodes a recording's commands into the current pass. */
  replayCommands(commands: RecordedCommand[], bindGroups: (GPUBindGroup | null)[]): void {
    this.alive('replay');
    for (let i = 0; i < commands.length; i++) {
      const c = commands[i];
      if (c.kind === 'copy') { this.copyBuffers(c.src, c.srcOffset, c.dst, c.dstOffset, c.bytes); continue; }
      const pass = this.passFor(c.pipeline.label);
      pass.setPipeline(c.pipeline);
      pass.setBindGroup(0, bindGroups[i]!);
      pass.dispatchWorkgroups(c.workgroups[0], c.workgroups[1], c.workgroups[2]);
      this.stats.dispatches++;
      if (this.profiler) this.endPass();
    }
  }

  /** Frees pooled memory and the device; the object is unusable afterwards. */
  destroy(): void {
    this.pending && this.submit();
    this.pool.trim(0);
    this.device.destroy();
    this.releaseHandle?.();
  }
}

function collectTensors(v: unknown, out: Set<Tensor>, depth = 0): void {
  if (depth > 8 || v === null || typeof v !== 'object') return;
  if (v instanceof Tensor) { out.add(v); return; }
  if (Array.isArray(v)) { for (const x of v) collectTensors(x, out, depth + 1); return; }
  if (v instanceof Map) { for (const x of v.values()) collectTensors(x, out, depth + 1); return; }
  if (Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) collectTensors(x, out, depth + 1);
}

/**
 * Workgroup counts for `n` threads in groups of `wg`, folded into y when x would pass the
 * 65,535 limit. Kernels rebuild the index as gid.x + gid.y * (num_workgroups.x * wg).
 */
export function grid(n: number, wg: number): [number, number, number] {
  const groups = Math.ceil(n / wg);
  if (groups <= 65535) return [groups, 1, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y, 1];
}
