/**
 * HiFi-GAN generator on the GPU:
 *   conv_pre k7 (nMels -> C)
 *   per stage i: leaky_relu 0.1, ups[i] (conv_transpose k_u, stride u, padding (k_u - u) / 2),
 *     then multi-receptive-field fusion: the mean of nk residual blocks applied to the same input
 *     ResBlock1: per dilation d: x += conv_k(lrelu(conv_k,d(lrelu(x))))   (two convs)
 *     ResBlock2: per dilation d: x += conv_k,d(lrelu(x))
 *   leaky_relu 0.01 (torch's default slope, as the original), conv_post k7 (-> 1), tanh.
 * The mean's 1/nk is folded into the next layer's weights (ups[i+1] or conv_post): both follow a
 * leaky ReLU, which commutes with a positive scale, so only the bias keeps its value.
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import { Context, Conv, ConvT } from '../vocoder/nn.js';
import type { ForwardOptions, HostTensor, MelStats, Vocoder } from '../vocoder/types.js';
import { expectShape, type StateDict } from '../vocoder/weights.js';
import { HIFIGAN_MEL, type HifiganConfig } from './config.js';

/** One residual block: pairs [c1, c2] (ResBlock1) or single convs (ResBlock2, c2 null). */
type Block = { c1: Conv; c2: Conv | null }[];
interface Stage { up: ConvT; blocks: Block[] }

const SLOPE = 0.1;

function scaled(t: HostTensor, s: number): HostTensor {
  return { data: t.data.map((v) => v * s), shape: t.shape };
}

export class HiFiGAN implements Vocoder {
  readonly kind = 'hifigan';
  readonly description: string;
  readonly nMels: number;
  readonly hop: number;
  readonly sampleRate: number;
  stats: MelStats | null = null;
  readonly gpu: Gpu;
  readonly context: { left: number; right: number };
  readonly macsPerSample: number;

  private constructor(readonly config: HifiganConfig, readonly melConfig: typeof HIFIGAN_MEL, private pre: Conv, private stages: Stage[], private post: Conv) {
    this.gpu = pre.w.gpu;
    this.nMels = config.nMels;
    this.hop = config.upsampleRates.reduce((a, b) => a * b, 1);
    this.sampleRate = melConfig.sampleRate;
    this.description = `hifigan resblock ${config.resblock}, ${config.upsampleInitialChannel} channels, upsampling ${config.upsampleRates.join('x')}`;
    const ctx = new Context();
    let rate = 1, macs = pre.macs;
    ctx.conv(7, 1, pre.padding, rate);
    for (const s of stages) {
      ctx.convT(s.up.spec.k, s.up.spec.stride, s.up.spec.padding, rate);
      rate *= s.up.spec.stride;
      macs += s.up.macs * rate;
      ctx.parallel(s.blocks.map((b) => (c: Context) => {
        for (const { c1, c2 } of b) {
          c.conv(c1.spec.k, c1.dilation, c1.padding, rate);
          macs += c1.macs * rate;
          if (c2) { c.conv(c2.spec.k, 1, c2.padding, rate); macs += c2.macs * rate; }
        }
      }));
    }
    ctx.conv(7, 1, post.padding, rate);
    this.context = ctx.frames();
    this.macsPerSample = (macs + post.macs * rate) / this.hop;
  }

  static async load(gpu: Gpu, sd: StateDict, config: HifiganConfig, mel = HIFIGAN_MEL): Promise<HiFiGAN> {
    const c = config, nk = c.resblockKernelSizes.length;
    if (c.upsampleKernelSizes.length !== c.upsampleRates.length) throw new WaveGpuError('hifigan', `config has ${c.upsampleRates.length} upsample rates but ${c.upsampleKernelSizes.length} kernel sizes`);
    let ch = c.upsampleInitialChannel;
    const pre = await Conv.load(gpu, sd, 'conv_pre', { cin: c.nMels, cout: ch, k: 7 });
    const stages: Stage[] = [];
    for (let i = 0; i < c.upsampleRates.length; i++) {
      const u = c.upsampleRates[i], k = c.upsampleKernelSizes[i], out = ch >> 1;
      const spec = { cin: ch, cout: out, k, stride: u, padding: (k - u) >> 1 };
      const w = expectShape('hifigan', `ups.${i}.weight`, await sd.weight(`ups.${i}`), [ch, out, k]);
      const up = ConvT.from(gpu, spec, i === 0 ? w : scaled(w, 1 / nk), await sd.get(`ups.${i}.bias`));
      const blocks: Block[] = [];
      for (let j = 0; j < nk; j++) blocks.push(await HiFiGAN.loadBlock(gpu, sd, `resblocks.${i * nk + j}`, c, out, j));
      stages.push({ up, blocks });
      ch = out;
    }
    const w = expectShape('hifigan', 'conv_post.weight', await sd.weight('conv_post'), [1, ch, 7]);
    const post = Conv.from(gpu, { cin: ch, cout: 1, k: 7 }, scaled(w, 1 / nk), await sd.get('conv_post.bias'));
    return new HiFiGAN(c, mel, pre, stages, post);
  }

  private static async loadBlock(gpu: Gpu, sd: StateDict, p: string, c: HifiganConfig, ch: number, j: number): Promise<Block> {
    const k = c.resblockKernelSizes[j], dil = c.resblockDilationSizes[j];
    if (!dil) throw new WaveGpuError('hifigan', `config has no resblock_dilation_sizes[${j}]`);
    const block: Block = [];
    for (let m = 0; m < dil.length; m++) {
      if (c.resblock === '1') {
        block.push({
          c1: await Conv.load(gpu, sd, `${p}.convs1.${m}`, { cin: ch, cout: ch, k, dilation: dil[m] }),
          c2: await Conv.load(gpu, sd, `${p}.convs2.${m}`, { cin: ch, cout: ch, k }),
        });
      } else {
        block.push({ c1: await Conv.load(gpu, sd, `${p}.convs.${m}`, { cin: ch, cout: ch, k, dilation: dil[m] }), c2: null });
      }
    }
    return block;
  }

  /**
   * One residual block on x, plus `sum` when given (the running sum of the stage's blocks, added
   * by the last conv's epilogue instead of a separate pass). x itself is kept; every temporary
   * is released as soon as it is read.
   */
  private runBlock(block: Block, x0: Tensor, sum: Tensor | null = null): Tensor {
    let x = x0;
    for (let m = 0; m < block.length; m++) {
      const { c1, c2 } = block[m];
      const residual2 = m === block.length - 1 ? sum : null;
      let y: Tensor;
      if (c2) {
        const t = c1.run(x, { inputSlope: SLOPE, activation: 'leaky_relu', slope: SLOPE });
        y = c2.run(t, { residual: x, residual2 });
        t.dispose();
      } else {
        y = c1.run(x, { inputSlope: SLOPE, residual: x, residual2 });
      }
      if (x !== x0) x.dispose();
      x = y;
    }
    return x;
  }

  forward(mel: Tensor, _opts: ForwardOptions = {}): Tensor {
    if (mel.rank !== 2 || mel.shape[0] !== this.nMels) throw new WaveGpuError('hifigan', `mel must be [${this.nMels}, frames], got ${fmtShape(mel.shape)}`);
    const frames = mel.shape[1];
    return mel.gpu.scope(() => {
      let x = this.pre.run(mel.reshape([1, this.nMels, frames]));
      for (const s of this.stages) {
        const up = s.up.run(x, { inputSlope: SLOPE });
        x.dispose();
        x = up;
        let sum = this.runBlock(s.blocks[0], x);
        for (let j = 1; j < s.blocks.length; j++) {
          const next = this.runBlock(s.blocks[j], x, sum);
          sum.dispose();
          sum = next;
        }
        x.dispose();
        x = sum; // times nk: the 1/nk lives in the next layer's weights
      }
      return this.post.run(x, { inputSlope: 0.01, activation: 'tanh' }).reshape([frames * this.hop]);
    });
  }

  dispose(): void {
    this.pre.dispose();
    for (const s of this.stages) {
      s.up.dispose();
      for (const b of s.blocks) for (const { c1, c2 } of b) { c1.dispose(); c2?.dispose(); }
    }
    this.post.dispose();
  }
}
