/**
 * A general WaveNet on the engine: start conv (scalar or one-hot input) -> stack of fused gated
 * residual layers (src/ops/gate.ts, one dispatch each) -> relu -> 1x1 head (one or two layers).
 *
 * forward(input [T]) -> logits [classes, T - receptiveField + 1]; column j predicts the class of
 * sample receptiveField + j (0-based: the sample after the last one it saw). The whole pass is
 * recorded into one encoder; nothing is read back.
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import { gate, type GateWeights, type HostTensor } from '../../ops/gate.js';
import { dilationsOf, receptiveField, type WaveNetConfig } from './config.js';
import { embedOneHot, pointwise, type HeadLayout, type PointwiseLayout } from './kernels.js';

/** Conditioning: local features at the sample rate [B, Cl, T], a global vector [B, Cg], or both. */
export interface WaveNetCond { local?: HostTensor; global?: HostTensor }

export interface WaveNetParts {
  /** One packed buffer for all gated layers (each GateWeights points into it). */
  layers: GateWeights[];
  /** Start conv and head, packed by kernels.ts's Packer. */
  misc: Tensor;
  start: PointwiseLayout;
  head: HeadLayout;
}

export class WaveNet {
  readonly dilations: number[];
  readonly receptiveField: number;

  constructor(readonly gpu: Gpu, readonly config: WaveNetConfig, readonly parts: WaveNetParts) {
    this.dilations = dilationsOf(config);
    this.receptiveField = receptiveField(config);
    if (parts.layers.length !== this.dilations.length) {
      throw new WaveGpuError('wavenet', `${parts.layers.length} layers of weights for ${this.dilations.length} dilations`);
    }
  }

  get classes(): number { return this.config.classes; }

  /**
   * Teacher-forced logits. input: companded mu-law values, [T] or [B, T]. Returns [C, T - RF + 1]
   * (or [B, C, T - RF + 1]).
   */
  forward(input: Tensor, cond?: WaveNetCond): Tensor {
    const rank = input.rank;
    if (input.dtype !== 'f32' || (rank !== 1 && rank !== 2)) throw new WaveGpuError('wavenet', `input is ${fmtShape(input.shape)} ${input.dtype}, expected f32 [T] or [B, T] of companded values`);
    const [b, t] = rank === 1 ? [1, input.shape[0]] : input.shape;
    const out = t - this.receptiveField + 1;
    if (out < 1) throw new WaveGpuError('wavenet', `input of ${t} samples is shorter than the receptive field ${this.receptiveField}; give at least ${this.receptiveField}`);
    const gpu = this.gpu;
    return gpu.scope(() => {
      const condT = this.condTensor(cond, b, t);
      let h = this.embed(input.reshape([b, t]));
      const skip = gpu.empty([b, this.config.skipChannels, out], 'f32', 'wavenet');
      this.parts.layers.forEach((w, i) => {
        const next = gate(h, w, { dilation: this.dilations[i], skip, skipInit: i === 0, cond: condT });
        if (next) h = next;
      });
      const logits = this.head(skip);
      return rank === 1 ? logits.reshape([this.classes, out]) : logits;
    });
  }

  /** Start conv: [B, T] companded values -> [B, R, T]. */
  embed(x: Tensor): Tensor {
    const { misc, start } = this.parts;
    if (this.config.input === 'onehot') return embedOneHot(x, misc, start);
    return pointwise(x.reshape([x.shape[0], 1, x.shape[1]]), misc, start);
  }

  /** relu -> 1x1 (-> relu -> 1x1): skip [B, S, T] -> logits [B, C, T]. */
  head(skip: Tensor): Tensor {
    const { misc, head } = this.parts;
    const y = pointwise(skip, misc, head.l1, { relu: true });
    return head.l2 ? pointwise(y, misc, head.l2, { relu: true }) : y;
  }

  /** Uploads the conditioning as one tensor: local and global stacked as [B, Cl + Cg, T], or global [B, Cg]. */
  condTensor(cond: WaveNetCond | undefined, b: number, t: number): Tensor | undefined {
    const merged = mergeCond(this.config, cond, b, t);
    return merged ? this.gpu.tensor(merged.data, merged.shape) : undefined;
  }

  dispose(): void {
    this.parts.layers[0]?.w.dispose();
    this.parts.misc.dispose();
  }
}

/** Local [B, Cl, T] and global [B, Cg] stacked along channels (global repeated over time). */
export function mergeCond(c: WaveNetConfig, cond: WaveNetCond | undefined, b: number, t: number): HostTensor | null {
  const cl = c.localChannels, cg = c.globalChannels;
  const want = (name: string, x: HostTensor | undefined, shape: number[]) => {
    if (!shape[1]) {
      if (x) throw new WaveGpuError('wavenet', `${name} conditioning ${fmtShape(x.shape)} given but the model has none`);
      return;
    }
    if (!x || x.shape.length !== shape.length || x.shape.some((d, i) => d !== shape[i])) {
      throw new WaveGpuError('wavenet', `${name} conditioning is ${x ? fmtShape(x.shape) : 'missing'}, expected ${fmtShape(shape)}`);
    }
  };
  want('local', cond?.local, [b, cl, t]);
  want('global', cond?.global, [b, cg]);
  if (!cl && !cg) return null;
  if (!cl) return { data: cond!.global!.data, shape: [b, cg] };
  const data = new Float32Array(b * (cl + cg) * t);
  for (let i = 0; i < b; i++) {
    data.set(cond!.local!.data.subarray(i * cl * t, (i + 1) * cl * t), i * (cl + cg) * t);
    for (let j = 0; j < cg; j++) data.fill(cond!.global!.data[i * cg + j], (i * (cl + cg) + cl + j) * t, (i * (cl + cg) + cl + j + 1) * t);
  }
  return { data, shape: [b, cl + cg, t] };
}
