/**
 * PQMF sub-band analysis and synthesis (kernels/pqmf.wgsl) for Multi-band MelGAN / Parallel
 * WaveGAN / TensorFlowTTS (4 bands, 62 taps, cutoff 0.142, beta 9) and RAVE (16 bands, 100 dB).
 * The filters are designed on the CPU in float64 (src/dsp/pqmf_design.ts) and uploaded once, in
 * factored form (envelope + 2M-periodic modulation, see the kernel): two dispatches each way.
 * Construct a Pqmf once (outside scopes / record(), like weights) and dispose() it when done.
 */
import { grid, type Gpu } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import { analysisFrames, designPqmf, type CosineBank, type PqmfConfig, type PqmfDesign } from '../dsp/pqmf_design.js';

export { PQMF_MBMELGAN, PQMF_RAVE, type PqmfConfig, type PqmfDesign } from '../dsp/pqmf_design.js';

const WG = 256;

interface FactoredBank {
  /** [L'] the envelope trimmed to its support, and the pad that goes with it. */
  env: Tensor;
  taps: number;
  pad: number;
  /** [M, 2M] C[k, r] = cos(w_k (r + first - centre) + phi_k). */
  cmat: Tensor;
}

/** Splits a cosine-modulated bank for the kernels (zero envelope ends trimmed). */
function factor(gpu: Gpu, bank: CosineBank, M: number, pad: number): FactoredBank {
  const e = bank.envelope;
  let first = 0, last = e.length - 1;
  while (first < last && e[first] === 0) first++;
  while (last > first && e[last] === 0) last--;
  first = Math.min(first, pad);
  const cmat = new Float32Array(M * 2 * M);
  for (let k = 0; k < M; k++) {
    const phi = bank.sign * (k % 2 === 0 ? 1 : -1) * (Math.PI / 4);
    for (let r = 0; r < 2 * M; r++) cmat[k * 2 * M + r] = Math.cos((2 * k + 1) * (Math.PI / (2 * M)) * (r + first - bank.centre) + phi);
  }
  return { env: gpu.tensor(Float32Array.from(e.subarray(first, last + 1))), taps: last + 1 - first, pad: pad - first, cmat: gpu.tensor(cmat, [M, 2 * M]) };
}

export class Pqmf {
  readonly design: PqmfDesign;
  /** M */
  readonly bands: number;
  private readonly ana: FactoredBank;
  private readonly syn: FactoredBank;

  constructor(readonly gpu: Gpu, config: PqmfConfig) {
    try {
      this.design = designPqmf(config);
    } catch (e) {
      throw new WaveGpuError('pqmf', (e as Error).message.replace(/^pqmf: /, ''));
    }
    const d = this.design;
    this.bands = d.bands;
    this.ana = factor(gpu, d.analysisBank, d.bands, d.padA);
    this.syn = factor(gpu, d.synthesisBank, d.bands, d.padS);
  }

  private check(t: Tensor, op: string): void {
    if (t.dtype !== 'f32') throw new WaveGpuError(op, `expects f32, got ${t.dtype} ${fmtShape(t.shape)}`);
    if (t.gpu !== this.gpu) throw new WaveGpuError(op, 'the tensor lives on a different device than this Pqmf');
  }

  /** Frames the analysis of T samples gives: ceil(T / M) (pwg) or floor(T / M) (rave). */
  frames(T: number): number {
    return analysisFrames(this.design, T);
  }

  /** x: [B, 1, T] or [B, T] audio -> [B, M, frames(T)] sub-bands. */
  analysis(x: Tensor): Tensor {
    const op = 'pqmf.analysis';
    this.check(x, op);
    if (!(x.rank === 2 || (x.rank === 3 && x.shape[1] === 1))) {
      throw new WaveGpuError(op, `expects audio [B, 1, T] or [B, T], got ${fmtShape(x.shape)}; reshape multichannel audio to [B * C, T]`);
    }
    const B = x.shape[0], T = x.shape[x.rank - 1], M = this.bands, F = this.frames(T);
    const y = this.gpu.empty([B, M, F], 'f32', op);
    const { env, cmat, taps, pad } = this.ana, flip = this.design.flipSigns ? 1 : 0;
    const params = (n: number) => ({ params: { n, t_in: T, frames: F, bands: M, taps, pad, flip, _pad: 0 } });
    this.gpu.scope(() => {
      const v = this.gpu.empty([B, F, 2 * M], 'f32', op); // [B, F, 2M] folded frames
      this.gpu.dispatch({ op, kernel: 'pqmf', entry: 'ana_fold', uniforms: params(v.size), buffers: { src: x, coef: env, dst: v }, workgroups: grid(v.size, WG) });
      this.gpu.dispatch({ op, kernel: 'pqmf', entry: 'ana_mod', uniforms: params(y.size), buffers: { src: v, coef: cmat, dst: y }, workgroups: grid(y.size, WG) });
    });
    return y;
  }

  /** bands: [B, M, N] -> [B, 1, N M] audio. */
  synthesis(bands: Tensor): Tensor {
    const op = 'pqmf.synthesis';
    this.check(bands, op);
    const M = this.bands;
    if (bands.rank !== 3 || bands.shape[1] !== M) {
      throw new WaveGpuError(op, `expects sub-bands [B, ${M}, N], got ${fmtShape(bands.shape)}${bands.rank === 3 && bands.shape[2] === M ? '; channels-last input needs a transpose to [B, M, N]' : ''}`);
    }
    const B = bands.shape[0], N = bands.shape[2];
    const y = this.gpu.empty([B, 1, N * M], 'f32', op);
    const { env, cmat, taps, pad } = this.syn, flip = this.design.flipSigns ? 1 : 0;
    const params = (n: number) => ({ params: { n, t_in: N * M, frames: N, bands: M, taps, pad, flip, _pad: 0 } });
    this.gpu.scope(() => {
      const w = this.gpu.empty([B, N, 2 * M], 'f32', op); // [B, N, 2M] modulated frames
      this.gpu.dispatch({ op, kernel: 'pqmf', entry: 'syn_mod', uniforms: params(w.size), buffers: { src: bands, coef: cmat, dst: w }, workgroups: grid(w.size, WG) });
      this.gpu.dispatch({ op, kernel: 'pqmf', entry: 'syn_fold', uniforms: params(y.size), buffers: { src: w, coef: env, dst: y }, workgroups: grid(y.size, WG) });
    });
    return y;
  }

  dispose(): void {
    for (const t of [this.ana.env, this.ana.cmat, this.syn.env, this.syn.cmat]) t.dispose();
  }
}
