/**
 * Rational resampling (kernels/resample.wgsl): 16 kHz <-> 48 kHz, 22.05 <-> 44.1 kHz,
 * 44.1 <-> 48 kHz (160/147) or any integer rates. The Kaiser-windowed sinc is designed on the CPU
 * in float64 (src/dsp/resample_design.ts) and uploaded once in polyphase layout; the GPU runs one
 * thread per output sample over ~2 * zeros taps. Same output as scipy.signal.resample_poly with
 * the same filter. Construct a Resampler once (outside scopes / record()), then apply() freely.
 */
import { grid, type Gpu } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import type { Tensor } from '../runtime/tensor.js';
import { designResampleFilter, polyphaseTaps, reduceRatio, resampledLength, type ResampleDesign, type ResampleFilterOptions } from '../dsp/resample_design.js';

const WG = 256;

export class Resampler {
  readonly up: number;
  readonly down: number;
  /** The float64 filter (for references and plots). */
  readonly design: ResampleDesign;
  private readonly poly: Tensor;
  private readonly perPhase: number;

  /** fromRate, toRate: integer sample rates in Hz. */
  constructor(readonly gpu: Gpu, readonly fromRate: number, readonly toRate: number, opts: ResampleFilterOptions = {}) {
    let design: ResampleDesign;
    try {
      const { up, down } = reduceRatio(fromRate, toRate);
      design = designResampleFilter(up, down, opts);
    } catch (e) {
      throw new WaveGpuError('resample', (e as Error).message.replace(/^resample: /, ''));
    }
    this.design = design;
    this.up = design.up;
    this.down = design.down;
    const { taps, perPhase } = polyphaseTaps(design);
    this.perPhase = perPhase;
    this.poly = gpu.tensor(taps, [this.up, perPhase]);
  }

  /** Samples out for n samples in: ceil(n * up / down). */
  outputLength(n: number): number {
    return resampledLength(n, this.up, this.down);
  }

  /** x: [..., T] f32 at fromRate -> [..., ceil(T * up / down)] at toRate (each row on its own). */
  apply(x: Tensor): Tensor {
    const op = 'resample';
    if (x.dtype !== 'f32') throw new WaveGpuError(op, `expects f32 audio, got ${x.dtype} ${fmtShape(x.shape)}`);
    if (x.rank < 1) throw new WaveGpuError(op, `expects audio of shape [..., T], got ${fmtShape(x.shape)}`);
    if (x.gpu !== this.gpu) throw new WaveGpuError(op, 'the tensor lives on a different device than this Resampler');
    const nIn = x.shape[x.rank - 1], nOut = this.outputLength(nIn);
    const y = this.gpu.empty([...x.shape.slice(0, -1), nOut], 'f32', op);
    if (this.up === this.down) {
      this.gpu.copy(x, y);
      return y;
    }
    this.gpu.dispatch({
      op, kernel: 'resample', entry: 'main',
      uniforms: { params: { n: y.size, n_in: nIn, n_out: nOut, up: this.up, down: this.down, half_len: this.design.halfLen, per_phase: this.perPhase, _pad: 0 } },
      buffers: { x, poly: this.poly, y },
      workgroups: grid(y.size, WG),
    });
    return y;
  }

  dispose(): void {
    this.poly.dispose();
  }
}
