/**
 * Autoregressive decoding of an encoding, shared by NSynth and the music translation decoders.
 *
 * generateFast(): fast generation (Paine et al. 2016, magenta's fastgen, music-translation's
 * WavenetGenerator): each layer keeps its last (K-1)*dil inputs in a queue, so a sample costs
 * O(layers). One step = embed, skip_start, 2 dispatches per layer, two head 1x1s, the seeded draw
 * (softmax_sample's sample, step read from a GPU counter), commit and advance; it is recorded once
 * and replayed per sample. Classes, queues and the counter stay on the GPU: nothing is read back
 * before the end (the optional onProgress waits for the GPU once per chunk).
 *
 * generateRecompute(): the naive path for tests and the benchmark: every sample runs the whole
 * teacher-forced decoder over the prefix and draws from its last column with the same
 * (seed, step, stream), so both paths give the same classes.
 *
 * Step t reads input class codes[b, t] (codes[b, 0] = spec.firstClass) and frame t / hop of the
 * encoding, and draws codes[b, t + 1]; the result is codes[:, 1..N].
 */
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import type { Recording } from '../../runtime/recording.js';
import { sliceAxis } from '../../ops/layout.js';
import { advanceCounter, createCounter, sample } from '../../ops/softmax_sample.js';
import { commitStep, defaultSplit, denseStep, dilStep, embedStep, mixStep, type StepState } from '../../ops/nsynth_step.js';
import type { AeDecoder } from './decoder.js';

export interface AeGenerateOptions {
  /** Samples per stream (default: frames * hop, the whole encoding). */
  samples?: number;
  /** Seed of the draws (default 0). */
  seed?: number;
  /** softmax(logits / temperature); 0 takes the most likely class. Default 1. */
  temperature?: number;
  /** PRNG stream of stream 0 (default 0): stream b draws as firstStream + b, so B streams equal B single runs. */
  firstStream?: number;
  /** Threads sharing a reduction in the step kernels (default: 1 on a CPU adapter, else 8). */
  split?: number;
  /** Steps recorded per command buffer (default 256). */
  stepsPerSubmit?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface AeGenerated {
  batch: number;
  samples: number;
  /** Drawn classes [B, samples]. */
  codes: Uint32Array;
}

function plan(dec: AeDecoder, enc: Tensor, o: AeGenerateOptions): { b: number; n: number; first: Uint32Array } {
  if (enc.rank !== 3 || enc.shape[1] !== dec.dims.z || enc.shape[2] < 1) throw new WaveGpuError('generate', `encoding is ${fmtShape(enc.shape)}, expected [B, ${dec.dims.z}, frames >= 1]`);
  const b = enc.shape[0], n = o.samples ?? enc.shape[2] * dec.spec.hop;
  if (!Number.isInteger(n) || n < 1) throw new WaveGpuError('generate', `samples must be a positive integer, got ${n}`);
  const t = o.temperature ?? 1;
  if (!(t >= 0) || !Number.isFinite(t)) throw new WaveGpuError('generate', `temperature must be finite and >= 0, got ${t}`);
  const first = new Uint32Array(b * (n + 1));
  for (let i = 0; i < b; i++) first[i * (n + 1)] = dec.spec.firstClass;
  return { b, n, first };
}

function strip(codes: Uint32Array, b: number, n: number): Uint32Array {
  const out = new Uint32Array(b * n);
  for (let i = 0; i < b; i++) out.set(codes.subarray(i * (n + 1) + 1, (i + 1) * (n + 1)), i * n);
  return out;
}

interface Draw { seed: number; temperature: number; stream: number }

function drawOf(o: AeGenerateOptions): Draw {
  return { seed: o.seed ?? 0, temperature: o.temperature ?? 1, stream: o.firstStream ?? 0 };
}

/** Records one generation step (see the file comment) into the current recording. */
function recordStep(dec: AeDecoder, g: StepState, c: Tensor, bufs: StepBuffers, d: Draw, split: number): void {
  const w = dec.stepWeights(), hop = dec.spec.hop, L = dec.dims.layers;
  embedStep(g, w.start, bufs.h[0], w.table);
  mixStep(bufs.h[0], w.skipStart, { skip: bufs.skip, skipInit: true, residual: 0, split });
  w.layers.forEach((l, i) => {
    const hIn = bufs.h[i % 2], last = i === L - 1;
    dilStep(g, hIn, l.dil, bufs.act, { dilation: dec.spec.dilations[i], queue: bufs.queues[i], cond: { c, offset: dec.condOffset(i), hop }, split });
    mixStep(bufs.act, l.mix, { hIn: last ? undefined : hIn, hOut: last ? undefined : bufs.h[(i + 1) % 2], skip: bufs.skip, skipInit: false, residual: dec.dims.r, split });
  });
  denseStep(g, bufs.skip, w.out1, bufs.e, { preRelu: true, postRelu: true, cond: { c, offset: dec.condOffset(L), hop }, split });
  denseStep(g, bufs.e, w.logits, bufs.logits, { split });
  commitStep(g, sample(bufs.logits, { ...d, step: g.state }));
  advanceCounter(g.state);
}

interface StepBuffers { h: [Tensor, Tensor]; act: Tensor; skip: Tensor; e: Tensor; logits: Tensor; queues: Tensor[] }

function allocate(dec: AeDecoder, b: number): StepBuffers {
  const gpu = dec.gpu, { r, s, k, classes } = dec.dims;
  return {
    h: [gpu.empty([b, r]), gpu.empty([b, r])], act: gpu.empty([b, r]), skip: gpu.empty([b, s]), e: gpu.empty([b, s]), logits: gpu.empty([b, classes]),
    queues: dec.spec.dilations.map((d) => gpu.zeros([b, (k - 1) * d + 1, r])),
  };
}

/**
 * A recorded generation step over an encoding, replayable sample by sample (generateFast's loop;
 * the benchmark times replay() directly). Owns its GPU state until dispose().
 */
export class GenerationSession {
  readonly batch: number;
  readonly samples: number;
  private g: StepState;
  private tensors: Tensor[];
  private step: Recording<void>;

  constructor(readonly dec: AeDecoder, enc: Tensor, o: AeGenerateOptions = {}) {
    const { b, n, first } = plan(dec, enc, o);
    const gpu = dec.gpu, split = o.split ?? defaultSplit(gpu);
    dec.stepWeights();   // throws now, not inside record(), for a decoder without step weights
    this.batch = b;
    this.samples = n;
    const made = gpu.scope(() => {
      const g: StepState = { state: createCounter(gpu, 0), codes: gpu.tensor(first, [b, n + 1], 'u32') };
      return { g, c: dec.stepCondition(enc), bufs: allocate(dec, b) };
    });
    this.g = made.g;
    this.tensors = [made.g.state, made.g.codes, made.c, ...made.bufs.h, made.bufs.act, made.bufs.skip, made.bufs.e, made.bufs.logits, ...made.bufs.queues];
    this.step = gpu.record(() => recordStep(dec, made.g, made.c, made.bufs, drawOf(o), split));
  }

  /** Records `n` more steps into the current pass (no submit). */
  replay(n = 1): void {
    for (let i = 0; i < n; i++) this.step.replay();
  }

  /** Classes drawn so far [B, samples] (submits and waits). */
  async codes(): Promise<Uint32Array> {
    return strip(await this.g.codes.read(), this.batch, this.samples);
  }

  dispose(): void {
    this.step.dispose();
    for (const t of this.tensors) t.dispose();
  }
}

/** Fast generation from an encoding [B, Z, F]; classes [B, samples]. */
export async function generateFast(dec: AeDecoder, enc: Tensor, o: AeGenerateOptions = {}): Promise<AeGenerated> {
  const gpu = dec.gpu, chunk = o.stepsPerSubmit ?? 256;
  const session = new GenerationSession(dec, enc, o);
  const n = session.samples;
  try {
    for (let t = 0; t < n; t++) {
      session.replay();
      if ((t + 1) % chunk === 0 || t === n - 1) {
        gpu.submit();
        if (o.onProgress) { await gpu.sync(); o.onProgress(t + 1, n); }
      }
    }
    return { batch: session.batch, samples: n, codes: await session.codes() };
  } finally {
    session.dispose();
  }
}

/** The full-recompute baseline: teacher-forced decoder over the prefix for every sample. */
export async function generateRecompute(dec: AeDecoder, enc: Tensor, o: AeGenerateOptions = {}): Promise<AeGenerated> {
  const { b, n, first } = plan(dec, enc, o);
  const gpu = dec.gpu, table = dec.spec.inputTable, codes = first;
  for (let t = 0; t < n; t++) {
    const drawn = await gpu.scope(async () => {
      const x = new Float32Array(b * (t + 1));
      for (let i = 0; i < b; i++) for (let j = 0; j <= t; j++) x[i * (t + 1) + j] = table[codes[i * (n + 1) + j]];
      const logits = dec.forward(gpu.tensor(x, [b, t + 1]), enc);
      const col = sliceAxis(logits, 2, t, t + 1).reshape([b, dec.dims.classes]);
      return sample(col, { ...drawOf(o), step: t }).read();
    });
    for (let i = 0; i < b; i++) codes[i * (n + 1) + t + 1] = drawn[i];
    o.onProgress?.(t + 1, n);
  }
  return { batch: b, samples: n, codes: strip(codes, b, n) };
}
