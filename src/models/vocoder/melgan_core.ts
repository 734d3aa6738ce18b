/**
 * The generator MelGAN and Multi-band MelGAN share (Kumar et al. 2019; TensorFlowTTS):
 *   reflect pad 3, conv k7                                 (first)
 *   per upsampling stage: leaky_relu, conv_transpose (k 2r, stride r), then residual blocks
 *     h = shortcut_1x1(h) + conv_1x1(leaky_relu(conv_k3,d(leaky_relu(h))))   (reflect pad d)
 *   leaky_relu, reflect pad 3, conv k7, tanh               (last)
 * Each conv fuses bias, the following activation and the residual add into its epilogue;
 * temporaries go back to the pool as soon as they have been read.
 */
import type { Tensor } from '../../runtime/tensor.js';
import { Context, Conv, ConvT, consume } from './nn.js';

export interface ResBlock { conv1: Conv; conv2: Conv; shortcut: Conv }
export interface UpStage { up: ConvT; blocks: ResBlock[] }

export class MelganCore {
  /** Output samples per input frame. */
  readonly upsampling: number;

  constructor(readonly first: Conv, readonly stages: UpStage[], readonly last: Conv, readonly slope: number) {
    this.upsampling = stages.reduce((a, s) => a * s.up.spec.stride, 1);
  }

  /** x: [1, Cin, T] -> tanh output [1, Cout, T * upsampling] */
  run(x: Tensor): Tensor {
    const slope = this.slope;
    let h = this.first.run(x);
    for (const s of this.stages) {
      h = consume(s.up.run(h, { inputSlope: slope }), h);
      for (const b of s.blocks) {
        const t = b.conv1.run(h, { inputSlope: slope, activation: 'leaky_relu', slope });
        const sc = b.shortcut.run(h);
        h = consume(b.conv2.run(t, { residual: sc }), t, sc, h);
      }
    }
    return consume(this.last.run(h, { inputSlope: slope, activation: 'tanh' }), h);
  }

  /** Adds this network's receptive field (input at `rate` samples per frame) to ctx; returns the output rate. */
  addContext(ctx: Context, rate = 1): number {
    ctx.conv(this.first.spec.k, 1, this.first.padding, rate);
    for (const s of this.stages) {
      ctx.convT(s.up.spec.k, s.up.spec.stride, s.up.spec.padding, rate);
      rate *= s.up.spec.stride;
      for (const b of s.blocks) ctx.conv(b.conv1.spec.k, b.conv1.dilation, b.conv1.padding, rate);
    }
    ctx.conv(this.last.spec.k, 1, this.last.padding, rate);
    return rate;
  }

  /** Multiply-accumulates per input frame. */
  macsPerFrame(): number {
    let rate = 1, macs = this.first.macs;
    for (const s of this.stages) {
      rate *= s.up.spec.stride;
      macs += s.up.macs * rate;
      for (const b of s.blocks) macs += (b.conv1.macs + b.conv2.macs + b.shortcut.macs) * rate;
    }
    return macs + this.last.macs * rate;
  }

  dispose(): void {
    this.first.dispose();
    for (const s of this.stages) {
      s.up.dispose();
      for (const b of s.blocks) { b.conv1.dispose(); b.conv2.dispose(); b.shortcut.dispose(); }
    }
    this.last.dispose();
  }
}
