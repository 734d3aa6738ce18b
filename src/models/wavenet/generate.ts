/**
 * Autoregressive generation.
 *
 * generate(): fast generation with per-layer queues (each layer keeps its last (K-1)*dil inputs,
 * src/ops/gate.ts gateStep), so a sample costs O(layers), not O(receptive field). One step is
 * embed -> L gated layers -> head -> draw (src/ops/softmax_sample.ts) -> commit -> advance
 * (L + 5 dispatches), recorded once with gpu.record() and replayed per sample; the step counter,
 * the drawn classes and the queues stay on the GPU, so nothing is read back until the end.
 * B independent streams run side by side; stream b draws with PRNG stream firstStream + b.
 *
 * generateRecompute(): the naive baseline: every sample runs forward() over the last
 * receptiveField inputs. Same draws (seeded by stream and step), so both paths give the same
 * samples; it exists for tests and the benchmark.
 *
 * Before sample 0 the input is silence (value 0.0): the queues start in the steady state of a
 * silent past (gateStep's fill mode), which is what forward() sees with zeros in front. Local
 * conditioning for the silent past repeats column 0.
 */
import { WaveGpuError } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import type { Recording } from '../../runtime/recording.js';
import { gateStep, queueLength, type HostTensor } from '../../ops/gate.js';
import { mergeCond, type WaveNet, type WaveNetCond } from './model.js';
import { sample, advanceCounter } from '../../ops/softmax_sample.js';
import { commit, genEmbed, headLogits, type GenBuffers } from './kernels.js';
import { codesToValues, muLawDecode, muLawEncode } from './mulaw.js';

export interface GenerateOptions {
  /** New samples per stream. */
  samples: number;
  /** Streams B (default: the number of primes, else 1). */
  batch?: number;
  /** Audio in [-1, 1] to continue, one per stream (or one for all), equal lengths; mu-law quantized. */
  prime?: Float32Array | Float32Array[];
  /** Or the classes to continue (e.g. a previous result's codes), one array per stream or one for all. */
  primeCodes?: Uint32Array | Uint32Array[];
  /** Softmax temperature (default 1); 0 takes the most likely class. */
  temperature?: number;
  seed?: number;
  /** PRNG stream id of stream 0 (default 0): stream b draws as stream firstStream + b. */
  firstStream?: number;
  /** Local [B, Cl, prime + samples] (column t conditions input sample t) and/or global [B, Cg]. */
  cond?: WaveNetCond;
  /** Samples recorded per command buffer (default 256). */
  stepsPerSubmit?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateResult {
  batch: number;
  /** Samples per stream, prime included. */
  length: number;
  prime: number;
  /** Classes [B, length], prime included. */
  codes: Uint32Array;
  /** The generated audio per stream (mu-law expansion of the drawn classes). */
  audio: Float32Array[];
}

/** The draw of src/ops/softmax_sample.ts: Philox keyed by the seed, counter (step, stream). */
export interface Draw { seed: number; temperature: number; stream: number }
export interface Plan { b: number; primeLen: number; total: number; codes: Uint32Array; draw: Draw; cond: HostTensor | null; chunk: number }

/** Validated options: streams, prime classes and the codes buffer's initial contents. */
export function plan(model: WaveNet, o: GenerateOptions): Plan {
  const c = model.config;
  if (!Number.isInteger(o.samples) || o.samples < 1) throw new WaveGpuError('generate', `samples must be a positive integer, got ${o.samples}`);
  if (o.prime && o.primeCodes) throw new WaveGpuError('generate', 'give prime (audio) or primeCodes (classes), not both');
  const audio = o.prime === undefined ? [] : Array.isArray(o.prime) ? o.prime : [o.prime];
  const given = o.primeCodes === undefined ? [] : Array.isArray(o.primeCodes) ? o.primeCodes : [o.primeCodes];
  const primes: ArrayLike<number>[] = audio.length ? audio : given;
  const b = o.batch ?? Math.max(1, primes.length);
  if (primes.length > 1 && primes.length !== b) throw new WaveGpuError('generate', `${primes.length} primes for ${b} streams; give one prime per stream or one for all`);
  if (primes.some((p) => p.length !== primes[0].length)) throw new WaveGpuError('generate', `primes must have equal lengths, got ${primes.map((p) => p.length).join(', ')}`);
  if (primes.length && primes[0].length === 0) throw new WaveGpuError('generate', 'the prime is empty');
  if (given.some((p) => p.some((q) => q >= c.classes))) throw new WaveGpuError('generate', `primeCodes must be classes below ${c.classes}`);
  // Without a prime the first input is silence (class of 0.0).
  const primeCodes = audio.length ? audio.map((p) => muLawEncode(p, c.classes, c.mu)) : given.length ? given : [muLawEncode([0], c.classes, c.mu)];
  const primeLen = primeCodes[0].length, total = primeLen + o.samples;
  const codes = new Uint32Array(b * total);
  for (let i = 0; i < b; i++) codes.set(primeCodes[primeCodes.length > 1 ? i : 0], i * total);
  const draw = { seed: o.seed ?? 0, temperature: o.temperature ?? 1, stream: o.firstStream ?? 0 };
  return { b, primeLen, total, codes, draw, cond: mergeCond(c, o.cond, b, total), chunk: o.stepsPerSubmit ?? 256 };
}

export function result(model: WaveNet, p: Plan, codes: Uint32Array): GenerateResult {
  const c = model.config;
  const audio = Array.from({ length: p.b }, (_, i) => muLawDecode(codes.subarray(i * p.total + p.primeLen, (i + 1) * p.total), c.classes, c.mu));
  return { batch: p.b, length: p.total, prime: p.primeLen, codes, audio };
}

/** Start-conv output for a silent input (value 0.0), per stream: [B, R]. */
function silenceEmbedding(model: WaveNet, b: number): Tensor {
  return model.gpu.scope(() => model.embed(model.gpu.tensor(new Float32Array(b), [b, 1])).reshape([b, model.config.residualChannels]));
}

interface Streams { h: [Tensor, Tensor]; skip: Tensor; logits: Tensor; queues: Tensor[]; cond?: Tensor }

function allocate(model: WaveNet, p: Plan): Streams {
  const gpu = model.gpu, c = model.config;
  const queues = model.parts.layers.map((w, i) => gpu.zeros([p.b, c.residualChannels, queueLength(w.layout, model.dilations[i])]));
  const cond = p.cond ? gpu.tensor(p.cond.data, p.cond.shape) : undefined;
  return { h: [gpu.empty([p.b, c.residualChannels]), gpu.empty([p.b, c.residualChannels])], skip: gpu.empty([p.b, c.skipChannels]), logits: gpu.empty([p.b, c.classes]), queues, cond };
}

/** The gated layers for one step; layer l reads h[l % 2] and writes h[(l + 1) % 2]. */
function layersStep(model: WaveNet, s: Streams, g: GenBuffers, fill: boolean): void {
  model.parts.layers.forEach((w, l) => {
    gateStep(s.h[l % 2], w, { dilation: model.dilations[l], queue: s.queues[l], state: g.state, out: w.layout.hasRes ? s.h[(l + 1) % 2] : undefined, skip: s.skip, skipInit: l === 0, cond: s.cond, fill });
  });
}

/**
 * A fast-generation session: streams' buffers and queues, primed to a silent past, and one
 * recorded step. steps(n) replays n steps into the current encoder; result() reads back once.
 */
export class Generator {
  private p: Plan;
  private g: GenBuffers;
  private s: Streams;
  private rec: Recording;
  private done = 0;

  constructor(readonly model: WaveNet, opts: GenerateOptions) {
    const p = (this.p = plan(model, opts));
    const gpu = model.gpu, c = model.config;
    [this.g, this.s] = gpu.scope(() => {
      const g: GenBuffers = { state: gpu.tensor(new Uint32Array([0]), [1], 'u32'), codes: gpu.tensor(p.codes, [p.b, p.total], 'u32') };
      const s = allocate(model, p);
      // Steady state of a silent past: every queue slot holds the layer's input for silence.
      gpu.copy(silenceEmbedding(model, p.b), s.h[0]);
      layersStep(model, s, g, true);
      return [g, s] as const;
    });
    const { g, s } = this;
    this.rec = gpu.record(() => {
      genEmbed(g, model.parts.misc, model.parts.start, c.input === 'onehot', c.classes, s.h[0]);
      layersStep(model, s, g, false);
      headLogits(s.skip, model.parts.misc, model.parts.head, s.logits);
      commit(g, sample(s.logits, { ...p.draw, step: g.state }), p.primeLen, c.classes);
      advanceCounter(g.state);
    });
  }

  /** Steps left until every stream holds prime + samples classes. */
  get remaining(): number { return Math.max(0, this.p.total - 1 - this.done); }

  /** Dispatches per step (embed, layers, head, draw, commit, advance). */
  get dispatchesPerStep(): number { return this.rec.dispatchCount; }

  /**
   * Records the next n steps (default: all remaining), submitting every stepsPerSubmit. Steps past
   * the end still run the network (benchmarks) but write nothing.
   */
  steps(n = this.remaining): void {
    for (let i = 0; i < n; i++) {
      this.rec.replay();
      if (++this.done % this.p.chunk === 0) this.model.gpu.submit();
    }
  }

  async result(): Promise<GenerateResult> {
    return result(this.model, this.p, await this.g.codes.read());
  }

  dispose(): void {
    this.rec.dispose();
    const { g, s } = this;
    for (const t of [g.state, g.codes, ...s.h, s.skip, s.logits, ...s.queues, s.cond]) t?.dispose();
  }
}

/** Fast generation with per-layer queues (see the file comment). */
export async function generate(model: WaveNet, opts: GenerateOptions): Promise<GenerateResult> {
  const gen = new Generator(model, opts);
  try {
    const total = gen.remaining, chunk = opts.stepsPerSubmit ?? 256;
    while (gen.remaining > 0) {
      gen.steps(Math.min(chunk, gen.remaining));
      if (opts.onProgress) { await model.gpu.sync(); opts.onProgress(total - gen.remaining, total); }
    }
    return await gen.result();
  } finally {
    gen.dispose();
  }
}

/** Local conditioning columns t - RF + 1 .. t (column 0 repeated before the start). */
function condWindow(p: Plan, t: number, rf: number): HostTensor | undefined {
  if (!p.cond) return undefined;
  if (p.cond.shape.length === 2) return p.cond;
  const [b, ch, total] = p.cond.shape;
  const data = new Float32Array(b * ch * rf);
  for (let row = 0; row < b * ch; row++) for (let j = 0; j < rf; j++) data[row * rf + j] = p.cond.data[row * total + Math.max(0, t - rf + 1 + j)];
  return { data, shape: [b, ch, rf] };
}

/** The full-recompute baseline: forward() over the last receptiveField inputs for every sample. */
export class RecomputeGenerator {
  private p: Plan;
  private g: GenBuffers;
  private values: Tensor;
  private window: Tensor;
  private done = 0;

  constructor(readonly model: WaveNet, opts: GenerateOptions) {
    const p = (this.p = plan(model, opts));
    const gpu = model.gpu, rf = model.receptiveField, c = model.config;
    const vLen = rf - 1 + p.total;
    const values0 = new Float32Array(p.b * vLen);   // silence, the prime, then the draws
    for (let i = 0; i < p.b; i++) values0.set(codesToValues(p.codes.subarray(i * p.total, i * p.total + p.primeLen), c.classes), i * vLen + rf - 1);
    [this.g, this.values, this.window] = gpu.scope(() => [
      { state: gpu.tensor(new Uint32Array([0]), [1], 'u32'), codes: gpu.tensor(p.codes, [p.b, p.total], 'u32') },
      gpu.tensor(values0, [p.b, vLen]), gpu.empty([p.b, rf]),
    ] as const);
  }

  get remaining(): number { return Math.max(0, this.p.total - 1 - this.done); }

  /** Records the next n steps (default: all remaining). */
  steps(n = this.remaining): void {
    const { model, p, g, values, window } = this;
    const gpu = model.gpu, rf = model.receptiveField, vLen = values.shape[1];
    for (let k = 0; k < n; k++, this.done++) {
      const t = Math.min(this.done, p.total - 2);
      gpu.scope(() => {
        for (let i = 0; i < p.b; i++) gpu.copy(values, window, i * vLen + t, i * rf, rf);
        const cw = condWindow(p, t, rf);
        const logits = model.forward(window, cw && splitCond(model, cw));
        const idx = sample(logits.reshape([p.b, model.classes]), { ...p.draw, step: g.state });
        commit(g, idx, p.primeLen, model.classes, { t: values, off: rf - 1 });
        advanceCounter(g.state);
      });
      if ((this.done + 1) % p.chunk === 0) gpu.submit();
    }
  }

  async result(): Promise<GenerateResult> {
    return result(this.model, this.p, await this.g.codes.read());
  }

  dispose(): void {
    for (const t of [this.g.state, this.g.codes, this.values, this.window]) t.dispose();
  }
}

/** generate() by full recompute (the baseline; same draws, same result). */
export async function generateRecompute(model: WaveNet, opts: GenerateOptions): Promise<GenerateResult> {
  const gen = new RecomputeGenerator(model, opts);
  try {
    gen.steps();
    return await gen.result();
  } finally {
    gen.dispose();
  }
}

/** Splits a merged [B, Cl + Cg, T] (or global [B, Cg]) back into forward()'s cond argument. */
function splitCond(model: WaveNet, m: HostTensor): WaveNetCond {
  const cl = model.config.localChannels, cg = model.config.globalChannels;
  if (m.shape.length === 2) return { global: m };
  const [b, , t] = m.shape;
  const local = new Float32Array(b * cl * t), global = new Float32Array(b * cg);
  for (let i = 0; i < b; i++) {
    local.set(m.data.subarray(i * (cl + cg) * t, (i * (cl + cg) + cl) * t), i * cl * t);
    for (let j = 0; j < cg; j++) global[i * cg + j] = m.data[(i * (cl + cg) + cl + j) * t];
  }
  return { local: cl ? { data: local, shape: [b, cl, t] } : undefined, global: cg ? { data: global, shape: [b, cg] } : undefined };
}
