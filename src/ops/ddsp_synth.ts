/**
 * DDSP synthesisers as magenta's tone-transfer graph computes them (kernels/ddsp_synth.wgsl):
 * the harmonic oscillator bank with DDSP's chunked phase accumulation and hann overlap-add
 * amplitude upsampling, and the filtered noise (per-frame FIR from irfft'd magnitudes, windowed,
 * rolled, convolved with the noise and overlap-added). The generic additive synth lives in
 * src/ops/harmonic.ts; this one reproduces the graph's f32 phase arithmetic for parity.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

const WG = 64;

function requireF32(op: string, ts: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(ts)) {
    if (t.dtype !== 'f32') throw new WaveGpuError(op, `${name} must be f32, got ${t.dtype} ${fmtShape(t.shape)}`);
  }
}

function requireShape(op: string, name: string, t: Tensor, shape: readonly number[]): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new WaveGpuError(op, `${name} must be ${fmtShape(shape)}, got ${fmtShape(t.shape)}`);
  }
}

function requireInt(op: string, what: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new WaveGpuError(op, `${what} must be an integer >= ${min}, got ${v}`);
}

/**
 * 2 pi (as the graph's f32 constant) split into a head with 12 significant bits, so n * head is
 * exact for |n| < 2^12, and the tail twoPi - head (exact too).
 */
export function splitTwoPi(twoPi: number): [number, number] {
  const bits = new Uint32Array(new Float32Array([twoPi]).buffer)[0];
  const hi = new Float32Array(new Uint32Array([bits & 0xfffff000]).buffer)[0];
  return [hi, Math.fround(Math.fround(twoPi) - hi)];
}

export interface HarmonicConsts {
  /** Samples per frame. */
  hop: number;
  /** Samples per phase-accumulation chunk (the graph: 1000). */
  chunk: number;
  /** Radians per sample per Hz (the graph's f32 2 pi / sample rate). */
  omegaScale: number;
  /** Harmonics at or above this frequency are silent, sample by sample. */
  nyquist: number;
  /** The graph's f32 2 pi. */
  twoPi: number;
}

/**
 * Harmonic synthesiser.
 * f0: [F] Hz; hn: [H] harmonic numbers; harm: [F, H] per-harmonic frame amplitudes;
 * win: [2 hop] the overlap-add window (hann) -> audio [F * hop]
 */
export function ddspHarmonic(f0: Tensor, hn: Tensor, harm: Tensor, win: Tensor, c: HarmonicConsts): Tensor<'f32'> {
  const op = 'ddspHarmonic';
  requireF32(op, { f0, hn, harm, win });
  requireInt(op, 'hop', c.hop, 1);
  requireInt(op, 'chunk', c.chunk, 1);
  if (f0.rank !== 1 || hn.rank !== 1) throw new WaveGpuError(op, `f0 must be [frames] and hn [harmonics], got ${fmtShape(f0.shape)} and ${fmtShape(hn.shape)}`);
  const F = f0.shape[0], H = hn.shape[0], N = F * c.hop;
  requireShape(op, 'harm', harm, [F, H]);
  requireShape(op, 'win', win, [2 * c.hop]);
  const chunks = Math.ceil(N / c.chunk);
  const [hi, lo] = splitTwoPi(c.twoPi);
  const params = {
    frames: F, hop: c.hop, harmonics: H, samples: N, chunk: c.chunk, chunks,
    omega_scale: c.omegaScale, nyquist: c.nyquist, two_pi: c.twoPi, two_pi_hi: hi, two_pi_lo: lo, inv_two_pi: 1 / c.twoPi,
  };
  const gpu = f0.gpu;
  const audio = gpu.empty([N], 'f32', op);
  gpu.scope(() => {
    const phase = gpu.empty([N, H], 'f32', op), ends = gpu.empty([chunks, H], 'f32', op), offsets = gpu.empty([chunks, H], 'f32', op);
    const base = { op, kernel: 'ddsp_synth', overrides: { WG }, uniforms: { params } };
    gpu.dispatch({ ...base, entry: 'phase_chunks', buffers: { f0, hn, phase, ends }, workgroups: grid(chunks * H, WG) });
    gpu.dispatch({ ...base, entry: 'phase_offsets', buffers: { ends, offsets }, workgroups: grid(H, WG) });
    gpu.dispatch({ ...base, entry: 'harmonic', buffers: { f0, hn, phase, offsets, harm, win, audio }, workgroups: grid(N, WG) });
  });
  return audio;
}

export interface NoiseConsts {
  hop: number;
  /** Samples cut from the front of the overlap-added convolution (the graph: (I - 1) / 2 - 1 = 62). */
  crop: number;
  /** Noise value = uniform * scale + min (the graph: * 2 - 1). */
  noiseScale: number;
  noiseMin: number;
}

/**
 * Filtered noise added to `harmonic`.
 * uni: [F * hop] uniform [0, 1) values; zp: [F, I] zero-phase impulse responses (irfft of the
 * magnitudes); nwin: [I] the zero-phase window; harmonic: [F * hop] -> audio [F * hop]
 */
export function ddspFilteredNoise(uni: Tensor, zp: Tensor, nwin: Tensor, harmonic: Tensor, c: NoiseConsts): Tensor<'f32'> {
  const op = 'ddspFilteredNoise';
  requireF32(op, { uni, zp, nwin, harmonic });
  requireInt(op, 'hop', c.hop, 1);
  requireInt(op, 'crop', c.crop, 0);
  if (zp.rank !== 2 || zp.shape[1] % 2 !== 0) throw new WaveGpuError(op, `zp must be [frames, I] with I even, got ${fmtShape(zp.shape)}`);
  const [F, I] = zp.shape, N = F * c.hop;
  requireShape(op, 'uni', uni, [N]);
  requireShape(op, 'nwin', nwin, [I]);
  requireShape(op, 'harmonic', harmonic, [N]);
  const out = uni.gpu.empty([N], 'f32', op);
  uni.gpu.dispatch({
    op, kernel: 'ddsp_synth', entry: 'noise', overrides: { WG },
    uniforms: { nparams: { frames: F, hop: c.hop, samples: N, ir: I, crop: c.crop, noise_scale: c.noiseScale, noise_min: c.noiseMin } },
    buffers: { uni, zp, nwin, nharm: harmonic, out },
    workgroups: grid(N, WG),
  });
  return out;
}
