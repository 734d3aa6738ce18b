/**
 * Harmonic oscillator bank (kernels/harmonic.wgsl), DDSP's additive synthesiser: frame-rate
 * f0, amplitude and harmonic distribution in, audio out, with harmonics at or above Nyquist
 * removed per sample. Two dispatches: frame phases, then samples.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';

export interface HarmonicOptions {
  sampleRate: number;
  /** Samples per frame. */
  hop: number;
  /** Divide by the sum of the (below-Nyquist) distribution at each sample. */
  normalize?: boolean;
}

/**
 * f0: [B, F] Hz; amp: [B, F]; dist: [B, F, H] (non-negative harmonic weights) -> audio [B, F*hop].
 */
export function harmonicSynth(f0: Tensor, amp: Tensor, dist: Tensor, o: HarmonicOptions): Tensor<'f32'> {
  const op = 'harmonicSynth';
  if (f0.rank !== 2) throw new WaveGpuError(op, `f0 must be [B, frames], got ${fmtShape(f0.shape)}`);
  const [B, F] = f0.shape;
  if (amp.shape.join() !== f0.shape.join()) throw new WaveGpuError(op, `amp must match f0 ${fmtShape(f0.shape)}, got ${fmtShape(amp.shape)}`);
  if (dist.rank !== 3 || dist.shape[0] !== B || dist.shape[1] !== F) throw new WaveGpuError(op, `dist must be [${B}, ${F}, harmonics], got ${fmtShape(dist.shape)}`);
  if (!(o.sampleRate > 0) || !Number.isInteger(o.hop) || o.hop < 1) throw new WaveGpuError(op, `sampleRate must be > 0 and hop a positive integer (got ${o.sampleRate}, ${o.hop})`);
  const gpu = f0.gpu;
  const audio = gpu.empty([B, F * o.hop], 'f32', op);
  const phase = gpu.empty([B, F], 'f32', op);
  const params = { batch: B, frames: F, hop: o.hop, harmonics: dist.shape[2], sample_rate: o.sampleRate, normalize: o.normalize ? 1 : 0 };
  gpu.dispatch({ op, kernel: 'harmonic', entry: 'phase0', uniforms: { params }, buffers: { f0, phase }, workgroups: [B] });
  gpu.dispatch({ op, kernel: 'harmonic', entry: 'synth', uniforms: { params }, buffers: { f0, amp, dist, phase, audio }, workgroups: grid(audio.size, 128) });
  phase.dispose();
  return audio;
}
