/**
 * The conditioned WaveNet decoder of the autoencoders (see ae.ts). Two weight layouts, uploaded at
 * construction (outside any scope, so they live until dispose()); `layouts` picks them, so a model
 * that only generates never holds the other copy:
 *   sequence  conv1d tensors for teacher-forced logits over whole clips (forward())
 *   step      transposed vec4 packs for one-sample generation steps (src/ops/nsynth_step.ts)
 * Every layer's conditioning 1x1 and the head's are stacked into one conv over the encoding, run
 * once per clip at frame rate (condition()).
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import { conv1d } from '../../ops/conv1d.js';
import { relu } from '../../ops/elementwise.js';
import { transpose } from '../../ops/layout.js';
import { condRelu, gateCond } from '../../ops/nsynth.js';
import { packConv, packMix, disposeStepWeights, type StepWeights } from '../../ops/nsynth_step.js';
import { decoderDims, rank3, stackCond, type AeDecoderDims, type AeDecoderParams, type AeDecoderSpec, type Conv } from './ae.js';

interface GpuConv { w: Tensor; b: Tensor | null }

interface SeqWeights {
  start: GpuConv; skipStart: GpuConv; out1: GpuConv; logits: GpuConv;
  layers: { dil: GpuConv; res: GpuConv; skip: GpuConv }[];
}

export interface DecoderStepWeights {
  start: StepWeights; skipStart: StepWeights; out1: StepWeights; logits: StepWeights;
  layers: { dil: StepWeights; mix: StepWeights }[];
  table: Tensor;
}

function upload(gpu: Gpu, c: Conv): GpuConv {
  const w = rank3(c);
  return { w: gpu.tensor(w.data, w.shape), b: c.b ? gpu.tensor(c.b.data) : null };
}

/** Which weight layouts a decoder uploads: 'forward' (teacher forcing), 'generate' (steps) or both. */
export type DecoderLayouts = 'both' | 'forward' | 'generate';

export class AeDecoder {
  readonly dims: AeDecoderDims;
  private seq: SeqWeights | null = null;
  private stepW: DecoderStepWeights | null = null;
  private condW: GpuConv;

  constructor(readonly gpu: Gpu, params: AeDecoderParams, readonly spec: AeDecoderSpec, layouts: DecoderLayouts = 'both') {
    this.dims = decoderDims(params);
    const d = this.dims;
    if (spec.dilations.length !== d.layers) throw new WaveGpuError('decoder', `${spec.dilations.length} dilations for ${d.layers} layers`);
    if (spec.inputTable.length !== d.classes) throw new WaveGpuError('decoder', `input table has ${spec.inputTable.length} values for ${d.classes} classes`);
    if (!Number.isInteger(spec.hop) || spec.hop < 1) throw new WaveGpuError('decoder', `hop must be a positive integer, got ${spec.hop}`);
    this.condW = upload(gpu, stackCond(params));
    if (layouts !== 'generate') this.seq = this.uploadSeq(params);
    if (layouts !== 'forward') this.stepW = this.uploadStep(params);
  }

  /** Receptive field in samples (start conv + dilated layers). */
  get receptiveField(): number {
    return this.dims.ks + this.spec.dilations.reduce((n, d) => n + (this.dims.k - 1) * d, 0);
  }

  /** Channel offset of layer l's conditioning in condition()'s output (the head's is at layers * 2R). */
  condOffset(l: number): number {
    return l * 2 * this.dims.r;
  }

  /** enc: [B, Z, F] -> every layer's conditioning and the head's, [B, layers * 2R + S, F]. */
  condition(enc: Tensor): Tensor {
    if (enc.dtype !== 'f32' || enc.rank !== 3 || enc.shape[1] !== this.dims.z) throw new WaveGpuError('decoder', `encoding is ${fmtShape(enc.shape)} ${enc.dtype}, expected f32 [B, ${this.dims.z}, frames]`);
    return conv1d(enc, this.condW.w, { bias: this.condW.b });
  }

  private uploadSeq(p: AeDecoderParams): SeqWeights {
    const g = this.gpu;
    return {
      start: upload(g, p.start), skipStart: upload(g, p.skipStart), out1: upload(g, p.out1), logits: upload(g, p.logits),
      layers: p.layers.map((l) => ({ dil: upload(g, l.dil), res: upload(g, l.res), skip: upload(g, l.skip) })),
    };
  }

  private uploadStep(p: AeDecoderParams): DecoderStepWeights {
    const g = this.gpu, l3 = (c: Conv) => rank3(c);
    return {
      start: packConv(g, 'start', l3(p.start), p.start.b), skipStart: packConv(g, 'skip_start', l3(p.skipStart), p.skipStart.b),
      out1: packConv(g, 'out1', l3(p.out1), p.out1.b), logits: packConv(g, 'logits', l3(p.logits), p.logits.b),
      layers: p.layers.map((l, i) => ({ dil: packConv(g, `layer ${i} dilated conv`, l3(l.dil), l.dil.b), mix: packMix(g, l3(l.res), l.res.b, l3(l.skip), l.skip.b) })),
      table: g.tensor(this.spec.inputTable),
    };
  }

  private seqWeights(): SeqWeights {
    if (!this.seq) throw new WaveGpuError('decoder', "this decoder was built with layouts 'generate'; build it with 'forward' or 'both' for teacher-forced logits");
    return this.seq;
  }

  /** Weights in the step kernels' layout. */
  stepWeights(): DecoderStepWeights {
    if (!this.stepW) throw new WaveGpuError('decoder', "this decoder was built with layouts 'forward'; build it with 'generate' or 'both' to generate");
    return this.stepW;
  }

  /** condition() laid out frame-major for the step kernels: [B, F, layers * 2R + S]. */
  stepCondition(enc: Tensor): Tensor {
    return this.gpu.scope(() => transpose(this.condition(enc), 1, 2));
  }

  /**
   * Teacher-forced logits. x: [B, T] input values (x[t] precedes the sample predicted at t),
   * enc: [B, Z, F] with frame f conditioning samples f*hop .. (f+1)*hop - 1 -> [B, classes, T].
   */
  forward(x: Tensor, enc: Tensor): Tensor {
    if (x.dtype !== 'f32' || x.rank !== 2) throw new WaveGpuError('decoder', `x is ${fmtShape(x.shape)} ${x.dtype}, expected f32 [B, T]`);
    const [b, t] = x.shape;
    if (enc.shape[0] !== b) throw new WaveGpuError('decoder', `encoding batch ${enc.shape[0]} differs from the input batch ${b}`);
    const w = this.seqWeights(), hop = this.spec.hop, L = this.dims.layers, gpu = this.gpu;
    return gpu.scope(() => {
      const c = this.condition(enc);
      let h = conv1d(x.reshape([b, 1, t]), w.start.w, { bias: w.start.b, causal: true });
      let s = conv1d(h, w.skipStart.w, { bias: w.skipStart.b });
      w.layers.forEach((l, i) => {
        const [hn, sn] = gpu.scope(() => {
          const z = conv1d(h, l.dil.w, { bias: l.dil.b, dilation: this.spec.dilations[i], causal: true });
          const a = gateCond(z, { c, offset: this.condOffset(i), hop });
          const next = i < L - 1 ? conv1d(a, l.res.w, { bias: l.res.b, residual: h }) : h;
          return [next, conv1d(a, l.skip.w, { bias: l.skip.b, residual: s })];
        });
        if (hn !== h) h.dispose();
        s.dispose();
        h = hn;
        s = sn;
      });
      const e = condRelu(conv1d(relu(s), w.out1.w, { bias: w.out1.b }), { c, offset: this.condOffset(L), hop });
      return conv1d(e, w.logits.w, { bias: w.logits.b });
    });
  }

  dispose(): void {
    const convs: GpuConv[] = [this.condW];
    if (this.seq) convs.push(this.seq.start, this.seq.skipStart, this.seq.out1, this.seq.logits, ...this.seq.layers.flatMap((l) => [l.dil, l.res, l.skip]));
    for (const c of convs) { c.w.dispose(); c.b?.dispose(); }
    if (this.stepW) {
      const s = this.stepW;
      for (const w of [s.start, s.skipStart, s.out1, s.logits, ...s.layers.flatMap((l) => [l.dil, l.mix])]) disposeStepWeights(w);
      s.table.dispose();
    }
    this.seq = this.stepW = null;
  }
}
