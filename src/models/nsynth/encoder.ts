/**
 * The non-causal WaveNet encoder of the autoencoders (see ae.ts) on conv1d: per layer one relu
 * (NSynth only), the dilated conv with its relu fused, and the 1x1 with the residual add fused;
 * then the bottleneck 1x1 and the average pooling (a conv with a [1, 1, pool] kernel of 1/pool
 * and stride pool over the bottleneck channels folded into the batch).
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import { conv1d } from '../../ops/conv1d.js';
import { encoderDims, rank3, type AeEncoderParams, type AeEncoderSpec, type Conv } from './ae.js';

interface GpuConv { w: Tensor; b: Tensor | null }

function upload(gpu: Gpu, c: Conv): GpuConv {
  const w = rank3(c);
  return { w: gpu.tensor(w.data, w.shape), b: c.b ? gpu.tensor(c.b.data) : null };
}

export class AeEncoder {
  readonly channels: number;
  readonly latent: number;
  private start: GpuConv;
  private layers: { dil: GpuConv; res: GpuConv }[];
  private bottleneck: GpuConv;
  private poolW: Tensor;

  constructor(readonly gpu: Gpu, params: AeEncoderParams, readonly spec: AeEncoderSpec) {
    const d = encoderDims(params);
    if (spec.dilations.length !== params.layers.length) throw new WaveGpuError('encoder', `${spec.dilations.length} dilations for ${params.layers.length} layers`);
    if (!Number.isInteger(spec.pool) || spec.pool < 1) throw new WaveGpuError('encoder', `pool must be a positive integer, got ${spec.pool}`);
    this.channels = d.c;
    this.latent = d.z;
    this.start = upload(gpu, params.start);
    this.layers = params.layers.map((l) => ({ dil: upload(gpu, l.dil), res: upload(gpu, l.res) }));
    this.bottleneck = upload(gpu, params.bottleneck);
    this.poolW = gpu.tensor(new Float32Array(spec.pool).fill(1 / spec.pool), [1, 1, spec.pool]);
  }

  /** Frames an input of T samples gives. */
  frames(t: number): number {
    return Math.floor(t / this.spec.pool);
  }

  /** x: [B, T] model input values -> [B, Z, floor(T / pool)] encoding. */
  forward(x: Tensor): Tensor<'f32'> {
    if (x.dtype !== 'f32' || x.rank !== 2) throw new WaveGpuError('encoder', `x is ${fmtShape(x.shape)} ${x.dtype}, expected f32 [B, T]`);
    const [b, t] = x.shape;
    if (t < this.spec.pool) throw new WaveGpuError('encoder', `input of ${t} samples is shorter than one frame (${this.spec.pool} samples); pass at least ${this.spec.pool}`);
    const gpu = this.gpu;
    return gpu.scope(() => {
      const ks = this.start.w.shape[2];
      let en = conv1d(x.reshape([b, 1, t]), this.start.w, { bias: this.start.b, padding: (ks - 1) / 2 });
      this.layers.forEach((l, i) => {
        const dil = this.spec.dilations[i], k = l.dil.w.shape[2];
        // Each layer's temporaries go back to the pool as soon as they are recorded (32 MB each at 4 s).
        const next = gpu.scope(() => {
          const d = conv1d(en, l.dil.w, { inputActivation: this.spec.preRelu ? 'relu' : 'none', bias: l.dil.b, dilation: dil, padding: (dil * (k - 1)) / 2, activation: 'relu' });
          return conv1d(d, l.res.w, { bias: l.res.b, residual: en });
        });
        en.dispose();
        en = next;
      });
      const z = conv1d(en, this.bottleneck.w, { bias: this.bottleneck.b });
      const pooled = conv1d(z.reshape([b * this.latent, 1, t]), this.poolW, { stride: this.spec.pool });
      return pooled.reshape([b, this.latent, this.frames(t)]) as Tensor<'f32'>;
    });
  }

  dispose(): void {
    const all = [this.start, ...this.layers.flatMap((l) => [l.dil, l.res]), this.bottleneck];
    for (const c of all) { c.w.dispose(); c.b?.dispose(); }
    this.poolW.dispose();
  }
}
