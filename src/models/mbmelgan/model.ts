/**
 * Multi-band MelGAN on the GPU: the MelGAN generator core (src/models/vocoder/melgan_core.ts)
 * producing 4 sub-bands at hop / 4, then PQMF synthesis:
 *   'graph' PQMF: exactly the graph's two layers, a conv_transpose with the stored updown filter
 *     (M on the diagonal of tap 0: zero insertion times M) and a 63-tap conv (zero padding 31)
 *     with the stored (quantised) synthesis filter;
 *   'design' PQMF: src/ops/pqmf.ts (the float64 Kaiser design the graph's filter was made from).
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import { Pqmf, PQMF_MBMELGAN } from '../../ops/pqmf.js';
import { Context, Conv, ConvT, consume } from '../vocoder/nn.js';
import { MelganCore, type ResBlock, type UpStage } from '../vocoder/melgan_core.js';
import type { ForwardOptions, MelStats, Vocoder } from '../vocoder/types.js';
import type { GraphConv, MbMelganGraph } from './graph.js';
import { MBMELGAN_MEL, type MbMelganConfig } from './config.js';

function conv(gpu: Gpu, g: MbMelganGraph, name: string): Conv {
  const c = g.convs.get(name);
  if (!c || c.transposed) throw new WaveGpuError('mbmelgan', `graph has no conv '${name}'`);
  return Conv.from(gpu, { cin: c.cin, cout: c.cout, k: c.k, dilation: c.dilation, padding: c.padding, paddingMode: c.paddingMode }, c.weight, c.bias);
}

function convT(gpu: Gpu, c: GraphConv | undefined, name: string): ConvT {
  if (!c || !c.transposed) throw new WaveGpuError('mbmelgan', `graph has no transposed conv '${name}'`);
  return ConvT.from(gpu, { cin: c.cin, cout: c.cout, k: c.k, stride: c.stride, padding: c.padding[0], bias: !!c.bias }, c.weight, c.bias);
}

export class MultiBandMelGAN implements Vocoder {
  readonly kind = 'mbmelgan';
  readonly description: string;
  readonly nMels: number;
  readonly hop: number;
  readonly sampleRate = MBMELGAN_MEL.sampleRate;
  readonly melConfig = MBMELGAN_MEL;
  stats: MelStats | null = null;
  readonly gpu: Gpu;
  readonly context: { left: number; right: number };
  readonly macsPerSample: number;

  private constructor(readonly config: MbMelganConfig, private core: MelganCore, private updown: ConvT | null,
    private synthesis: Conv | null, private pqmf: Pqmf | null) {
    this.gpu = core.first.w.gpu;
    this.nMels = config.nMels;
    this.hop = core.upsampling * config.subbands;
    this.description = `multi-band melgan ${config.filters} filters, upsampling ${config.upsampleScales.join('x')}, ${config.subbands} bands (${config.pqmf} PQMF)`;
    const ctx = new Context();
    const rate = core.addContext(ctx);
    const taps = synthesis ? synthesis.spec.k : pqmf!.design.length;
    ctx.convT(config.subbands, config.subbands, 0, rate);
    ctx.conv(taps, 1, [(taps - 1) >> 1, taps >> 1], rate * config.subbands);
    this.context = ctx.frames();
    this.macsPerSample = core.macsPerFrame() / this.hop + config.subbands * (taps + config.subbands);
  }

  static fromGraph(gpu: Gpu, g: MbMelganGraph, pqmf: 'graph' | 'design' = 'graph'): MultiBandMelGAN {
    const first = conv(gpu, g, 'first_conv');
    const stages: UpStage[] = [];
    for (let i = 0; i < g.stages; i++) {
      const up = convT(gpu, g.convs.get(`upsample.${i}`), `upsample.${i}`);
      const blocks: ResBlock[] = [];
      for (let j = 0; j < g.blocks; j++) {
        const p = `stack.${i}.${j}`;
        blocks.push({ conv1: conv(gpu, g, `${p}.conv1`), conv2: conv(gpu, g, `${p}.conv2`), shortcut: conv(gpu, g, `${p}.shortcut`) });
      }
      stages.push({ up, blocks });
    }
    const last = conv(gpu, g, 'last_conv');
    const core = new MelganCore(first, stages, last, g.slope);
    const config: MbMelganConfig = {
      nMels: first.spec.cin, filters: first.spec.cout, upsampleScales: stages.map((s) => s.up.spec.stride),
      stacks: g.blocks, subbands: last.spec.cout, slope: g.slope, pqmf,
    };
    if (pqmf === 'design') return new MultiBandMelGAN(config, core, null, null, new Pqmf(gpu, { ...PQMF_MBMELGAN, subbands: config.subbands }));
    const ud = g.convs.get('pqmf.updown'), syn = g.convs.get('pqmf.synthesis');
    if (!ud || !syn) throw new WaveGpuError('mbmelgan', 'the graph has no in-graph PQMF (pqmf.updown / pqmf.synthesis); load with pqmf: \'design\'');
    const synthesis = Conv.from(gpu, { cin: syn.cin, cout: syn.cout, k: syn.k, padding: syn.padding, bias: !!syn.bias }, syn.weight, syn.bias);
    return new MultiBandMelGAN(config, core, convT(gpu, ud, 'pqmf.updown'), synthesis, null);
  }

  forward(mel: Tensor, _opts: ForwardOptions = {}): Tensor {
    if (mel.rank !== 2 || mel.shape[0] !== this.nMels) throw new WaveGpuError('mbmelgan', `mel must be [${this.nMels}, frames], got ${fmtShape(mel.shape)}`);
    const frames = mel.shape[1];
    if (frames < 4) throw new WaveGpuError('mbmelgan', `needs at least 4 mel frames (reflect padding of 3), got ${frames}`);
    return mel.gpu.scope(() => {
      const bands = this.core.run(mel.reshape([1, this.nMels, frames]));     // [1, M, frames * hop / M]
      if (this.pqmf) return consume(this.pqmf.synthesis(bands), bands).reshape([frames * this.hop]);
      const up = consume(this.updown!.run(bands), bands);
      return consume(this.synthesis!.run(up), up).reshape([frames * this.hop]);
    });
  }

  /** The sub-band signals [M, frames * hop / M] before PQMF synthesis (for tests). */
  subbands(mel: Tensor): Tensor {
    const frames = mel.shape[1];
    return mel.gpu.scope(() => this.core.run(mel.reshape([1, this.nMels, frames])).reshape([this.config.subbands, frames * this.hop / this.config.subbands]));
  }

  dispose(): void {
    this.core.dispose();
    this.updown?.dispose();
    this.synthesis?.dispose();
    this.pqmf?.dispose();
  }
}
