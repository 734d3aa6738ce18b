/**
 * Magenta's DDSP tone-transfer models on the GPU: decoder -> controls -> harmonic synth ->
 * filtered noise, recorded into one encoder (one submit per synthesis). The graph has no reverb
 * node: magenta-js adds its reverb (and the 48 kHz resampling and post-gain) after the model, so
 * the output here is the graph's Identity:0, 16 kHz audio before any of those.
 *
 * The graph works on exactly 1250 frames (its layer norms span the whole input); shorter inputs
 * are padded as magenta-js pads its last chunk (f0 -1 Hz, loudness -120 dB) and the audio is cut
 * to frames * 64 samples. The graph's RandomUniform noise source becomes the project's seeded
 * stream randomUniform(gpu, [80000], seed) (src/ops/softmax_sample.ts).
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';
import { WaveGpuError } from '../../runtime/errors.js';
import { conv1d } from '../../ops/conv1d.js';
import { relu } from '../../ops/elementwise.js';
import { matmul } from '../../ops/matmul.js';
import { irfft } from '../../ops/fft.js';
import { randomUniform } from '../../ops/softmax_sample.js';
import { ddspControls, ddspFeatures, ddspNormResidual } from '../../ops/ddsp.js';
import { ddspFilteredNoise, ddspHarmonic } from '../../ops/ddsp_synth.js';
import type { TfjsWeightFile } from '../../weights/tfjs.js';
import { DDSP, SAMPLES } from './config.js';
import { readDdspWeights, type DdspConv, type DdspWeights } from './weights.js';

interface GpuConv { w: Tensor; b: Tensor; dilation: number }
interface GpuLayer extends GpuConv { gamma: Tensor; beta: Tensor }

export interface DdspOutputs {
  /** [N] the model's output: harmonic + filtered noise */
  audio: Tensor<'f32'>;
  /** [N] harmonic part */
  harmonic: Tensor<'f32'>;
  /** [T] amplitude, [T, 60] harmonic amplitudes, [T, 65, 2] noise magnitudes (complex, im 0) */
  amp: Tensor<'f32'>;
  harm: Tensor<'f32'>;
  mags: Tensor<'f32'>;
}

/** magenta-js's padding of a short input to the model's frames (music/src/ddsp/ddsp.ts). */
export function padInputs(f0: Float32Array, ld: Float32Array): { f0: Float32Array; ld: Float32Array } {
  if (f0.length !== ld.length) throw new WaveGpuError('ddsp', `f0_hz has ${f0.length} frames but loudness_db has ${ld.length}; give one value per frame for both`);
  if (f0.length < 1 || f0.length > DDSP.frames) {
    throw new WaveGpuError('ddsp', `inputs have ${f0.length} frames; the model takes 1 to ${DDSP.frames} (5 s at 250 frames/s): split longer inputs into chunks (magenta-js overlaps them by 1 s and crossfades)`);
  }
  const pf = new Float32Array(DDSP.frames).fill(DDSP.padF0), pl = new Float32Array(DDSP.frames).fill(DDSP.lowestLoudness);
  pf.set(f0);
  pl.set(ld);
  return { f0: pf, ld: pl };
}

export class DdspModel {
  private constructor(readonly gpu: Gpu, readonly weights: DdspWeights, private convIn: GpuConv, private layers: GpuLayer[],
    private dense: { w: Tensor; b: Tensor }, private consts: { hn: Tensor; ampWindow: Tensor; noiseWindow: Tensor }) {}

  /** Uploads the weights of a magenta-js DDSP model.json (read with readTfjs). */
  static async load(gpu: Gpu, file: TfjsWeightFile): Promise<DdspModel> {
    return DdspModel.fromWeights(gpu, await readDdspWeights(file));
  }

  /** Uploads named weights (readDdspWeights' result, or synthetic ones of the same shapes). */
  static fromWeights(gpu: Gpu, w: DdspWeights): DdspModel {
    const C = w.convIn.b.length, K = DDSP.kernel; // magenta's 128, the project's own instruments 64
    const up = (c: DdspConv): GpuConv => ({ w: gpu.tensor(c.w, [C, c.cin, K]), b: gpu.tensor(c.b, [C]), dilation: c.dilation });
    const layers = w.layers.map((l) => ({ ...up(l), gamma: gpu.tensor(l.gamma, [C]), beta: gpu.tensor(l.beta, [C]) }));
    const width = w.dense.b.length;
    const s = w.synth;
    return new DdspModel(gpu, w, up(w.convIn), layers, { w: gpu.tensor(w.dense.w, [C, width]), b: gpu.tensor(w.dense.b, [width]) }, {
      hn: gpu.tensor(s.harmonicNumbers, [s.harmonicNumbers.length]),
      ampWindow: gpu.tensor(s.ampWindow, [s.ampWindow.length]),
      noiseWindow: gpu.tensor(s.noiseWindow, [s.noiseWindow.length]),
    });
  }

  /**
   * Records the decoder: f0, ld [T] -> the dense head before its bias, [T, 1 + 60 + 65].
   * Activations are [1, C, T]; each layer frees the previous one's buffers as it goes.
   */
  decoder(f0: Tensor, ld: Tensor): Tensor {
    const gpu = this.gpu, T = f0.shape[0];
    return gpu.scope(() => {
      const feat = ddspFeatures(f0, ld, this.weights.features);
      let x = conv1d(feat, this.convIn.w, { bias: this.convIn.b, padding: 1 });
      let r = relu(x);
      for (const l of this.layers) {
        const h = conv1d(r, l.w, { bias: l.b, dilation: l.dilation, padding: l.dilation });
        const next = ddspNormResidual(x, h, l.gamma, l.beta, this.weights.normEps);
        x.dispose(); r.dispose(); h.dispose();
        ({ y: x, r } = next);
      }
      return matmul(x.reshape([x.shape[1], T]), this.dense.w, { transposeA: true });
    });
  }

  /** Records the whole model on 1250-frame f0 / loudness tensors. */
  forward(f0: Tensor, ld: Tensor, seed = 0): DdspOutputs {
    if (f0.rank !== 1 || f0.shape[0] !== DDSP.frames || ld.rank !== 1 || ld.shape[0] !== DDSP.frames) {
      throw new WaveGpuError('ddsp', `forward() takes f0 and loudness of exactly [${DDSP.frames}] frames (got [${f0.shape}] and [${ld.shape}]); pad with padInputs() or use synthesize()`);
    }
    const gpu = this.gpu, s = this.weights.synth, k = this.consts;
    return gpu.scope(() => {
      const dense = this.decoder(f0, ld);
      const c = ddspControls(dense, this.dense.b, f0, k.hn, this.weights.controls);
      const harmonic = ddspHarmonic(f0, k.hn, c.harm, k.ampWindow, { hop: DDSP.hop, chunk: s.chunk, omegaScale: s.omegaScale, nyquist: s.nyquist, twoPi: s.twoPi });
      const zp = irfft(c.mags);                                     // [T, 128] zero-phase responses
      const uni = randomUniform(gpu, [SAMPLES], seed);
      const audio = ddspFilteredNoise(uni, zp, k.noiseWindow, harmonic, { hop: DDSP.hop, crop: s.crop, noiseScale: s.noiseScale, noiseMin: s.noiseMin });
      return { audio, harmonic, amp: c.amp, harm: c.harm, mags: c.mags };
    });
  }

  /**
   * f0_hz and loudness_db at 250 frames/s (up to 1250 frames) -> audio [frames * 64] at 16 kHz.
   * One submit, one readback.
   */
  async synthesize(f0: Float32Array, ld: Float32Array, seed = 0): Promise<Float32Array> {
    const frames = f0.length;
    const p = padInputs(f0, ld);
    const gpu = this.gpu;
    const out = gpu.scope(() => this.forward(gpu.tensor(p.f0), gpu.tensor(p.ld), seed).audio);
    try {
      return (await out.read()).slice(0, frames * DDSP.hop);
    } finally { out.dispose(); }
  }

  dispose(): void {
    const all = [this.convIn.w, this.convIn.b, this.dense.w, this.dense.b, this.consts.hn, this.consts.ampWindow, this.consts.noiseWindow];
    for (const l of this.layers) all.push(l.w, l.b, l.gamma, l.beta);
    for (const t of all) if (!t.isDisposed) t.dispose();
  }
}
