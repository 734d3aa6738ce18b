/**
 * mu-law quantisation on the GPU (kernels/mulaw.wgsl): audio -> classes, classes -> audio,
 * classes -> companded value (the input form of pytorch-wavenet) and classes -> one-hot.
 *
 * The quantiser is defined in float64 (see src/ref/mulaw.ts for the formulas). A `MuLaw` object
 * turns it into tables once, on the CPU: the class boundaries as f32 thresholds (the smallest
 * f32 input of each class) and a value per class. The kernels then only compare and gather, so
 * GPU classes equal the float64 definition exactly, on any GPU. Construct it once (like weights:
 * outside a scope or record()) and dispose() it when done.
 */
import { grid, type Gpu } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

const WG = 256;

export type MuLawScheme = 'round' | 'floor' | 'linspace';

export interface MuLawSpec {
  /** Number of classes (256 for WaveNet/NSynth, 128 for the pytorch-wavenet checkpoints). */
  classes: number;
  /** Companding constant: classes - 1 for 'round' and 'floor', classes for pytorch-wavenet's 'linspace'. */
  mu: number;
  /**
   * 'round': q = floor((y+1)/2*mu + 0.5) (WaveNet, torchaudio). 'floor': q = floor(y*C/2) + C/2
   * (NSynth). 'linspace': q = digitize(y, linspace(-1,1,C)) - 1 (pytorch-wavenet). See src/ref/mulaw.ts.
   */
  scheme: MuLawScheme;
}

/** WaveNet (ibab/tensorflow-wavenet) / torchaudio: 256 classes, mu = 255, rounding. */
export const MULAW_256: MuLawSpec = { classes: 256, mu: 255, scheme: 'round' };
/** NSynth (magenta): 256 classes, mu = 255, floor(128 y) + 128; model input (q - 128) / 128. */
export const MULAW_NSYNTH: MuLawSpec = { classes: 256, mu: 255, scheme: 'floor' };
/** pytorch-wavenet (vincentherrmann): mu = classes = 128, bins = linspace(-1, 1, 128), input bins[q]. */
export const MULAW_PYTORCH_WAVENET: MuLawSpec = { classes: 128, mu: 128, scheme: 'linspace' };

export interface MuLawTables {
  /** [classes - 1] ascending: thresholds[j] is the smallest f32 input of class j + 1. */
  thresholds: Float32Array;
  /** [classes] companded value of each class (model input form). */
  companded: Float32Array;
  /** [classes] decoded audio value of each class. */
  decoded: Float32Array;
}

const F32 = new Float32Array(1), I32 = new Int32Array(F32.buffer);

/** Order-preserving integer key of an f32 (+0 and -0 share key 0), and its inverse (as in the kernel). */
function keyOf(f: number): number {
  F32[0] = f;
  return I32[0] < 0 ? -(I32[0] & 0x7fffffff) : I32[0];
}
function fromKey(k: number): number {
  I32[0] = k < 0 ? (-k | 0x80000000) : k;
  return F32[0];
}

/**
 * The smallest f32 x with pred(x), pred monotone (false then true), starting near `guess`:
 * widen a bracket of keys geometrically, then bisect (float64 rounding can move a boundary far
 * from its analytic place near 0, where f32 values are dense).
 */
function firstTrueF32(pred: (x: number) => boolean, guess: number): number {
  let k = keyOf(Math.fround(guess)), step = 1;
  let lo: number, hi: number;
  if (pred(fromKey(k))) {
    hi = k;
    for (lo = k - step; pred(fromKey(lo)); lo = hi - step) { hi = lo; step *= 2; }
  } else {
    lo = k;
    for (hi = k + step; !pred(fromKey(hi)); hi = lo + step) { lo = hi; step *= 2; }
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (pred(fromKey(mid))) hi = mid; else lo = mid;
  }
  return fromKey(hi);
}

function checkSpec(spec: MuLawSpec): void {
  const { classes, mu, scheme } = spec;
  if (scheme !== 'round' && scheme !== 'floor' && scheme !== 'linspace') throw new WaveGpuError('mulaw', `unknown scheme '${String(scheme)}' (expected 'round', 'floor' or 'linspace')`);
  if (!Number.isInteger(classes) || classes < 2 || classes > 65536) throw new WaveGpuError('mulaw', `classes must be an integer in [2, 65536], got ${classes}`);
  if (!(mu > 0)) throw new WaveGpuError('mulaw', `mu must be positive, got ${mu}`);
  if (scheme !== 'linspace' && mu !== classes - 1) throw new WaveGpuError('mulaw', `the '${scheme}' scheme has classes = mu + 1, got classes ${classes} and mu ${mu}; use mu ${classes - 1}`);
  if (scheme === 'floor' && classes % 2 !== 0) throw new WaveGpuError('mulaw', `the 'floor' scheme needs an even number of classes, got ${classes}`);
}

/** The tables of a quantiser, computed in float64 and rounded to f32 once. */
export function mulawTables(spec: MuLawSpec): MuLawTables {
  checkSpec(spec);
  const { classes, mu, scheme } = spec;
  const l1p = Math.log1p(mu);
  const compress = (x: number) => Math.sign(x) * Math.log1p(mu * Math.abs(x)) / l1p;
  const expand = (y: number) => Math.sign(y) * Math.expm1(Math.abs(y) * l1p) / mu;
  const bins = new Float64Array(classes);
  for (let q = 0; q < classes; q++) bins[q] = q === classes - 1 ? 1 : -1 + q * (2 / (classes - 1));
  const half = classes / 2;
  // Companded lower edge of class q: 'round' needs (y+1)/2*mu + 0.5 >= q, 'floor' y C/2 >= q - C/2,
  // 'linspace' y >= bins[q]; classAtLeast is the forward definition itself.
  const edge = (q: number) => (scheme === 'round' ? (2 * q - 1) / mu - 1 : scheme === 'floor' ? (q - half) / half : bins[q]);
  const classOf = (y: number) => (scheme === 'round' ? Math.floor(((y + 1) / 2) * mu + 0.5) : Math.floor(y * half) + half);
  const classAtLeast = (x: number, q: number) => (scheme === 'linspace' ? compress(x) >= bins[q] : classOf(compress(x)) >= q);
  const thresholds = new Float32Array(classes - 1);
  for (let q = 1; q < classes; q++) {
    // Analytic inverse as the starting guess, settled against the forward definition.
    const t = firstTrueF32((x) => classAtLeast(x, q), expand(edge(q)));
    thresholds[q - 1] = t;
  }
  const companded = new Float32Array(classes), decoded = new Float32Array(classes);
  for (let q = 0; q < classes; q++) {
    const y = scheme === 'round' ? (2 * q) / mu - 1 : scheme === 'floor' ? (q - half) / half : bins[q];
    companded[q] = y;
    // NSynth decodes the bin centre (s + 0.5) / (C/2), and s = 0 to exactly 0
    decoded[q] = scheme !== 'floor' ? expand(y) : q === half ? 0 : expand((((q - half) + 0.5) * 2) / (mu + 1));
  }
  return { thresholds, companded, decoded };
}

const CODE_DTYPE = { i32: 0, u32: 1, f32: 2 } as const;

/** A quantiser with its tables on the GPU. */
export class MuLaw {
  readonly tables: MuLawTables;
  private readonly thresholds: Tensor;
  private readonly compandedT: Tensor;
  private readonly decodedT: Tensor;

  constructor(readonly gpu: Gpu, readonly spec: MuLawSpec = MULAW_256) {
    this.tables = mulawTables(spec);
    this.thresholds = gpu.tensor(Int32Array.from(this.tables.thresholds, keyOf), [spec.classes - 1], 'i32');
    this.compandedT = gpu.tensor(this.tables.companded);
    this.decodedT = gpu.tensor(this.tables.decoded);
  }

  private audio(x: Tensor, op: string): void {
    if (x.dtype !== 'f32') throw new WaveGpuError(op, `expects f32 audio, got ${x.dtype} ${fmtShape(x.shape)}`);
    if (x.gpu !== this.gpu) throw new WaveGpuError(op, 'the tensor lives on a different device than this MuLaw');
  }

  /** x: [...] f32 audio (clamped to [-1, 1]; NaN gives the first or last class) -> [...] i32 classes. */
  encode(x: Tensor): Tensor<'i32'> {
    this.audio(x, 'mulaw.encode');
    const q = this.gpu.empty(x.shape, 'i32', 'mulaw.encode');
    this.gpu.dispatch({
      op: 'mulaw.encode', kernel: 'mulaw', entry: 'encode',
      uniforms: { eparams: { n: x.size, count: this.spec.classes - 1, _pad0: 0, _pad1: 0 } },
      buffers: { x, thresholds: this.thresholds, q }, workgroups: grid(x.size, WG),
    });
    return q;
  }

  /** x: [...] f32 audio -> [...] f32 companded value of its class (encode + companded, fused). */
  quantize(x: Tensor): Tensor {
    this.audio(x, 'mulaw.quantize');
    const qy = this.gpu.empty(x.shape, 'f32', 'mulaw.quantize');
    this.gpu.dispatch({
      op: 'mulaw.quantize', kernel: 'mulaw', entry: 'quantize',
      uniforms: { eparams: { n: x.size, count: this.spec.classes - 1, _pad0: 0, _pad1: 0 } },
      buffers: { x, thresholds: this.thresholds, table: this.compandedT, qy }, workgroups: grid(x.size, WG),
    });
    return qy;
  }

  /** q: [...] classes (i32, u32, or f32 holding integers; clamped to [0, classes)) -> [...] f32 audio. */
  decode(q: Tensor): Tensor {
    return this.lookup(q, this.decodedT, 'mulaw.decode');
  }

  /** q: [...] classes -> [...] f32 companded value (pytorch-wavenet's input bins[q]). */
  companded(q: Tensor): Tensor {
    return this.lookup(q, this.compandedT, 'mulaw.companded');
  }

  private lookup(codes: Tensor, values: Tensor, op: string): Tensor {
    if (codes.gpu !== this.gpu) throw new WaveGpuError(op, 'the tensor lives on a different device than this MuLaw');
    const y = this.gpu.empty(codes.shape, 'f32', op);
    this.gpu.dispatch({
      op, kernel: 'mulaw', entry: 'lookup',
      uniforms: { lparams: { n: codes.size, classes: this.spec.classes, dtype: CODE_DTYPE[codes.dtype], time: 1 } },
      buffers: { codes, values, y }, workgroups: grid(codes.size, WG),
    });
    return y;
  }

  /** q: [..., T] classes -> [..., classes, T] f32 one-hot (channels-first, as a conv input). */
  oneHot(q: Tensor): Tensor {
    const op = 'mulaw.oneHot';
    if (q.rank < 1) throw new WaveGpuError(op, `expects classes of shape [..., T], got ${fmtShape(q.shape)}`);
    const T = q.shape[q.rank - 1], C = this.spec.classes;
    const hot = this.gpu.empty([...q.shape.slice(0, -1), C, T], 'f32', op);
    this.gpu.dispatch({
      op, kernel: 'mulaw', entry: 'onehot',
      uniforms: { lparams: { n: hot.size, classes: C, dtype: CODE_DTYPE[q.dtype], time: Math.max(T, 1) } },
      buffers: { codes: q, hot }, workgroups: grid(hot.size, WG),
    });
    return hot;
  }

  dispose(): void {
    this.thresholds.dispose();
    this.compandedT.dispose();
    this.decodedT.dispose();
  }
}

function curve(x: Tensor, mu: number, entry: 'compress' | 'expand'): Tensor {
  const op = `mulaw.${entry}`;
  if (x.dtype !== 'f32') throw new WaveGpuError(op, `expects f32, got ${x.dtype} ${fmtShape(x.shape)}`);
  if (!(mu > 0)) throw new WaveGpuError(op, `mu must be positive, got ${mu}`);
  const dst = x.gpu.empty(x.shape, 'f32', op);
  x.gpu.dispatch({
    op, kernel: 'mulaw', entry,
    uniforms: { cparams: { n: x.size, mu, log1p_mu: Math.log1p(mu), _pad: 0 } },
    buffers: { src: x, dst }, workgroups: grid(x.size, WG),
  });
  return dst;
}

/** y = sign(x) ln(1 + mu|x|) / ln(1 + mu) on x clamped to [-1, 1] (continuous, f32). x: [...] */
export const mulawCompress = (x: Tensor, mu = 255) => curve(x, mu, 'compress');
/** x = sign(y) ((1 + mu)^|y| - 1) / mu on y clamped to [-1, 1] (continuous, f32). y: [...] */
export const mulawExpand = (y: Tensor, mu = 255) => curve(y, mu, 'expand');
