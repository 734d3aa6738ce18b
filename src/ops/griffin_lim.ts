/**
 * Griffin-Lim phase reconstruction (kernels/griffin_lim.wgsl + the stft family): from a
 * magnitude spectrogram [B?, bins, frames] to a signal [B?, T], as
 * torchaudio.functional.griffinlim: n_iter rounds of X <- |S| P(stft(istft(X))) with the fast
 * Griffin-Lim momentum of Perraudin et al. (2013); every round is recorded into the one
 * encoder (no readback).
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import { stft, istft, type WindowSpec } from './stft.js';

const WG = 256;

export interface GriffinLimOptions {
  nFft: number;
  /** Default floor(nFft / 4). */
  hop?: number;
  /** Default nFft. */
  winLength?: number;
  /** Default 'hann' (periodic), as torchaudio. */
  window?: WindowSpec;
  /** Default true. */
  center?: boolean;
  /** Default 32. */
  nIter?: number;
  /** Fast Griffin-Lim momentum in [0, 1); default 0.99 (torchaudio); 0 is plain Griffin-Lim. */
  momentum?: number;
  /** Initial phase: 'random' (default; uniform, from `seed`) or 'zeros'. */
  init?: 'random' | 'zeros';
  /** Seed of the random initial phase (u32), default 0. */
  seed?: number;
  /** Output length; default hop * (frames - 1) when centred. */
  length?: number;
  /** The input is |S|^power; default 1 (a magnitude spectrogram). */
  power?: number;
}

/** X = |S| e^{i phi0}: the initial complex spectrogram. mag: [B?, bins, F] -> [B?, bins, F, 2]. */
export function griffinLimInit(mag: Tensor, init: 'random' | 'zeros' = 'random', seed = 0): Tensor<'f32'> {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new WaveGpuError('griffinLim', `seed ${seed} must be a u32`);
  const x = mag.gpu.empty([...mag.shape, 2], 'f32', 'griffinLim');
  mag.gpu.dispatch({
    op: 'griffinLim', kernel: 'griffin_lim', entry: 'gl_init',
    uniforms: { ip: { count: mag.size, random: init === 'random' ? 1 : 0, seed } },
    buffers: { imag_: mag, ispec: x },
    workgroups: grid(mag.size, WG),
  });
  return x;
}

/** X' = |S| A / (|A| + 1e-16), A = rebuilt - beta prev. */
function update(mag: Tensor, rebuilt: Tensor, prev: Tensor, beta: number): Tensor<'f32'> {
  const x = mag.gpu.empty(rebuilt.shape, 'f32', 'griffinLim');
  mag.gpu.dispatch({
    op: 'griffinLim', kernel: 'griffin_lim', entry: 'gl_update',
    uniforms: { up: { count: mag.size, beta } },
    buffers: { umag: mag, urebuilt: rebuilt, uprev: prev, uspec: x },
    workgroups: grid(mag.size, WG),
  });
  return x;
}

/** |S| from |S|^power (elementwise root); the input itself when power is 1. */
function magnitudeOf(spec: Tensor, power: number): Tensor {
  if (power === 1) return spec;
  const m = spec.gpu.empty(spec.shape, 'f32', 'griffinLim');
  spec.gpu.dispatch({
    op: 'griffinLim', kernel: 'griffin_lim', entry: 'gl_root',
    uniforms: { rp: { count: spec.size, inv_power: 1 / power } },
    buffers: { rsrc: spec, rdst: m },
    workgroups: grid(spec.size, WG),
  });
  return m;
}

/** Signal [B?, T] whose STFT magnitude approximates mag [B?, bins, frames]. */
export function griffinLim(mag: Tensor, o: GriffinLimOptions): Tensor<'f32'> {
  const op = 'griffinLim';
  if (mag.dtype !== 'f32' || mag.rank < 2 || mag.rank > 3 || mag.shape[mag.rank - 2] !== o.nFft / 2 + 1) {
    throw new WaveGpuError(op, `expects a magnitude spectrogram [B?, ${o.nFft / 2 + 1}, frames] for n_fft ${o.nFft}, got ${mag.dtype} ${fmtShape(mag.shape)}`);
  }
  const nIter = o.nIter ?? 32, momentum = o.momentum ?? 0.99, power = o.power ?? 1;
  if (!Number.isInteger(nIter) || nIter < 0) throw new WaveGpuError(op, `nIter ${nIter} must be a non-negative integer`);
  if (!(momentum >= 0 && momentum < 1)) throw new WaveGpuError(op, `momentum ${momentum} must be in [0, 1)`);
  if (!(power > 0)) throw new WaveGpuError(op, `power ${power} must be positive`);
  const win = o.window ?? 'hann';
  const F = mag.shape[mag.rank - 1];
  const length = o.length ?? ((o.center ?? true) ? (o.hop ?? Math.floor(o.nFft / 4)) * (F - 1) : undefined);
  const so = { nFft: o.nFft, hop: o.hop, winLength: o.winLength, window: win, center: o.center };
  const gpu = mag.gpu;
  return gpu.scope(() => {
    const m = magnitudeOf(mag, power);
    let spec = griffinLimInit(m, o.init ?? 'random', o.seed ?? 0);
    let prev: Tensor | null = null;
    const beta = momentum / (1 + momentum);
    for (let i = 0; i < nIter; i++) {
      const inverse = istft(spec, { ...so, length });
      const rebuilt = stft(inverse, so);
      if (rebuilt.shape.join() !== spec.shape.join()) throw new WaveGpuError(op, `stft of the ${length}-sample estimate has shape ${fmtShape(rebuilt.shape)}, not ${fmtShape(spec.shape)}; pass a length that gives ${F} frames`);
      const next = update(m, rebuilt, prev ?? rebuilt, prev ? beta : 0);
      inverse.dispose();
      spec.dispose();
      prev?.dispose();
      prev = rebuilt;
      spec = next;
    }
    return istft(spec, { ...so, length });
  });
}
