/**
 * DDSP decoder helpers (kernels/ddsp.wgsl): input features, DDSP's one-group layer norm fused
 * with the residual add of the dilated conv stack, and the control head (amplitude, harmonic
 * amplitudes, noise magnitudes). Activations are channels-first [1, C, T], conv1d's layout.
 * Constants are the graph's (src/models/ddsp/weights.ts reads them).
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

const WG = 256;
/** norm_stats threads (slices of h); each reduces n / SLICES values serially. */
const SLICES = 256;

function requireF32(op: string, ts: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(ts)) {
    if (t.dtype !== 'f32') throw new WaveGpuError(op, `${name} must be f32, got ${t.dtype} ${fmtShape(t.shape)}`);
  }
}

function requireShape(op: string, name: string, t: Tensor, shape: readonly number[], fix = ''): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new WaveGpuError(op, `${name} must be ${fmtShape(shape)}, got ${fmtShape(t.shape)}${fix ? `; ${fix}` : ''}`);
  }
}

export interface FeatureConsts {
  ldScale: number; ldShift: number;
  log2e: number; log2of440: number; semitones: number; midiA4: number; midiScale: number;
}

/**
 * Decoder input: scaled loudness and scaled MIDI pitch (0 where f0 <= 0).
 * f0: [T] Hz; ld: [T] dB -> [1, 2, T] (channel 0 loudness, channel 1 pitch)
 */
export function ddspFeatures(f0: Tensor, ld: Tensor, c: FeatureConsts): Tensor<'f32'> {
  const op = 'ddspFeatures';
  requireF32(op, { f0, ld });
  if (f0.rank !== 1) throw new WaveGpuError(op, `f0 must be [frames], got ${fmtShape(f0.shape)}`);
  const T = f0.shape[0];
  requireShape(op, 'ld', ld, [T], 'loudness and f0 need one value per frame each');
  const feat = f0.gpu.empty([1, 2, T], 'f32', op);
  f0.gpu.dispatch({
    op, kernel: 'ddsp', entry: 'features', overrides: { WG },
    uniforms: { fparams: { frames: T, ld_scale: c.ldScale, ld_shift: c.ldShift, log2e: c.log2e, log2_440: c.log2of440, semitones: c.semitones, midi_a4: c.midiA4, midi_scale: c.midiScale } },
    buffers: { f0, ld, feat },
    workgroups: grid(T, WG),
  });
  return feat;
}

/**
 * y = x + gamma * (h - mean(h)) / sqrt(var(h) + eps) + beta, mean and variance over every element
 * of h (DDSP Normalize('layer'), one group), and r = relu(y) for the next convolution.
 * x, h: [1, C, T]; gamma, beta: [C] -> { y, r } both [1, C, T]
 */
export function ddspNormResidual(x: Tensor, h: Tensor, gamma: Tensor, beta: Tensor, eps: number): { y: Tensor<'f32'>; r: Tensor<'f32'> } {
  const op = 'ddspNormResidual';
  requireF32(op, { x, h, gamma, beta });
  if (x.rank !== 3 || x.shape[0] !== 1) throw new WaveGpuError(op, `x must be [1, C, T] (one batch), got ${fmtShape(x.shape)}`);
  const [, C, T] = x.shape;
  requireShape(op, 'h', h, x.shape);
  requireShape(op, 'gamma', gamma, [C]);
  requireShape(op, 'beta', beta, [C]);
  const gpu = x.gpu, n = x.size;
  const perSlice = Math.ceil(n / SLICES), slices = Math.ceil(n / perSlice);
  const y = gpu.empty(x.shape, 'f32', op), r = gpu.empty(x.shape, 'f32', op);
  gpu.scope(() => {
    const partial = gpu.empty([slices, 3], 'f32', op), stats = gpu.empty([2], 'f32', op);
    const sparams = { n, per_slice: perSlice, slices, eps };
    gpu.dispatch({ op, kernel: 'ddsp', entry: 'norm_stats', uniforms: { sparams }, buffers: { h, partial }, workgroups: [Math.ceil(slices / 64)] });
    gpu.dispatch({ op, kernel: 'ddsp', entry: 'norm_merge', uniforms: { sparams }, buffers: { partial, stats }, workgroups: [1] });
    gpu.dispatch({
      op, kernel: 'ddsp', entry: 'norm_apply', overrides: { WG },
      uniforms: { aparams: { n, frames: T } },
      buffers: { ax: x, ah: h, astats: stats, gamma, beta, ay: y, ar: r },
      workgroups: grid(n, WG),
    });
  });
  return { y, r };
}

/** exp_sigmoid(v) = max * sigmoid(v)^exponent + eps (DDSP core.exp_sigmoid). */
export interface ExpSigmoid { max: number; exponent: number; eps: number }

export interface ControlConsts {
  amp: ExpSigmoid; dist: ExpSigmoid; noise: ExpSigmoid;
  /** Added to the noise logits before exp_sigmoid (DDSP FilteredNoise initial_bias). */
  noiseBias: number;
  /** Harmonics at or above this frequency (f0 * hn) get no weight. */
  nyquist: number;
}

export interface Controls {
  /** [T] overall amplitude */
  amp: Tensor<'f32'>;
  /** [T, H] amplitude of each harmonic: amp * normalised harmonic distribution */
  harm: Tensor<'f32'>;
  /** [T, NB, 2] noise magnitudes as complex (re, 0), the input of irfft */
  mags: Tensor<'f32'>;
}

/**
 * The synthesiser controls from the dense head.
 * dense: [T, 1 + H + NB] (before bias); bias: [1 + H + NB]; f0: [T] Hz; hn: [H] harmonic numbers
 */
export function ddspControls(dense: Tensor, bias: Tensor, f0: Tensor, hn: Tensor, c: ControlConsts): Controls {
  const op = 'ddspControls';
  requireF32(op, { dense, bias, f0, hn });
  if (dense.rank !== 2) throw new WaveGpuError(op, `dense must be [frames, 1 + harmonics + bands], got ${fmtShape(dense.shape)}`);
  const [T, width] = dense.shape;
  if (hn.rank !== 1) throw new WaveGpuError(op, `hn must be [harmonics], got ${fmtShape(hn.shape)}`);
  const H = hn.shape[0], NB = width - 1 - H;
  if (NB < 1) throw new WaveGpuError(op, `dense width ${width} leaves no noise bands after 1 + ${H} harmonics`);
  requireShape(op, 'bias', bias, [width]);
  requireShape(op, 'f0', f0, [T]);
  const gpu = dense.gpu;
  const amp = gpu.empty([T], 'f32', op), harm = gpu.empty([T, H], 'f32', op), mags = gpu.empty([T, NB, 2], 'f32', op);
  gpu.dispatch({
    op, kernel: 'ddsp', entry: 'controls',
    uniforms: { cparams: {
      frames: T, harmonics: H, bands: NB, width, nyquist: c.nyquist, noise_bias: c.noiseBias,
      amp_max: c.amp.max, amp_exp: c.amp.exponent, amp_eps: c.amp.eps,
      dist_max: c.dist.max, dist_exp: c.dist.exponent, dist_eps: c.dist.eps,
      noise_max: c.noise.max, noise_exp: c.noise.exponent, noise_eps: c.noise.eps,
    } },
    buffers: { dense, bias, cf0: f0, hn, amp, harm, mags },
    workgroups: grid(T, 64),
  });
  return { amp, harm, mags };
}
