/**
 * Row ops along the last axis (softmax, log-softmax, argmax, categorical sampling) and seeded
 * Philox noise (kernels/softmax_sample.wgsl). One dispatch each.
 *
 * Autoregressive loops: sample() takes its step either as a number (baked into the dispatch) or as
 * a u32 counter tensor read on the GPU when the dispatch runs. Record one step with the counter and
 * an advanceCounter() after the sample, then replay: every replay draws at the next step with no
 * CPU upload, and the draws equal sample(..., { step: s }) called with s = start, start + 1, ...
 *   const counter = createCounter(gpu, 0);
 *   const rec = gpu.record(() => { const id = sample(logits, { seed, step: counter }); advanceCounter(counter); return id; });
 *   for (...) { write the next logits; rec.replay(); ... }
 * To replay from a given step, gpu.write(counter, [step]) before replay().
 */
import { grid } from '../runtime/gpu.js';
import type { Gpu } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import { numel } from '../runtime/tensor.js';

const WG = 256;
/** Counter word 3 per use of a seed; mirrors TAG_* / rparams.tag in the kernel and TAG in the reference. */
const TAG = { uniform: 0, normal: 1, sample: 2 } as const;

/** Threads a dispatch should have before rows stop being split across threads. */
const ROW_PARALLELISM = 8192;

/**
 * Threads per row (TPR, a power of two) and rows per workgroup (RPW). Rows are spread over
 * threads first: with >= 8192 rows every thread owns a row and no barrier runs. Fewer rows are
 * split across up to 64 threads each (about 8 elements per thread at least) and reduced through
 * workgroup memory. On SwiftShader the split version ran ~16x slower per row at 16384 x 256
 * (barriers are costly there); on a GPU splitting keeps the device busy when rows are few. The
 * rule is parallelism-driven, not device-driven.
 */
function rowConfig(rows: number, n: number): { TPR: number; RPW: number } {
  let tpr = 1;
  while (tpr < 64 && tpr * 8 < n && rows * tpr < ROW_PARALLELISM) tpr *= 2;
  return { TPR: tpr, RPW: 64 / tpr };
}

function rowsOf(op: string, x: Tensor): { rows: number; n: number; outShape: number[] } {
  if (x.dtype !== 'f32') throw new WaveGpuError(op, `expects an f32 tensor, got ${x.dtype} ${fmtShape(x.shape)}`);
  if (x.rank < 1) throw new WaveGpuError(op, `expects a tensor of rank >= 1 (reduced along its last axis), got a scalar ${fmtShape(x.shape)}`);
  const n = x.shape[x.rank - 1];
  const outShape = x.shape.slice(0, -1);
  return { rows: numel(outShape), n, outShape };
}

function softmaxImpl(x: Tensor, log: boolean): Tensor<'f32'> {
  const op = log ? 'logSoftmax' : 'softmax';
  const { rows, n } = rowsOf(op, x);
  const y = x.gpu.empty(x.shape, 'f32', op);
  const cfg = rowConfig(rows, n);
  x.gpu.dispatch({
    op, kernel: 'softmax_sample', entry: 'softmax', overrides: cfg,
    uniforms: { params: { rows, n, log: log ? 1 : 0, _pad: 0 } },
    buffers: { src: x, dst: y },
    workgroups: n === 0 ? [0] : grid(rows, cfg.RPW),
  });
  return y;
}

/** softmax along the last axis. x: [..., n] -> [..., n] */
export const softmax = (x: Tensor): Tensor<'f32'> => softmaxImpl(x, false);
/** log(softmax(x)) along the last axis, computed as (x - max) - log(sum exp(x - max)). x: [..., n] -> [..., n] */
export const logSoftmax = (x: Tensor): Tensor<'f32'> => softmaxImpl(x, true);

/** Index of the maximum along the last axis (first on ties, NaN wins as in torch). x: [..., n] -> i32 [...] */
export function argmax(x: Tensor): Tensor<'i32'> {
  const { rows, n, outShape } = rowsOf('argmax', x);
  if (n === 0 && rows > 0) throw new WaveGpuError('argmax', `cannot take the argmax of empty rows: x ${fmtShape(x.shape)}`);
  const idx = x.gpu.empty(outShape, 'i32', 'argmax');
  const cfg = rowConfig(rows, n);
  x.gpu.dispatch({
    op: 'argmax', kernel: 'softmax_sample', entry: 'argmax', overrides: cfg,
    uniforms: { params: { rows, n, log: 0, _pad: 0 } },
    buffers: { src: x, idx },
    workgroups: grid(rows, cfg.RPW),
  });
  return idx;
}

function checkSeed(op: string, seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new WaveGpuError(op, `seed must be an integer in [0, 2^53), got ${seed}`);
  return [seed % 4294967296, Math.floor(seed / 4294967296)];
}

export interface SampleOptions {
  /** Seed of the Philox key, an integer in [0, 2^53). */
  seed: number;
  /** softmax(logits / temperature); 0 returns the argmax. Default 1. */
  temperature?: number;
  /** Step counter: a number, or a u32 tensor whose element 0 is read on the GPU (see the file header). Default 0. */
  step?: number | Tensor;
  /** Stream of the first row (row r uses stream + r). Default 0. */
  stream?: number;
}

/**
 * One categorical draw per row from softmax(logits / temperature), by inverting the CDF at the
 * uniform u = Philox(seed; counter (step, stream + row, 0, 2)) (kernels/softmax_sample.wgsl).
 * logits: [..., n] -> i32 [...]
 */
export function sample(logits: Tensor, opts: SampleOptions): Tensor<'i32'> {
  const op = 'sample';
  const { rows, n, outShape } = rowsOf(op, logits);
  if (n === 0 && rows > 0) throw new WaveGpuError(op, `cannot sample from empty rows: logits ${fmtShape(logits.shape)}`);
  const temperature = opts.temperature ?? 1;
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new WaveGpuError(op, `temperature must be finite and >= 0 (0 = argmax), got ${temperature}`);
  const [seed_lo, seed_hi] = checkSeed(op, opts.seed);
  const stream0 = opts.stream ?? 0;
  if (!Number.isInteger(stream0) || stream0 < 0 || stream0 + rows > 4294967296) throw new WaveGpuError(op, `stream ${stream0} + ${rows} rows must stay within [0, 2^32)`);
  const step = opts.step ?? 0;
  let counter = logits;   // bound but unread when the step is a number
  if (typeof step !== 'number') {
    if (step.dtype !== 'u32' || step.size < 1) throw new WaveGpuError(op, `step counter must be a u32 tensor with at least one element, got ${step.dtype} ${fmtShape(step.shape)}; make one with createCounter()`);
    counter = step;
  } else if (!Number.isInteger(step) || step < 0 || step > 0xffffffff) {
    throw new WaveGpuError(op, `step must be an integer in [0, 2^32), got ${step}`);
  }
  const idx = logits.gpu.empty(outShape, 'i32', op);
  const cfg = rowConfig(rows, n);
  logits.gpu.dispatch({
    op, kernel: 'softmax_sample', entry: 'sample', overrides: cfg,
    uniforms: { sparams: { rows, n, seed_lo, seed_hi, step: typeof step === 'number' ? step : 0, use_counter: typeof step === 'number' ? 0 : 1, stream0, temperature } },
    buffers: { src: logits, idx, counter },
    workgroups: grid(rows, cfg.RPW),
  });
  return idx;
}

/** A u32 [1] step counter for sample(). */
export function createCounter(gpu: Gpu, start = 0): Tensor<'u32'> {
  return gpu.tensor(Uint32Array.of(start), [1], 'u32');
}

/** Records counter[0] += by (mod 2^32) as a dispatch, ordered after the work recorded before it. */
export function advanceCounter(counter: Tensor, by = 1): void {
  if (counter.dtype !== 'u32' || counter.size < 1) throw new WaveGpuError('advanceCounter', `expects a u32 counter tensor, got ${counter.dtype} ${fmtShape(counter.shape)}`);
  if (!Number.isInteger(by) || by < 0 || by > 0xffffffff) throw new WaveGpuError('advanceCounter', `increment must be an integer in [0, 2^32), got ${by}`);
  counter.gpu.dispatch({ op: 'advanceCounter', kernel: 'softmax_sample', entry: 'counter_add', uniforms: { cparams: { add: by, _pad0: 0, _pad1: 0, _pad2: 0 } }, buffers: { counter_rw: counter }, workgroups: [1] });
}

export interface NoiseOptions {
  /** Independent stream under the same seed (u32). Default 0. */
  stream?: number;
}

function noise(op: string, gpu: Gpu, shape: readonly number[], seed: number, offset: number, normal: boolean, a: number, b: number, stream: number): Tensor<'f32'> {
  const [seed_lo, seed_hi] = checkSeed(op, seed);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new WaveGpuError(op, `offset must be an integer in [0, 2^53), got ${offset}`);
  if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) throw new WaveGpuError(op, `stream must be an integer in [0, 2^32), got ${stream}`);
  const y = gpu.empty(shape, 'f32', op);
  const block = Math.floor(offset / 4), first = offset % 4;
  const threads = Math.ceil((y.size + first) / 4);
  gpu.dispatch({
    op, kernel: 'softmax_sample', entry: 'random', overrides: { WG },
    uniforms: { rparams: { n: y.size, seed_lo, seed_hi, stream, block_lo: block % 4294967296, block_hi: Math.floor(block / 4294967296), first, tag: normal ? TAG.normal : TAG.uniform, a, b, normal: normal ? 1 : 0, _pad: 0 } },
    buffers: { dst: y },
    workgroups: y.size === 0 ? [0] : grid(threads, WG),
  });
  return y;
}

/**
 * Uniform noise in [low, high): element i is element offset + i of the (seed, stream) sequence, so
 * consecutive chunks with growing offsets equal one long call. Default [0, 1), bit-exact with
 * noiseRef() in src/ref/softmax_sample.ts.
 */
export function randomUniform(gpu: Gpu, shape: readonly number[], seed: number, offset = 0, opts: NoiseOptions & { low?: number; high?: number } = {}): Tensor<'f32'> {
  return noise('randomUniform', gpu, shape, seed, offset, false, opts.low ?? 0, opts.high ?? 1, opts.stream ?? 0);
}

/** Normal noise (Box-Muller on Philox words), element offset + i of the sequence; mean/std default 0/1. */
export function randomNormal(gpu: Gpu, shape: readonly number[], seed: number, offset = 0, opts: NoiseOptions & { mean?: number; std?: number } = {}): Tensor<'f32'> {
  return noise('randomNormal', gpu, shape, seed, offset, true, opts.mean ?? 0, opts.std ?? 1, opts.stream ?? 0);
}
