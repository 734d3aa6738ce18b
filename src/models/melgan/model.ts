/**
 * MelGAN generator on the GPU (src/models/vocoder/melgan_core.ts): reflect pad 3 + conv k7
 * (nMels -> 16 ngf); per ratio r in 8, 8, 2, 2: leaky_relu 0.2, conv_transpose (k 2r, stride r,
 * padding r/2 + r%2, output_padding r%2) and n residual blocks with dilations 3^j; leaky_relu,
 * reflect pad 3, conv k7 (ngf -> 1), tanh. Weight norm is folded at load.
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import { Context, Conv, ConvT } from '../vocoder/nn.js';
import { MelganCore, type ResBlock, type UpStage } from '../vocoder/melgan_core.js';
import type { ForwardOptions, MelStats, Vocoder } from '../vocoder/types.js';
import type { StateDict } from '../vocoder/weights.js';
import { MELGAN_MEL, melganLayout, type MelganConfig } from './config.js';

export class MelGAN implements Vocoder {
  readonly kind = 'melgan';
  readonly description: string;
  readonly nMels: number;
  readonly hop: number;
  readonly sampleRate = MELGAN_MEL.sampleRate;
  readonly melConfig = MELGAN_MEL;
  stats: MelStats | null = null;
  readonly gpu: Gpu;
  readonly context: { left: number; right: number };
  readonly macsPerSample: number;

  private constructor(readonly config: MelganConfig, private core: MelganCore) {
    this.gpu = core.first.w.gpu;
    this.nMels = config.nMels;
    this.hop = core.upsampling;
    this.description = `melgan ngf ${config.ngf}, ${config.nResidualLayers} residual layers, ${config.nMels} mels`;
    const ctx = new Context();
    core.addContext(ctx);
    this.context = ctx.frames();
    this.macsPerSample = core.macsPerFrame() / this.hop;
  }

  static async load(gpu: Gpu, sd: StateDict, config: MelganConfig): Promise<MelGAN> {
    const L = melganLayout(config);
    let ch = config.ngf * 2 ** config.ratios.length;
    const reflect = { paddingMode: 'reflect' as const };
    const first = await Conv.load(gpu, sd, `model.${L.first}`, { cin: config.nMels, cout: ch, k: 7, ...reflect });
    const stages: UpStage[] = [];
    for (let i = 0; i < config.ratios.length; i++) {
      const r = config.ratios[i], out = ch / 2;
      const up = await ConvT.load(gpu, sd, `model.${L.stages[i].up}`, { cin: ch, cout: out, k: 2 * r, stride: r, padding: (r >> 1) + (r % 2), outputPadding: r % 2 });
      const blocks: ResBlock[] = [];
      for (let j = 0; j < config.nResidualLayers; j++) {
        const p = `model.${L.stages[i].blocks[j]}`, d = 3 ** j;
        blocks.push({
          conv1: await Conv.load(gpu, sd, `${p}.block.2`, { cin: out, cout: out, k: 3, dilation: d, ...reflect }),
          conv2: await Conv.load(gpu, sd, `${p}.block.4`, { cin: out, cout: out, k: 1 }),
          shortcut: await Conv.load(gpu, sd, `${p}.shortcut`, { cin: out, cout: out, k: 1 }),
        });
      }
      stages.push({ up, blocks });
      ch = out;
    }
    const last = await Conv.load(gpu, sd, `model.${L.last}`, { cin: ch, cout: 1, k: 7, ...reflect });
    return new MelGAN(config, new MelganCore(first, stages, last, 0.2));
  }

  forward(mel: Tensor, _opts: ForwardOptions = {}): Tensor {
    if (mel.rank !== 2 || mel.shape[0] !== this.nMels) throw new WaveGpuError('melgan', `mel must be [${this.nMels}, frames], got ${fmtShape(mel.shape)}`);
    const frames = mel.shape[1];
    if (frames < 4) throw new WaveGpuError('melgan', `needs at least 4 mel frames (reflect padding of 3), got ${frames}`);
    return mel.gpu.scope(() => this.core.run(mel.reshape([1, this.nMels, frames])).reshape([frames * this.hop]));
  }

  dispose(): void {
    this.core.dispose();
  }
}
