/**
 * The layers the vocoders are made of, over the engine's ops: a 1-D convolution (any padding
 * mode, dilation, fused bias / activation / residual epilogue) and a transposed one, with their
 * weights loaded by official name; plus the receptive-field bookkeeping that exact streaming
 * needs (Context). Activations and data stay [1, C, T].
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';
import { conv1d, type Activation, type PaddingMode } from '../../ops/conv1d.js';
import { convTranspose1d } from '../../ops/conv_transpose1d.js';
import { expectShape, upload, type StateDict } from './weights.js';
import type { HostTensor } from './types.js';

/** Returns y after releasing the tensors it was computed from (they go back to the pool). */
export function consume<T extends Tensor>(y: T, ...used: Tensor[]): T {
  for (const u of used) if (u !== y) u.dispose();
  return y;
}

export interface Epi {
  /** leaky_relu(x, inputSlope) applied to the input as the kernel loads it (0: relu). */
  inputSlope?: number;
  activation?: Activation;
  slope?: number;
  residual?: Tensor | null;
  /** A second tensor added after `residual`. */
  residual2?: Tensor | null;
}

/** The conv ops' prologue options for an Epi. */
function prologue(epi: Epi): { inputActivation?: 'relu' | 'leaky_relu'; inputSlope?: number } {
  if (epi.inputSlope === undefined) return {};
  return epi.inputSlope === 0 ? { inputActivation: 'relu' } : { inputActivation: 'leaky_relu', inputSlope: epi.inputSlope };
}

export interface ConvSpec {
  cin: number;
  cout: number;
  k: number;
  dilation?: number;
  /** [left, right]; default 'same' for odd k: (k - 1) * dilation / 2 each side. */
  padding?: readonly [number, number];
  paddingMode?: PaddingMode;
  bias?: boolean;
}

/** A Conv1d layer. w: [Cout, Cin, K], b: [Cout]. */
export class Conv {
  readonly dilation: number;
  readonly padding: [number, number];
  readonly paddingMode: PaddingMode;

  constructor(readonly spec: ConvSpec, readonly w: Tensor, readonly b: Tensor | null) {
    this.dilation = spec.dilation ?? 1;
    const half = ((spec.k - 1) * this.dilation) >> 1;
    this.padding = spec.padding ? [spec.padding[0], spec.padding[1]] : [half, half];
    this.paddingMode = spec.paddingMode ?? 'zeros';
  }

  /** Loads `<name>.weight` (weight norm folded) and `<name>.bias`. */
  static async load(gpu: Gpu, sd: StateDict, name: string, spec: ConvSpec): Promise<Conv> {
    const w = expectShape(sd.model, `${name}.weight`, await sd.weight(name), [spec.cout, spec.cin, spec.k]);
    const b = spec.bias === false ? null : expectShape(sd.model, `${name}.bias`, await sd.get(`${name}.bias`), [spec.cout]);
    return Conv.from(gpu, spec, w, b);
  }

  static from(gpu: Gpu, spec: ConvSpec, w: HostTensor, b: HostTensor | null): Conv {
    return new Conv(spec, upload(gpu, w, [spec.cout, spec.cin, spec.k]), b ? upload(gpu, b, [spec.cout]) : null);
  }

  /** x: [1, Cin, T] -> [1, Cout, T'] */
  run(x: Tensor, epi: Epi = {}): Tensor {
    return conv1d(x, this.w, {
      dilation: this.dilation, padding: this.padding, paddingMode: this.paddingMode, ...prologue(epi),
      bias: this.b, activation: epi.activation, slope: epi.slope, residual: epi.residual, residual2: epi.residual2,
    });
  }

  /** Multiply-accumulates per output step. */
  get macs(): number {
    return this.spec.cout * this.spec.cin * this.spec.k;
  }

  dispose(): void {
    this.w.dispose();
    this.b?.dispose();
  }
}

export interface ConvTSpec {
  cin: number;
  cout: number;
  k: number;
  stride: number;
  padding: number;
  outputPadding?: number;
  bias?: boolean;
}

/** A ConvTranspose1d layer. w: [Cin, Cout, K] (torch layout), b: [Cout]. */
export class ConvT {
  constructor(readonly spec: ConvTSpec, readonly w: Tensor, readonly b: Tensor | null) {}

  static async load(gpu: Gpu, sd: StateDict, name: string, spec: ConvTSpec): Promise<ConvT> {
    const w = expectShape(sd.model, `${name}.weight`, await sd.weight(name), [spec.cin, spec.cout, spec.k]);
    const b = spec.bias === false ? null : expectShape(sd.model, `${name}.bias`, await sd.get(`${name}.bias`), [spec.cout]);
    return ConvT.from(gpu, spec, w, b);
  }

  static from(gpu: Gpu, spec: ConvTSpec, w: HostTensor, b: HostTensor | null): ConvT {
    return new ConvT(spec, upload(gpu, w, [spec.cin, spec.cout, spec.k]), b ? upload(gpu, b, [spec.cout]) : null);
  }

  /** x: [1, Cin, T] -> [1, Cout, (T - 1) * stride - 2 * padding + K + outputPadding] */
  run(x: Tensor, epi: Epi = {}): Tensor {
    const s = this.spec;
    return convTranspose1d(x, this.w, {
      stride: s.stride, padding: s.padding, outputPadding: s.outputPadding ?? 0, ...prologue(epi),
      bias: this.b, activation: epi.activation, slope: epi.slope, residual: epi.residual, residual2: epi.residual2,
    });
  }

  /** Multiply-accumulates per output step (each output sees K / stride taps per input channel). */
  get macs(): number {
    return (this.spec.cin * this.spec.cout * this.spec.k) / this.spec.stride;
  }

  dispose(): void {
    this.w.dispose();
    this.b?.dispose();
  }
}

/**
 * Receptive field in mel frames, accumulated layer by layer: the largest reach of each layer,
 * converted to frames at its rate, summed along a chain (the widest of parallel branches) and
 * rounded up. Padding of either kind counts: at a window edge it is what differs.
 * `rate` is the layer's input samples per mel frame.
 */
export class Context {
  left = 0;
  right = 0;

  /** A conv over [T] at `rate` samples per frame with padding [pl, pr] and span d (k - 1) + 1. */
  conv(k: number, dilation: number, padding: readonly [number, number], rate: number): void {
    const span = dilation * (k - 1);
    this.left += Math.max(padding[0], 0) / rate;
    this.right += Math.max(span - padding[0], 0) / rate;
  }

  /**
   * A transposed conv from `rate` to `rate * stride` samples per frame: output t reads inputs
   * ceil((t + p - k + 1) / s) .. floor((t + p) / s), at most (k - 1 - p) / s input samples
   * before t / s and p / s after.
   */
  convT(k: number, stride: number, padding: number, rate: number): void {
    this.left += Math.max(k - 1 - padding, 0) / stride / rate;
    this.right += padding / stride / rate;
  }

  /** Branches whose outputs are summed: the widest one counts. */
  parallel(branches: ((c: Context) => void)[]): void {
    let left = 0, right = 0;
    for (const b of branches) {
      const c = new Context();
      b(c);
      left = Math.max(left, c.left);
      right = Math.max(right, c.right);
    }
    this.left += left;
    this.right += right;
  }

  frames(): { left: number; right: number } {
    return { left: Math.ceil(this.left - 1e-9), right: Math.ceil(this.right - 1e-9) };
  }
}
