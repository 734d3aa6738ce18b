/**
 * One autoregressive step of a WaveNet-autoencoder decoder (kernels/nsynth_step.wgsl): start conv
 * from the class history, dilated conv + conditioning + gate with a per-layer queue, residual/skip
 * 1x1s, the head, and the commit of a drawn class. Weights are packed once at load (transposed to
 * [Cin][Cout] vec4 rows) by the pack* helpers; the ops only check shapes and dispatch.
 * Channel counts (R, S, head widths, classes) must be multiples of 4.
 */
import { grid, type Gpu } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

const OP = 'nsynthStep';
const WG = 64, WG_SPLIT = 64;

/** A host-side weight in PyTorch Conv1d layout ([Cout, Cin, K]; 1x1s may drop the K). */
export interface HostArray { data: Float32Array; shape: readonly number[] }

export interface StepWeights { w: Tensor; b: Tensor; cin: number; cout: number; k: number }

function need4(what: string, n: number): void {
  if (n % 4 !== 0) throw new WaveGpuError(OP, `${what} = ${n} must be a multiple of 4 (the step kernels work on channel quads)`);
}

function convDims(name: string, w: HostArray, b: HostArray | undefined): [number, number, number] {
  const s = w.shape;
  if (s.length !== 3 && s.length !== 2) throw new WaveGpuError(OP, `${name} weight must be [Cout, Cin, K], got ${fmtShape(s)}`);
  const [cout, cin, k] = [s[0], s[1], s.length === 3 ? s[2] : 1];
  if (w.data.length !== cout * cin * k) throw new WaveGpuError(OP, `${name} weight holds ${w.data.length} values, not ${fmtShape(s)}`);
  if (b && (b.data.length !== cout)) throw new WaveGpuError(OP, `${name} bias has ${b.data.length} values, expected ${cout}`);
  return [cout, cin, k];
}

/** [Cout, Cin, K] -> [K][Cin][Cout] (row (k, i) holds every output channel of tap k, input i). */
function transposeConv(w: HostArray, cout: number, cin: number, k: number): Float32Array {
  const out = new Float32Array(k * cin * cout);
  for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) for (let j = 0; j < k; j++) out[(j * cin + i) * cout + o] = w.data[(o * cin + i) * k + j];
  return out;
}

/** Packs a conv (any K) for the step kernels: w [Cout, Cin, K] -> [K][Cin][Cout], b [Cout]. */
export function packConv(gpu: Gpu, name: string, w: HostArray, b?: HostArray): StepWeights {
  const [cout, cin, k] = convDims(name, w, b);
  need4(`${name} output channels`, cout);
  return { w: gpu.tensor(transposeConv(w, cout, cin, k)), b: gpu.tensor(b ? b.data : new Float32Array(cout)), cin, cout, k };
}

/** Residual and skip 1x1s of one layer as one [D][R + S] matrix (residual rows first). */
export function packMix(gpu: Gpu, wr: HostArray, br: HostArray | undefined, ws: HostArray, bs: HostArray | undefined): StepWeights {
  const [r, d] = convDims('residual', wr, br), [s, ds] = convDims('skip', ws, bs);
  if (ds !== d) throw new WaveGpuError(OP, `residual ${fmtShape(wr.shape)} and skip ${fmtShape(ws.shape)} 1x1s must read the same ${d} channels`);
  need4('residual channels', r);
  need4('skip channels', s);
  const w = new Float32Array(d * (r + s)), b = new Float32Array(r + s);
  for (let i = 0; i < d; i++) {
    for (let o = 0; o < r; o++) w[i * (r + s) + o] = wr.data[o * d + i];
    for (let j = 0; j < s; j++) w[i * (r + s) + r + j] = ws.data[j * d + i];
  }
  if (br) b.set(br.data, 0);
  if (bs) b.set(bs.data, r);
  return { w: gpu.tensor(w), b: gpu.tensor(b), cin: d, cout: r + s, k: 1 };
}

/** The generation state shared by every step op. */
export interface StepState {
  /** u32 [1]: the step t (a softmax_sample counter). */
  state: Tensor<'u32'>;
  /** u32 [B, N]: classes; codes[b, 0] is the first input. */
  codes: Tensor<'u32'>;
}

/** Frame-major conditioning [B, F, Ctot] for a step (channel offset, samples per frame). */
export interface StepCond { c: Tensor; offset: number; hop: number }


export function disposeStepWeights(w: StepWeights): void {
  w.w.dispose();
  w.b.dispose();
}

function vec(what: string, t: Tensor, b: number, n: number): void {
  if (t.dtype !== 'f32' || t.size !== b * n) throw new WaveGpuError(OP, `${what} is ${fmtShape(t.shape)} ${t.dtype}, expected f32 [${b}, ${n}]`);
}

function condUniforms(cond: StepCond | null, rows: number, b: number): Record<string, number> {
  if (!cond) return { has_cond: 0, hop: 1, frames: 1, ctq: 0, c_offq: 0 };
  const c = cond.c;
  if (c.rank !== 3 || c.shape[0] !== b || c.shape[2] % 4 || cond.offset % 4 || cond.offset + rows > c.shape[2]) {
    throw new WaveGpuError(OP, `step cond ${fmtShape(c.shape)} at channel ${cond.offset} cannot give ${rows} channels to ${b} streams; expected [${b}, F, Ctot] with Ctot and the offset multiples of 4`);
  }
  if (!Number.isInteger(cond.hop) || cond.hop < 1) throw new WaveGpuError(OP, `hop must be a positive integer, got ${cond.hop}`);
  return { has_cond: 1, hop: cond.hop, frames: c.shape[1], ctq: c.shape[2] / 4, c_offq: cond.offset / 4 };
}

/** Threads sharing one quad's reduction: 1 (plain entries) or a divisor of 64 (split entries). */
export function checkSplit(split: number): number {
  if (![1, 2, 4, 8, 16, 32, 64].includes(split)) throw new WaveGpuError(OP, `split must be 1, 2, 4, 8, 16, 32 or 64, got ${split}`);
  return split;
}

/** The split a device wants: 1 on a CPU adapter (SwiftShader), 8 on a GPU. */
export function defaultSplit(gpu: Gpu): number {
  const i = gpu.adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const name = `${i.vendor} ${i.architecture} ${i.device} ${i.description} ${gpu.source}`.toLowerCase();
  return i.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|cpu/.test(name) ? 1 : 8;
}

/**
 * Dispatch shape for `quads` outputs per stream: plain (thread per quad) or split. Plain entries
 * shrink the workgroup for narrow layers so a CPU device still gets a few workgroups to spread
 * over its cores (SwiftShader runs one workgroup per thread).
 */
function layoutFor(b: number, quads: number, split: number): { entry: 'plain' | 'split'; groups: number; workgroups: [number, number, number]; overrides: Record<string, number> } {
  if (split === 1) {
    const wg = b * quads <= 64 ? 16 : b * quads <= 256 ? 32 : WG;
    return { entry: 'plain', groups: 0, workgroups: grid(b * quads, wg), overrides: { WG: wg } };
  }
  const groups = Math.ceil(quads / (WG_SPLIT / split));
  return { entry: 'split', groups, workgroups: grid(b * groups, 1), overrides: { SPLIT: split } };
}

/** h0 [B, R] = start conv over the last Ks input values table[codes] (zeros before the start). table: [classes] */
export function embedStep(g: StepState, w: StepWeights, h0: Tensor, table: Tensor): void {
  const [b, total] = g.codes.shape;
  if (w.cin !== 1) throw new WaveGpuError(OP, `the start conv must read 1 input channel, got ${w.cin}`);
  vec('h0', h0, b, w.cout);
  if (table.dtype !== 'f32' || table.rank !== 1) throw new WaveGpuError(OP, `input table is ${fmtShape(table.shape)} ${table.dtype}, expected f32 [classes]`);
  g.state.gpu.dispatch({
    op: 'embedStep', kernel: 'nsynth_step', entry: 'embed', overrides: { WG },
    uniforms: { eparams: { batch: b, rq: w.cout / 4, ks: w.k, total, classes: table.size, _p0: 0, _p1: 0, _p2: 0 } },
    buffers: { state: g.state, codes: g.codes, ew: w.w, eb: w.b, h0, etab: table },
    workgroups: grid(b * (w.cout / 4), WG),
  });
}

export interface DilStepOptions {
  dilation: number;
  /** [B, Q, R] ring, Q = (K - 1) * dilation + 1, zeroed at the start (causal zero padding). */
  queue: Tensor;
  cond: StepCond | null;
  split: number;
}

/** act [B, R] = sigmoid(z[:R]) * tanh(z[R:]), z = dilated conv of (queue, h) + bias + cond; pushes h. */
export function dilStep(g: StepState, h: Tensor, w: StepWeights, act: Tensor, o: DilStepOptions): void {
  const r = w.cin, b = g.codes.shape[0];
  if (w.cout !== 2 * r) throw new WaveGpuError(OP, `dilated conv must map R channels to 2R, got ${w.cin} -> ${w.cout}`);
  need4('residual channels', r);
  vec('h', h, b, r);
  vec('act', act, b, r);
  const qLen = (w.k - 1) * o.dilation + 1;
  if (!Number.isInteger(o.dilation) || o.dilation < 1) throw new WaveGpuError(OP, `dilation must be a positive integer, got ${o.dilation}`);
  if (o.queue.rank !== 3 || o.queue.shape[0] !== b || o.queue.shape[1] !== qLen || o.queue.shape[2] !== r) {
    throw new WaveGpuError(OP, `queue is ${fmtShape(o.queue.shape)}, expected [${b}, ${qLen}, ${r}] for kernel ${w.k}, dilation ${o.dilation}`);
  }
  const lay = layoutFor(b, r / 4, checkSplit(o.split));
  g.state.gpu.dispatch({
    op: 'dilStep', kernel: 'nsynth_step', entry: lay.entry === 'plain' ? 'dil' : 'dil_split', overrides: lay.overrides,
    uniforms: { dparams: { batch: b, r, rq: r / 4, k: w.k, dil: o.dilation, q_len: qLen, groups: lay.groups, ...condUniforms(o.cond, 2 * r, b) } },
    buffers: { state: g.state, h, queue: o.queue, dw: w.w, db: w.b, dcond: o.cond?.c ?? w.b, act },
    workgroups: lay.workgroups,
  });
}

export interface MixStepOptions {
  /** [B, R] next-layer input = hIn + residual rows (omit both for a skip-only 1x1, e.g. skip_start). */
  hIn?: Tensor;
  hOut?: Tensor;
  /** Skip accumulator [B, S]. */
  skip: Tensor;
  skipInit: boolean;
  /** Residual channels R of the packed matrix (0 for a skip-only one). */
  residual: number;
  split: number;
}

/** hOut = hIn + Wr x + br (when given), skip (+)= Ws x + bs. x: [B, D] */
export function mixStep(x: Tensor, w: StepWeights, o: MixStepOptions): void {
  const b = o.skip.shape[0], r = o.residual, s = w.cout - r;
  vec('x', x, b, w.cin);
  vec('skip', o.skip, b, s);
  if (!!o.hIn !== !!o.hOut) throw new WaveGpuError(OP, 'give both hIn and hOut, or neither');
  if (o.hIn && o.hOut) { vec('hIn', o.hIn, b, r); vec('hOut', o.hOut, b, r); }
  const first = o.hIn ? 0 : r / 4;
  const lay = layoutFor(b, (r + s) / 4 - first, checkSplit(o.split));
  const gpu = x.gpu;
  gpu.scope(() => {
    const hIn = o.hIn ?? gpu.empty([4]), hOut = o.hOut ?? gpu.empty([4]);
    gpu.dispatch({
      op: 'mixStep', kernel: 'nsynth_step', entry: lay.entry === 'plain' ? 'mix' : 'mix_split', overrides: lay.overrides,
      uniforms: { mparams: { batch: b, din: w.cin, rq: r / 4, sq: s / 4, o_first: first, groups: lay.groups, skip_init: o.skipInit ? 1 : 0, _p0: 0 } },
      buffers: { mx: x, mw: w.w, mb: w.b, h_in: hIn, h_out: hOut, skip: o.skip },
      workgroups: lay.workgroups,
    });
  });
}

export interface DenseStepOptions { preRelu?: boolean; postRelu?: boolean; cond?: StepCond | null; split: number }

/** y [B, O] = post(W pre(x) + b + cond(t / hop)). x: [B, I] */
export function denseStep(g: StepState, x: Tensor, w: StepWeights, y: Tensor, o: DenseStepOptions): void {
  const b = g.codes.shape[0];
  if (w.k !== 1) throw new WaveGpuError(OP, `dense step needs a 1x1 weight, got kernel ${w.k}`);
  vec('x', x, b, w.cin);
  vec('y', y, b, w.cout);
  const lay = layoutFor(b, w.cout / 4, checkSplit(o.split));
  g.state.gpu.dispatch({
    op: 'denseStep', kernel: 'nsynth_step', entry: lay.entry === 'plain' ? 'dense' : 'dense_split', overrides: lay.overrides,
    uniforms: { hparams: { batch: b, din: w.cin, doq: w.cout / 4, groups: lay.groups, pre_relu: o.preRelu ? 1 : 0, post_relu: o.postRelu ? 1 : 0, ...condUniforms(o.cond ?? null, w.cout, b), _p0: 0 } },
    buffers: { state: g.state, hx: x, hw: w.w, hb: w.b, hcond: o.cond?.c ?? w.b, hy: y },
    workgroups: lay.workgroups,
  });
}

/** codes[:, t + 1] = drawn (i32 [B], from softmax_sample's sample) while t + 1 < N. */
export function commitStep(g: StepState, drawn: Tensor): void {
  const [b, total] = g.codes.shape;
  if (drawn.dtype !== 'i32' || drawn.size !== b) throw new WaveGpuError(OP, `drawn is ${fmtShape(drawn.shape)} ${drawn.dtype}, expected i32 [${b}]`);
  g.state.gpu.dispatch({
    op: 'commitStep', kernel: 'nsynth_step', entry: 'commit', overrides: { WG },
    uniforms: { cparams: { batch: b, total, _p0: 0, _p1: 0 } },
    buffers: { state: g.state, drawn, codes_rw: g.codes },
    workgroups: [Math.ceil(b / WG), 1, 1],
  });
}
