/**
 * STFT family (kernels/stft.wgsl + the real FFTs of kernels/fft.wgsl), torch.stft / torch.istft
 * conventions: window of win_length centred in n_fft, `center` pads n_fft/2 on both sides
 * (reflect by default), frame f starts at f*hop of the padded signal, one-sided by default,
 * normalized = false by default (true multiplies the STFT by n_fft^-1/2).
 *
 * Layout: spectrograms are [B, bins, frames, 2] (torch.view_as_real(torch.stft(...))), complex
 * interleaved as in src/ops/fft.ts; a 1-D signal [T] gives [bins, frames, 2].
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import type { Gpu } from '../runtime/gpu.js';
import { checkFftSize, irfftInto, rfftInto } from './fft_plan.js';
import { constantTensor } from './fft_tables.js';

const WG = 256;

export type WindowName = 'hann' | 'hamming' | 'blackman' | 'rect';
/** A window: a tensor or array of win_length values, or a periodic window by name. */
export type WindowSpec = Tensor | ArrayLike<number> | WindowName;

/** torch.hann_window: 0.5 - 0.5 cos(2 pi n / N), N = n (periodic) or n - 1 (symmetric). */
export function hannWindow(n: number, periodic = true): Float32Array {
  return cosineWindow(n, periodic, [0.5, -0.5]);
}
/** torch.hamming_window (alpha 0.54, beta 0.46). */
export function hammingWindow(n: number, periodic = true): Float32Array {
  return cosineWindow(n, periodic, [0.54, -0.46]);
}
/** torch.blackman_window: 0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N). */
export function blackmanWindow(n: number, periodic = true): Float32Array {
  return cosineWindow(n, periodic, [0.42, -0.5, 0.08]);
}

/** sum_k a_k cos(2 pi k j / N), evaluated in float64. */
function cosineWindow(n: number, periodic: boolean, a: number[]): Float32Array {
  if (n === 1) return Float32Array.of(1);
  const N = periodic ? n : n - 1;
  return Float32Array.from({ length: n }, (_, j) => a.reduce((s, ak, k) => s + ak * Math.cos((2 * Math.PI * k * j) / N), 0));
}

export function windowValues(name: WindowName, n: number): Float32Array {
  switch (name) {
    case 'hann': return hannWindow(n);
    case 'hamming': return hammingWindow(n);
    case 'blackman': return blackmanWindow(n);
    case 'rect': return new Float32Array(n).fill(1);
  }
}

interface ResolvedWindow { tensor: Tensor | null; host: Float32Array | null; temp: boolean }

/** The window on the GPU (null = rectangular) and, where known, its values on the host. */
function resolveWindow(gpu: Gpu, spec: WindowSpec | undefined, winLength: number, op: string): ResolvedWindow {
  if (spec === undefined) return { tensor: null, host: null, temp: false };
  if (typeof spec === 'string') {
    if (!['hann', 'hamming', 'blackman', 'rect'].includes(spec)) throw new WaveGpuError(op, `unknown window '${spec}'; use 'hann', 'hamming', 'blackman', 'rect' or pass the values`);
    const host = windowValues(spec, winLength);
    return { tensor: constantTensor(gpu, `window:${spec}:${winLength}`, [winLength], () => host), host, temp: false };
  }
  if (isTensor(spec)) {
    if (spec.size !== winLength || spec.rank !== 1 || spec.dtype !== 'f32') throw new WaveGpuError(op, `window ${fmtShape(spec.shape)} ${spec.dtype} should be f32 [${winLength}] (win_length)`);
    return { tensor: spec, host: null, temp: false };
  }
  if (spec.length !== winLength) throw new WaveGpuError(op, `window has ${spec.length} values but win_length is ${winLength}`);
  const host = Float32Array.from(spec);
  return { tensor: gpu.tensor(host), host, temp: true };
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'storage' in v && 'gpu' in v;
}

export interface StftOptions {
  nFft: number;
  /** Default floor(nFft / 4), as torch. */
  hop?: number;
  /** Default nFft; the window is centred in nFft. */
  winLength?: number;
  /** Default none (rectangular), as torch; 'hann' is the periodic Hann window. */
  window?: WindowSpec;
  /** Default true. */
  center?: boolean;
  /** Default 'reflect' (torch.stft); librosa >= 0.10 pads with zeros ('constant'). */
  padMode?: 'reflect' | 'constant';
  /** Default true: n/2 + 1 bins; false: all n bins (Hermitian completion). */
  onesided?: boolean;
  /** Default false. */
  normalized?: boolean;
}

interface Frames { nFft: number; hop: number; winLength: number; winOff: number; center: boolean; frames: number }

function framing(op: string, o: { nFft: number; hop?: number; winLength?: number; center?: boolean }, length: number | null): Frames {
  const nFft = o.nFft, hop = o.hop ?? Math.floor(nFft / 4), winLength = o.winLength ?? nFft;
  checkFftSize(op, nFft, 'n_fft');
  if (!Number.isInteger(hop) || hop < 1) throw new WaveGpuError(op, `hop ${hop} must be a positive integer`);
  if (!Number.isInteger(winLength) || winLength < 1 || winLength > nFft) throw new WaveGpuError(op, `win_length ${winLength} must be an integer in [1, n_fft = ${nFft}]`);
  const center = o.center ?? true;
  let frames = 0;
  if (length !== null) {
    const padded = center ? length + 2 * Math.floor(nFft / 2) : length;
    if (padded < nFft) throw new WaveGpuError(op, `signal of ${length} samples is shorter than n_fft ${nFft}${center ? ' after centre padding' : ''}; pad it or use a smaller n_fft`);
    frames = 1 + Math.floor((padded - nFft) / hop);
  }
  return { nFft, hop, winLength, winOff: Math.floor((nFft - winLength) / 2), center, frames };
}

function windowUniforms(w: ResolvedWindow, f: Frames) {
  return { win_off: f.winOff, win_len: f.winLength, has_win: w.tensor ? 1 : 0 };
}

/** STFT of x: [T] or [B, T] -> [B?, bins, frames, 2]. */
export function stft(x: Tensor, opts: StftOptions): Tensor<'f32'> {
  const op = 'stft';
  if (x.dtype !== 'f32' || x.rank < 1 || x.rank > 2) throw new WaveGpuError(op, `expects an f32 signal [T] or [B, T], got ${x.dtype} ${fmtShape(x.shape)}`);
  const T = x.shape[x.rank - 1], B = x.rank === 2 ? x.shape[0] : 1;
  const f = framing(op, opts, T);
  const mode = opts.padMode ?? 'reflect';
  if (mode !== 'reflect' && mode !== 'constant') throw new WaveGpuError(op, `padMode '${mode}' is not supported; use 'reflect' or 'constant'`);
  const pad = f.center ? Math.floor(f.nFft / 2) : 0;
  if (f.center && mode === 'reflect' && pad >= T) throw new WaveGpuError(op, `reflect padding of ${pad} needs more than ${pad} samples, got ${T}; use padMode 'constant' or a smaller n_fft`);
  const bins = (opts.onesided ?? true) ? f.nFft / 2 + 1 : f.nFft;
  const gpu = x.gpu;
  return gpu.scope(() => {
    const w = resolveWindow(gpu, opts.window, f.winLength, op);
    const out = gpu.empty([...(x.rank === 2 ? [B] : []), bins, f.frames, 2], 'f32', op);
    const source = {
      rows: B, frames: f.frames, length: T, hop: f.hop, pad, padMode: mode === 'reflect' ? 'reflect' as const : 'zeros' as const,
      window: w.tensor ? { tensor: w.tensor, off: f.winOff, len: f.winLength } : f.winLength < f.nFft ? rectWindow(gpu, f) : null,
    };
    const scale = opts.normalized ? 1 / Math.sqrt(f.nFft) : 1;
    rfftInto(x, out, f.nFft, source, bins, { frames: f.frames, outer: bins * f.frames, frame: 1, bin: f.frames }, scale, op);
    return out;
  });
}

/** A rectangular window shorter than n_fft still zeroes the frame outside it. */
function rectWindow(gpu: Gpu, f: Frames): { tensor: Tensor; off: number; len: number } {
  return { tensor: constantTensor(gpu, `window:rect:${f.winLength}`, [f.winLength], () => windowValues('rect', f.winLength)), off: f.winOff, len: f.winLength };
}

export interface IstftOptions {
  nFft: number;
  hop?: number;
  winLength?: number;
  window?: WindowSpec;
  center?: boolean;
  normalized?: boolean;
  /** Output length; default n_fft + hop (frames - 1), minus 2 * (n_fft / 2) when centred. */
  length?: number;
}

/**
 * Checks the nonzero-overlap-add condition where every output sample is covered by full
 * frames; edge samples whose envelope is below 1e-11 come out as 0 (torch raises there).
 */
function checkNola(op: string, host: Float32Array | null, f: Frames): void {
  const w = new Float64Array(f.nFft);
  for (let j = 0; j < f.winLength; j++) w[f.winOff + j] = host ? host[j] : 1;
  for (let r = 0; r < f.hop; r++) {
    let env = 0;
    for (let m = r; m < f.nFft; m += f.hop) env += w[m] * w[m];
    if (!(env > 1e-11)) throw new WaveGpuError(op, `the window fails the overlap-add condition (squared window sums to ${env} at offset ${r} of each hop); use a smaller hop or another window`);
  }
}

/** Inverse STFT: X [B?, n_fft/2 + 1, frames, 2] -> [B?, length]. */
export function istft(X: Tensor, opts: IstftOptions): Tensor<'f32'> {
  const op = 'istft';
  if (X.dtype !== 'f32' || X.rank < 3 || X.rank > 4 || X.shape[X.rank - 1] !== 2) {
    throw new WaveGpuError(op, `expects a one-sided spectrogram [B, bins, frames, 2] or [bins, frames, 2], got ${X.dtype} ${fmtShape(X.shape)}`);
  }
  const [bins, F] = X.shape.slice(-3, -1), B = X.rank === 4 ? X.shape[0] : 1;
  const f = { ...framing(op, opts, null), frames: F };
  if (bins !== f.nFft / 2 + 1) throw new WaveGpuError(op, `spectrogram has ${bins} bins; n_fft ${f.nFft} needs ${f.nFft / 2 + 1} (one-sided input only)`);
  if (F < 1) throw new WaveGpuError(op, 'spectrogram has no frames');
  const expected = f.nFft + f.hop * (F - 1);
  const start = f.center ? Math.floor(f.nFft / 2) : 0;
  const len = opts.length ?? (f.center ? expected - 2 * start : expected);
  if (!Number.isInteger(len) || len < 1) throw new WaveGpuError(op, `output length ${len} must be a positive integer`);
  const gpu = X.gpu;
  return gpu.scope(() => {
    const w = resolveWindow(gpu, opts.window, f.winLength, op);
    if (!isTensor(opts.window)) checkNola(op, w.host, f);
    const frames = gpu.empty([B * F, f.nFft], 'f32', op);
    const scale = opts.normalized ? Math.sqrt(f.nFft) : 1;
    irfftInto(X, frames, B * F, f.nFft, { frames: F, outer: bins * F, frame: 1, bin: F }, scale, op);
    const out = gpu.empty([...(X.rank === 4 ? [B] : []), len], 'f32', op);
    gpu.dispatch({
      op, kernel: 'stft', entry: 'ola',
      uniforms: { olp: { count: B * len, len, start, frames: F, n_fft: f.nFft, hop: f.hop, ...windowUniforms(w, f) } },
      buffers: { oframes: frames, owin: w.tensor ?? frames, oout: out },
      workgroups: grid(B * len, WG),
    });
    return out;
  });
}

// ---- spectrogram maps ---------------------------------------------------------------------

function requireComplex(op: string, X: Tensor): void {
  if (X.dtype !== 'f32' || X.rank < 1 || X.shape[X.rank - 1] !== 2) throw new WaveGpuError(op, `expects complex f32 [..., 2] (interleaved re, im), got ${X.dtype} ${fmtShape(X.shape)}`);
}

interface MapSpec { complex: boolean; mode: number; power?: number; log?: { eps: number; scale: number } }

function specMap(x: Tensor, m: MapSpec, op: string): Tensor<'f32'> {
  const shape = m.complex ? x.shape.slice(0, -1) : x.shape;
  const y = x.gpu.empty(shape, 'f32', op);
  x.gpu.dispatch({
    op, kernel: 'stft', entry: 'spec_map',
    uniforms: { mp: { count: y.size, src_complex: m.complex ? 1 : 0, mode: m.mode, power: m.power ?? 2, do_log: m.log ? 1 : 0, eps: m.log?.eps ?? 0, log_scale: m.log?.scale ?? 1 } },
    buffers: { mx: x, my: y },
    workgroups: grid(y.size, WG),
  });
  return y;
}

/** |X|: [..., 2] -> [...]. */
export function magnitude(X: Tensor): Tensor<'f32'> {
  requireComplex('magnitude', X);
  return specMap(X, { complex: true, mode: 0 }, 'magnitude');
}

/** |X|^p (p = 2: the power spectrum re^2 + im^2): [..., 2] -> [...]. */
export function powerSpectrum(X: Tensor, p = 2): Tensor<'f32'> {
  requireComplex('powerSpectrum', X);
  if (!(p > 0)) throw new WaveGpuError('powerSpectrum', `power ${p} must be positive`);
  return specMap(X, { complex: true, mode: 1, power: p }, 'powerSpectrum');
}

/** arg X in (-pi, pi] (torch.angle): [..., 2] -> [...]. */
export function angle(X: Tensor): Tensor<'f32'> {
  requireComplex('angle', X);
  return specMap(X, { complex: true, mode: 2 }, 'angle');
}

export type LogBase = 'e' | '10' | 'db';

/** scale of v -> log(max(v, eps)) for a base: ln, log10, or 10 log10 (decibels of power). */
export function logScale(base: LogBase): number {
  return base === 'e' ? 1 : base === '10' ? 1 / Math.LN10 : 10 / Math.LN10;
}

/** log(max(x, eps)) in base e, 10 or dB (10 log10): the clamped log of a spectrogram. */
export function logClamp(x: Tensor, opts: { eps?: number; base?: LogBase } = {}): Tensor<'f32'> {
  const eps = opts.eps ?? 1e-10, base = opts.base ?? 'e';
  if (x.dtype !== 'f32') throw new WaveGpuError('logClamp', `expects f32, got ${x.dtype} ${fmtShape(x.shape)}`);
  if (!(eps > 0)) throw new WaveGpuError('logClamp', `eps ${eps} must be positive`);
  if (!['e', '10', 'db'].includes(base)) throw new WaveGpuError('logClamp', `base '${base}' is not 'e', '10' or 'db'`);
  return specMap(x, { complex: false, mode: 0, log: { eps, scale: logScale(base) } }, 'logClamp');
}

/** Complex [..., 2] -> { magnitude [...], phase [...] }. */
export function toPolar(X: Tensor): { magnitude: Tensor<'f32'>; phase: Tensor<'f32'> } {
  return { magnitude: magnitude(X), phase: angle(X) };
}

/** magnitude * e^{i phase}: two [...] tensors -> complex [..., 2]. */
export function fromPolar(mag: Tensor, phase: Tensor): Tensor<'f32'> {
  if (mag.dtype !== 'f32' || phase.dtype !== 'f32' || mag.shape.join() !== phase.shape.join()) {
    throw new WaveGpuError('fromPolar', `magnitude ${fmtShape(mag.shape)} ${mag.dtype} and phase ${fmtShape(phase.shape)} ${phase.dtype} must be f32 of one shape`);
  }
  const z = mag.gpu.empty([...mag.shape, 2], 'f32', 'fromPolar');
  mag.gpu.dispatch({
    op: 'fromPolar', kernel: 'stft', entry: 'polar',
    uniforms: { pp: { count: mag.size } },
    buffers: { pmag: mag, pphase: phase, pz: z },
    workgroups: grid(mag.size, WG),
  });
  return z;
}
