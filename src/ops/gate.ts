/**
 * The fused WaveNet residual layer (kernels/gate.wgsl): dilated conv -> optional conditioning ->
 * tanh(a) * sigmoid(b) (or tanh alone) -> 1x1 residual conv added to the input, and a 1x1 skip
 * conv (or the activation itself) accumulated into a skip buffer. One dispatch per layer: the
 * activations stay in the thread (D <= 64) or in workgroup memory (wider layers) between the
 * dilated conv and the two 1x1s; kernels/gate.wgsl lists the versions and why.
 *
 *   gate(x, w, opts)        whole sequences, valid convolution: [B, R, T] -> [B, R, T - (K-1)*dil]
 *   gateRing(w, spec)       the same on ring buffers (streaming with history kept in place)
 *   gateStep(h, w, opts)    one time step per stream with a per-layer queue (fast generation)
 *
 * Parameters are packed into one f32 buffer (packGates) and addressed by offsets.
 */
import { grid } from '../runtime/gpu.js';
import type { Gpu } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

const OP = 'gate';
const NONE = 0xffffffff;
/** Workgroup activation tile of kernels/gate.wgsl (vec4s of 4 steps) and the step kernel's (4 channels each). */
const ACT_VEC4 = 128, MAX_TB = 4, STEP_ACT_VEC4 = 64, MAX_D = 64;
const WG = 64;
/** The step kernel's workgroup: one stream per workgroup, 4 channels per thread, so 16 threads keep a 64-channel layer busy (SwiftShader runs idle invocations through every phase too). */
const STEP_WG = 16;

/** A host-side array with its shape (a state-dict entry). */
export interface HostTensor { data: Float32Array; shape: readonly number[] }

export type SkipMode = 'conv' | 'identity' | 'none';

/** One layer's parameters, in PyTorch Conv1d layouts. M = 2D when gated, else D. */
export interface GateParts {
  wd: HostTensor;        // dilated conv weight [M, R, K]
  bd?: HostTensor;       // [M]
  wc?: HostTensor;       // conditioning 1x1 [M, Ccond] or [M, Ccond, 1]
  wr?: HostTensor;       // residual 1x1 [R, D] or [R, D, 1]; absent: the layer has no residual output
  br?: HostTensor;       // [R]
  ws?: HostTensor;       // skip 1x1 [S, D] or [S, D, 1]
  bs?: HostTensor;       // [S]
  gated?: boolean;       // default true
  skip?: SkipMode;       // default 'conv' when ws is given, else 'none'
}

export interface GateLayout {
  r: number; d: number; s: number; k: number; cCond: number; gated: boolean; hasRes: boolean; skipMode: SkipMode;
  /** D, R (0 without residual) and S (0 unless a skip conv) rounded up to multiples of 4. */
  dp: number; rp: number; sp: number;
  /** Offsets into the packed buffer in vec4 units (NONE when absent); see kernels/gate.wgsl. */
  o_wd: number; o_bd: number; o_wc: number; o_w2: number; o_b2: number;
}

export interface GateWeights { w: Tensor; layout: GateLayout }

const SKIP_CODE: Record<SkipMode, number> = { none: 0, conv: 1, identity: 2 };
const up4 = (n: number) => Math.ceil(n / 4) * 4;

function expectShape(name: string, t: HostTensor | undefined, want: number[], allowTrailing1 = false): void {
  if (!t) return;
  const s = allowTrailing1 && t.shape.length === want.length + 1 && t.shape[want.length] === 1 ? t.shape.slice(0, -1) : t.shape;
  if (s.length !== want.length || s.some((d, i) => d !== want[i]) || t.data.length !== want.reduce((a, b) => a * b, 1)) {
    throw new WaveGpuError(OP, `${name} has shape ${fmtShape(t.shape)}, expected ${fmtShape(want)} (from the dilated conv weight and gating)`);
  }
}

type Dims = Omit<GateLayout, `o_${string}`>;

function dimsOf(p: GateParts): Dims {
  if (p.wd.shape.length !== 3) throw new WaveGpuError(OP, `dilated conv weight wd must be [M, R, K], got ${fmtShape(p.wd.shape)}`);
  const [m, r, k] = p.wd.shape;
  const gated = p.gated ?? true;
  if (gated && m % 2) throw new WaveGpuError(OP, `gated layer needs an even number of conv outputs (2*D), got wd ${fmtShape(p.wd.shape)}`);
  const d = gated ? m / 2 : m;
  const skipMode: SkipMode = p.skip ?? (p.ws ? 'conv' : 'none');
  if (skipMode === 'conv' && !p.ws) throw new WaveGpuError(OP, `skip mode 'conv' needs a skip weight ws [S, ${d}]`);
  const s = skipMode === 'conv' ? p.ws!.shape[0] : skipMode === 'identity' ? d : 0;
  const cCond = p.wc ? p.wc.shape[1] : 0;
  expectShape('bd', p.bd, [m]);
  expectShape('wc', p.wc, [m, cCond], true);
  expectShape('wr', p.wr, [r, d], true);
  expectShape('br', p.br, [r]);
  if (skipMode === 'conv') { expectShape('ws', p.ws, [s, d], true); expectShape('bs', p.bs, [s]); }
  if (p.br && !p.wr) throw new WaveGpuError(OP, 'residual bias br given without a residual weight wr');
  const hasRes = !!p.wr;
  return { r, d, s, k, cCond, gated, hasRes, skipMode, dp: up4(d), rp: hasRes ? up4(r) : 0, sp: skipMode === 'conv' ? up4(s) : 0 };
}

/** Packed column of conv output row m: filter rows at 0..D, gate rows at Dp..Dp+D. */
const colOf = (l: Dims, m: number) => (m < l.d ? m : l.dp + m - l.d);

/** The layer's parameters in the kernel's transposed, padded layout (see kernels/gate.wgsl). */
function packLayer(p: GateParts, l: Dims): Record<'wd' | 'bd' | 'wc' | 'w2' | 'b2', Float32Array | null> {
  const M = l.gated ? 2 * l.d : l.d, Mp = l.gated ? 2 * l.dp : l.dp, Op = l.rp + l.sp;
  const wd = new Float32Array(l.r * l.k * Mp);
  for (let m = 0; m < M; m++) for (let r = 0; r < l.r; r++) for (let k = 0; k < l.k; k++) wd[(r * l.k + k) * Mp + colOf(l, m)] = p.wd.data[(m * l.r + r) * l.k + k];
  const col = (src: HostTensor | undefined, rows: number) => {
    if (!src) return null;
    const out = new Float32Array(rows * Mp);
    for (let m = 0; m < M; m++) for (let c = 0; c < rows; c++) out[c * Mp + colOf(l, m)] = src.data[m * rows + c];
    return out;
  };
  let w2: Float32Array | null = null, b2: Float32Array | null = null;
  if (Op) {
    w2 = new Float32Array(l.d * Op);
    for (let i = 0; i < l.d; i++) {
      for (let o = 0; o < l.r && l.rp; o++) w2[i * Op + o] = p.wr!.data[o * l.d + i];
      for (let j = 0; j < l.s && l.sp; j++) w2[i * Op + l.rp + j] = p.ws!.data[j * l.d + i];
    }
    if ((p.br && l.rp) || (p.bs && l.sp)) {
      b2 = new Float32Array(Op);
      if (p.br && l.rp) b2.set(p.br.data, 0);
      if (p.bs && l.sp) b2.set(p.bs.data, l.rp);
    }
  }
  return { wd, bd: col(p.bd, 1), wc: col(p.wc, l.cCond), w2, b2 };
}

/** Packs several layers into one buffer; offsets in each layout are absolute (vec4 units). */
export function packGates(layers: GateParts[]): { data: Float32Array; layouts: GateLayout[] } {
  const chunks: Float32Array[] = [];
  let size = 0;
  const put = (t: Float32Array | null): number => {
    if (!t || !t.length) return NONE;
    chunks.push(t);
    size += t.length;             // every segment is a multiple of 4 floats
    return (size - t.length) / 4;
  };
  const layouts = layers.map((p) => {
    const dims = dimsOf(p);
    const q = packLayer(p, dims);
    return { ...dims, o_wd: put(q.wd), o_bd: put(q.bd), o_wc: put(q.wc), o_w2: put(q.w2), o_b2: put(q.b2) };
  });
  const data = new Float32Array(Math.max(size, 4));
  let at = 0;
  for (const c of chunks) { data.set(c, at); at += c.length; }
  return { data, layouts };
}

/** Uploads one layer's parameters. */
export function gateWeights(gpu: Gpu, parts: GateParts): GateWeights {
  const { data, layouts } = packGates([parts]);
  return { w: gpu.tensor(data), layout: layouts[0] };
}

function layoutUniforms(l: GateLayout) {
  return {
    r: l.r, d: l.d, s: l.s, dp: l.dp, rp: l.rp, sp: l.sp, k: l.k, gated: +l.gated, skip_mode: SKIP_CODE[l.skipMode], c_cond: l.cCond,
    o_wd: l.o_wd, o_bd: l.o_bd, o_wc: l.o_wc, o_w2: l.o_w2, o_b2: l.o_b2,
  };
}

function checkDilation(dil: number): void {
  if (!Number.isInteger(dil) || dil < 1) throw new WaveGpuError(OP, `dilation must be a positive integer, got ${dil}`);
}

/** A stand-in for an unused writable binding (never touched by the kernel; owned by the caller's scope or recording). */
function dummy(gpu: Gpu): Tensor {
  return gpu.empty([1], 'f32', OP);
}

/** Conditioning tensor -> (len, tstride); local [B, C, T] or global [B, C]. */
function condView(cond: Tensor | undefined, b: number, l: GateLayout): { len: number; tstride: number; steps: number } {
  if (!l.cCond) {
    if (cond) throw new WaveGpuError(OP, `a conditioning input ${fmtShape(cond.shape)} was given but the layer has no conditioning weight wc`);
    return { len: 1, tstride: 0, steps: Infinity };
  }
  if (!cond) throw new WaveGpuError(OP, `the layer has a conditioning weight for ${l.cCond} channels; pass cond [B, ${l.cCond}, T] or [B, ${l.cCond}]`);
  if (cond.dtype !== 'f32' || cond.shape[0] !== b || cond.shape[1] !== l.cCond || (cond.rank !== 2 && cond.rank !== 3)) {
    throw new WaveGpuError(OP, `cond is ${fmtShape(cond.shape)} ${cond.dtype}, expected f32 [${b}, ${l.cCond}, T] (local) or [${b}, ${l.cCond}] (global)`);
  }
  return cond.rank === 3 ? { len: cond.shape[2], tstride: 1, steps: cond.shape[2] } : { len: 1, tstride: 0, steps: Infinity };
}

/** Ring descriptor: logical step 0 lives at column `start` of a [B, C, len] tensor. */
export interface RingView { t: Tensor; start: number }

export interface GateRingSpec {
  x: RingView;          // layer input ring [B, R, Lx]; output step t reads steps t .. t + (K-1)*dil
  y?: RingView;         // next-layer input ring [B, R, Ly] (required when the layer has a residual)
  n: number;            // output steps
  dilation: number;
  skip?: Tensor;        // [B, S, Tskip]; output step t lands in column t - skipOffset (dropped if < 0)
  skipOffset?: number;
  skipInit?: boolean;   // write instead of accumulate
  cond?: Tensor;        // local [B, Ccond, Tc] (column t + condOffset) or global [B, Ccond]
  condOffset?: number;
}

function checkRing(name: string, v: RingView, b: number, c: number, need: number): void {
  const { t, start } = v;
  if (t.dtype !== 'f32' || t.rank !== 3 || t.shape[0] !== b || t.shape[1] !== c) {
    throw new WaveGpuError(OP, `${name} is ${fmtShape(t.shape)} ${t.dtype}, expected f32 [${b}, ${c}, L]`);
  }
  if (!Number.isInteger(start) || start < 0 || start >= Math.max(1, t.shape[2]) || need > t.shape[2]) {
    throw new WaveGpuError(OP, `${name} ring ${fmtShape(t.shape)} with start ${start} cannot hold the ${need} steps this call touches; make it at least ${need} long`);
  }
}

/** vec4 time blocks per workgroup: the activation tile [Dp, 4*tb] must fit the kernel's array. */
function tileSteps(l: GateLayout, n: number): number {
  const tb = Math.min(MAX_TB, Math.floor(ACT_VEC4 / l.dp), Math.ceil(n / 4));
  if (tb < 1) throw new WaveGpuError(OP, `layer too wide for one workgroup tile: D = ${l.d} (max ${ACT_VEC4})`);
  return tb;
}

/** One fused layer over ring buffers (the general form behind gate()). */
export function gateRing(w: GateWeights, spec: GateRingSpec): void {
  const l = w.layout, { x, n, dilation } = spec;
  checkDilation(dilation);
  const b = x.t.shape[0];
  if (!Number.isInteger(n) || n < 0) throw new WaveGpuError(OP, `output steps n must be a non-negative integer, got ${n}`);
  const span = n + (l.k - 1) * dilation;
  checkRing('x', x, b, l.r, span);
  if (l.hasRes) {
    if (!spec.y) throw new WaveGpuError(OP, 'the layer has a residual weight; pass y, the next-layer input ring');
    checkRing('y', spec.y, b, l.r, n);
  }
  const skipOff = spec.skipOffset ?? 0;
  if (l.skipMode !== 'none') {
    const sk = spec.skip;
    if (!sk || sk.dtype !== 'f32' || sk.rank !== 3 || sk.shape[0] !== b || sk.shape[1] !== l.s || n - skipOff > sk.shape[2] || skipOff < 0) {
      throw new WaveGpuError(OP, `skip is ${sk ? fmtShape(sk.shape) : 'missing'}, expected f32 [${b}, ${l.s}, >= ${n - skipOff}] (skip offset ${skipOff})`);
    }
  }
  const cv = condView(spec.cond, b, l);
  const condOff = spec.condOffset ?? 0;
  if (cv.tstride && (condOff < 0 || condOff + n > cv.steps)) throw new WaveGpuError(OP, `local cond ${fmtShape(spec.cond!.shape)} at offset ${condOff} does not cover ${n} steps`);
  if (n === 0 || b === 0) return;
  // Version 3 (thread = 4 steps x all channels) up to MAX_D channels, the workgroup-tile version above.
  const wide = l.dp > MAX_D;
  const tb = wide ? tileSteps(l, n) : 1, tiles = Math.ceil(n / (4 * tb));
  const gpu = x.t.gpu;
  gpu.scope(() => {
    const spare = !spec.y || !spec.skip ? dummy(gpu) : null;
    gpu.dispatch({
      op: OP, kernel: 'gate', entry: wide ? 'main_wide' : 'main', overrides: { WG },
      uniforms: { params: {
        ...layoutUniforms(l), batch: b, dil: dilation, t_out: n, tb, tiles, skip_acc: spec.skipInit ? 0 : 1,
        x_len: x.t.shape[2], x_start: x.start, y_len: spec.y ? spec.y.t.shape[2] : 1, y_start: spec.y?.start ?? 0,
        skip_len: spec.skip ? spec.skip.shape[2] : 1, skip_off: skipOff, cond_len: cv.len, cond_tstride: cv.tstride, cond_off: condOff,
        _p0: 0, _p1: 0,
      } },
      buffers: { x: x.t, w: w.w, cond: spec.cond ?? w.w, y: spec.y?.t ?? spare!, skip: spec.skip ?? spare! },
      workgroups: wide ? grid(b * tiles, 1) : grid(b * Math.ceil(n / 4), WG),
    });
  });
}

export interface GateOptions {
  dilation: number;
  skip?: Tensor;        // [B, S, Tskip], aligned to the last Tskip output steps; accumulated
  skipInit?: boolean;   // first layer: write the skip instead of adding to it
  cond?: Tensor;        // local [B, Ccond, Tc] aligned to the end of the output, or global [B, Ccond]
}

/** Valid dilated layer over whole sequences: x [B, R, T] -> next input [B, R, T - (K-1)*dil] (null without residual). */
export function gate(x: Tensor, w: GateWeights, opts: GateOptions): Tensor | null {
  const l = w.layout;
  checkDilation(opts.dilation);
  if (x.dtype !== 'f32' || x.rank !== 3 || x.shape[1] !== l.r) throw new WaveGpuError(OP, `x is ${fmtShape(x.shape)} ${x.dtype}, expected f32 [B, ${l.r}, T]`);
  const [b, , t] = x.shape;
  const n = t - (l.k - 1) * opts.dilation;
  if (n < 1) throw new WaveGpuError(OP, `input of ${t} steps is shorter than the layer's receptive field ${(l.k - 1) * opts.dilation + 1} (kernel ${l.k}, dilation ${opts.dilation})`);
  const y = l.hasRes ? x.gpu.empty([b, l.r, n], 'f32', OP) : null;
  const skipOffset = opts.skip ? n - opts.skip.shape[2] : 0;
  if (skipOffset < 0) throw new WaveGpuError(OP, `skip ${fmtShape(opts.skip!.shape)} is longer than the layer output of ${n} steps`);
  const condOffset = opts.cond && opts.cond.rank === 3 ? opts.cond.shape[2] - n : 0;
  if (condOffset < 0) throw new WaveGpuError(OP, `local cond ${fmtShape(opts.cond!.shape)} is shorter than the layer output of ${n} steps`);
  gateRing(w, { x: { t: x, start: 0 }, y: y ? { t: y, start: 0 } : undefined, n, dilation: opts.dilation, skip: opts.skip, skipOffset, skipInit: opts.skipInit, cond: opts.cond, condOffset });
  return y;
}

// ---- one time step -----------------------------------------------------------------------------

/** Queue slots a layer needs: its (K-1)*dil past inputs plus the slot being written. */
export function queueLength(l: GateLayout, dilation: number): number {
  return (l.k - 1) * dilation + 1;
}

/** A zeroed queue [B, R, (K-1)*dil + 1] for gateStep. */
export function gateQueue(gpu: Gpu, batch: number, w: GateWeights, dilation: number): Tensor {
  checkDilation(dilation);
  return gpu.zeros([batch, w.layout.r, queueLength(w.layout, dilation)]);
}

export interface GateStepOptions {
  dilation: number;
  queue: Tensor;        // [B, R, (K-1)*dil + 1], this layer's past inputs (ring indexed by the step)
  state: Tensor;        // u32 [>= 1]: state[0] = step counter t (read on the GPU, so a recording can replay)
  out?: Tensor;         // [B, R] next-layer input (allocated when absent)
  skip?: Tensor;        // [B, S], accumulated
  skipInit?: boolean;
  cond?: Tensor;        // local [B, Ccond, Tc] (column t + condOffset) or global [B, Ccond]
  condOffset?: number;
  fill?: boolean;       // treat every past input as h(t) and fill the whole queue with it (steady state)
}

/** One time step of the layer for B streams: h(t) [B, R] -> h_next(t) [B, R] (null without residual). */
export function gateStep(h: Tensor, w: GateWeights, opts: GateStepOptions): Tensor | null {
  const l = w.layout, gpu = h.gpu;
  checkDilation(opts.dilation);
  if (h.dtype !== 'f32' || h.rank !== 2 || h.shape[1] !== l.r) throw new WaveGpuError(OP, `h is ${fmtShape(h.shape)} ${h.dtype}, expected f32 [B, ${l.r}]`);
  const b = h.shape[0], q = queueLength(l, opts.dilation);
  const qs = opts.queue.shape;
  if (opts.queue.rank !== 3 || qs[0] !== b || qs[1] !== l.r || qs[2] !== q) throw new WaveGpuError(OP, `queue is ${fmtShape(qs)}, expected [${b}, ${l.r}, ${q}] (gateQueue makes one)`);
  if (opts.state.dtype !== 'u32' || opts.state.size < 1) throw new WaveGpuError(OP, `state must be a u32 tensor holding the step counter, got ${fmtShape(opts.state.shape)} ${opts.state.dtype}`);
  if (l.dp > 4 * STEP_ACT_VEC4) throw new WaveGpuError(OP, `layer too wide for the step kernel: D = ${l.d} (max ${4 * STEP_ACT_VEC4})`);
  if (l.skipMode !== 'none' && (!opts.skip || opts.skip.rank !== 2 || opts.skip.shape[0] !== b || opts.skip.shape[1] !== l.s)) {
    throw new WaveGpuError(OP, `skip is ${opts.skip ? fmtShape(opts.skip.shape) : 'missing'}, expected [${b}, ${l.s}]`);
  }
  const out = l.hasRes ? opts.out ?? gpu.empty([b, l.r], 'f32', OP) : null;
  if (out && (out.rank !== 2 || out.shape[0] !== b || out.shape[1] !== l.r || out === h)) throw new WaveGpuError(OP, `out is ${fmtShape(out.shape)}, expected a tensor [${b}, ${l.r}] other than h`);
  const cv = condView(opts.cond, b, l);
  gpu.scope(() => {
    const spare = !out || !opts.skip ? dummy(gpu) : null;
    gpu.dispatch({
      op: OP, kernel: 'gate', entry: 'step', overrides: { WG: STEP_WG },
      uniforms: { sparams: {
        ...layoutUniforms(l), batch: b, dil: opts.dilation, q_len: q, skip_acc: opts.skipInit ? 0 : 1, fill: opts.fill ? 1 : 0,
        cond_len: cv.len, cond_tstride: cv.tstride, cond_off: opts.condOffset ?? 0, _p0: 0,
      } },
      buffers: { h, queue: opts.queue, state: opts.state, sw: w.w, scond: opts.cond ?? w.w, h_out: out ?? spare!, sskip: opts.skip ?? spare! },
      workgroups: grid(b, 1),
    });
  });
  return out;
}
