/**
 * Parallel WaveGAN generator on the GPU (non-causal WaveNet fed with noise, conditioned on an
 * upsampled mel):
 *   c = conv_in(replicate_pad(mel, W))                      (k = 2W + 1, no bias)
 *   per scale s: c = conv_(1, 2s+1)(nearest_stretch(c, s))   (one shared kernel for all channels)
 *   x = first_conv(z)                                        (z: noise, 1 -> R channels)
 *   per layer n (dilation 2^(n mod L/stacks)):
 *     a = tanh(za) * sigmoid(zb),  [za; zb] = conv_k,d(x) + conv1x1_aux(c)
 *     x = (x + conv1x1_out(a)) * sqrt(1/2);   skips += conv1x1_skip(a)
 *   y = conv1x1(relu(conv1x1(relu(skips * sqrt(1/layers)))))
 * The stretch + Conv2d pairs run as depthwise transposed convs (kernel 3s, see upsample()).
 * Layers run as the fused gate op (dilated conv + conditioning + gating, src/ops/gate.ts) on a
 * zero-padded input, then two 1x1 convs whose epilogue adds the residual and the skip sum.
 * The residual's sqrt(1/2) is folded into the weights: with u_n = x_n / 2^(-n/2), layer n's
 * dilated conv takes weights * 2^(-n/2) and its residual conv weights and bias * 2^(n/2), so
 * u_(n+1) = u_n + conv1x1_out'(a) is a plain residual add. sqrt(1/layers) goes into the first
 * output conv (it follows a ReLU). Noise sample i is Philox normal number i of the seed, so a
 * streaming window starting at frame f draws the same noise as the whole utterance.
 */
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import { conv1d } from '../../ops/conv1d.js';
import { pad } from '../../ops/layout.js';
import { convTranspose1d } from '../../ops/conv_transpose1d.js';
import { gate, gateWeights, type GateWeights } from '../../ops/gate.js';
import { randomNormal } from '../../ops/softmax_sample.js';
import { Context, Conv, consume } from '../vocoder/nn.js';
import type { ForwardOptions, HostTensor, MelStats, Vocoder, MelConfig } from '../vocoder/types.js';
import { expectShape, upload, type StateDict } from '../vocoder/weights.js';
import type { PwgConfig } from './config.js';

interface Layer { dilation: number; gate: GateWeights; out: Conv; skip: Conv }

const scaled = (t: HostTensor, s: number): HostTensor => ({ data: t.data.map((v) => v * s), shape: t.shape });

/** The (2s+1)-tap kernel after a nearest stretch by s, as a transposed-conv kernel [A, 1, 3s] (every channel alike). */
export function foldStretch(w: Float32Array, s: number, channels: number): HostTensor {
  const k = new Float64Array(3 * s);
  for (let r = -s; r < 2 * s; r++) {
    for (let j = Math.max(0, s - r); j <= Math.min(2 * s, 2 * s - 1 - r); j++) k[r + s] += w[j];
  }
  const data = new Float32Array(channels * 3 * s);
  for (let a = 0; a < channels; a++) for (let i = 0; i < 3 * s; i++) data[a * 3 * s + i] = k[i];
  return { data, shape: [channels, 1, 3 * s] };
}

export class ParallelWaveGAN implements Vocoder {
  readonly kind = 'pwg';
  readonly description: string;
  readonly nMels: number;
  readonly hop: number;
  readonly sampleRate: number;
  stats: MelStats | null = null;
  readonly gpu: Gpu;
  readonly context: { left: number; right: number };
  readonly macsPerSample: number;
  /** Seed of the noise input. */
  seed = 0;

  private constructor(readonly config: PwgConfig, readonly melConfig: MelConfig, private convIn: Tensor, private upKernels: Tensor[],
    private first: Conv, private layers: Layer[], private last1: Conv, private last2: Conv) {
    this.gpu = first.w.gpu;
    const c = config;
    this.nMels = c.auxChannels;
    this.hop = c.upsampleScales.reduce((a, b) => a * b, 1);
    this.sampleRate = melConfig.sampleRate;
    this.description = `parallel wavegan ${c.layers} layers / ${c.stacks} stacks, ${c.residualChannels}/${c.gateChannels}/${c.skipChannels} channels`;
    const ctx = new Context();
    ctx.conv(2 * c.auxContextWindow + 1, 1, [c.auxContextWindow, c.auxContextWindow], 1);
    let rate = 1, upMacs = 0;
    for (const s of c.upsampleScales) {
      ctx.convT(s, s, 0, rate); // the nearest stretch
      rate *= s;
      ctx.conv(2 * s + 1, 1, [s, s], rate);
      upMacs += c.auxChannels * 3 * rate;
    }
    for (const l of layers) ctx.conv(c.kernelSize, l.dilation, [l.dilation * (c.kernelSize - 1) / 2, l.dilation * (c.kernelSize - 1) / 2], rate);
    this.context = ctx.frames();
    const perLayer = c.gateChannels * (c.residualChannels * c.kernelSize + c.auxChannels) + (c.gateChannels / 2) * (c.residualChannels + c.skipChannels);
    this.macsPerSample = (c.auxChannels ** 2 * (2 * c.auxContextWindow + 1) + upMacs) / this.hop + first.macs + c.layers * perLayer + last1.macs + last2.macs;
  }

  static async load(gpu: Gpu, sd: StateDict, c: PwgConfig, mel: MelConfig): Promise<ParallelWaveGAN> {
    if (c.layers % c.stacks) throw new WaveGpuError('pwg', `layers ${c.layers} must be a multiple of stacks ${c.stacks}`);
    if (c.kernelSize % 2 === 0) throw new WaveGpuError('pwg', `kernel size ${c.kernelSize} must be odd (non-causal layers)`);
    const A = c.auxChannels, R = c.residualChannels, G = c.gateChannels, S = c.skipChannels, W = 2 * c.auxContextWindow + 1;
    const convIn = upload(gpu, expectShape('pwg', 'upsample_net.conv_in.weight', await sd.weight('upsample_net.conv_in'), [A, A, W]));
    const upKernels: Tensor[] = [];
    for (let i = 0; i < c.upsampleScales.length; i++) {
      const k = 2 * c.upsampleScales[i] + 1, name = `upsample_net.upsample.up_layers.${2 * i + 1}`;
      const w = expectShape('pwg', `${name}.weight`, await sd.weight(name), [1, 1, 1, k]);
      upKernels.push(upload(gpu, foldStretch(w.data, c.upsampleScales[i], A), [A, 1, 3 * c.upsampleScales[i]]));
    }
    const first = await Conv.load(gpu, sd, 'first_conv', { cin: 1, cout: R, k: 1 });
    const layers: Layer[] = [];
    const per = c.layers / c.stacks;
    for (let n = 0; n < c.layers; n++) {
      const p = `conv_layers.${n}`, dilation = 2 ** (n % per), g = Math.SQRT1_2 ** n;
      const wd = expectShape('pwg', `${p}.conv.weight`, await sd.weight(`${p}.conv`), [G, R, c.kernelSize]);
      const wc = expectShape('pwg', `${p}.conv1x1_aux.weight`, await sd.weight(`${p}.conv1x1_aux`), [G, A, 1]);
      const gw = gateWeights(gpu, { wd: scaled(wd, g), bd: await sd.get(`${p}.conv.bias`), wc, skip: 'identity' });
      const wr = expectShape('pwg', `${p}.conv1x1_out.weight`, await sd.weight(`${p}.conv1x1_out`), [R, G / 2, 1]);
      const out = Conv.from(gpu, { cin: G / 2, cout: R, k: 1 }, scaled(wr, 1 / g), scaled(await sd.get(`${p}.conv1x1_out.bias`), 1 / g));
      const skip = await Conv.load(gpu, sd, `${p}.conv1x1_skip`, { cin: G / 2, cout: S, k: 1 });
      layers.push({ dilation, gate: gw, out, skip });
    }
    const w1 = expectShape('pwg', 'last_conv_layers.1.weight', await sd.weight('last_conv_layers.1'), [S, S, 1]);
    const last1 = Conv.from(gpu, { cin: S, cout: S, k: 1 }, scaled(w1, Math.sqrt(1 / c.layers)), await sd.get('last_conv_layers.1.bias'));
    const last2 = await Conv.load(gpu, sd, 'last_conv_layers.3', { cin: S, cout: 1, k: 1 });
    return new ParallelWaveGAN(c, mel, convIn, upKernels, first, layers, last1, last2);
  }

  /**
   * mel [A, F] -> conditioning [1, A, F * hop]. Nearest stretch by s followed by the (1, 2s+1)
   * Conv2d (zero padding s) is one depthwise transposed conv per scale: output t = m s + r reads
   * c[m] through k'(r) = sum of w[j] over j in [s - r, 2s - 1 - r] n [0, 2s], r in [-s, 2s), i.e.
   * kernel 3s, stride s, padding s (folded at load, see foldStretch).
   */
  private upsample(mel: Tensor): Tensor {
    const A = this.nMels, W = this.config.auxContextWindow;
    let c = conv1d(mel.reshape([1, A, mel.shape[1]]), this.convIn, { padding: W, paddingMode: 'replicate' });
    this.config.upsampleScales.forEach((s, i) => {
      c = consume(convTranspose1d(c, this.upKernels[i], { stride: s, padding: s, groups: A }), c);
    });
    return c;
  }

  forward(mel: Tensor, opts: ForwardOptions = {}): Tensor {
    if (mel.rank !== 2 || mel.shape[0] !== this.nMels) throw new WaveGpuError('pwg', `mel must be [${this.nMels}, frames], got ${fmtShape(mel.shape)}`);
    const F = mel.shape[1], T = F * this.hop, gpu = mel.gpu;
    if (opts.noise && opts.noise.size !== T) throw new WaveGpuError('pwg', `noise must hold frames * hop = ${T} samples, got ${fmtShape(opts.noise.shape)}`);
    return gpu.scope(() => {
      const c = this.upsample(mel);
      const z = opts.noise ? opts.noise.reshape([1, 1, T]) : randomNormal(gpu, [1, 1, T], this.seed, (opts.frameOffset ?? 0) * this.hop);
      let x = this.first.run(z);
      let skips: Tensor | null = null;
      const D = this.config.gateChannels / 2, half = (this.config.kernelSize - 1) / 2;
      for (const l of this.layers) {
        const xp = pad(x, [l.dilation * half, l.dilation * half]);
        const a = gpu.empty([1, D, T], 'f32', 'pwg');
        gate(xp, l.gate, { dilation: l.dilation, cond: c, skip: a, skipInit: true });
        xp.dispose();
        x = consume(l.out.run(a, { residual: x }), x);
        skips = consume(l.skip.run(a, { residual: skips }), a, ...(skips ? [skips] : []));
      }
      const h = consume(this.last1.run(skips!, { inputSlope: 0, activation: 'relu' }), skips!);
      return this.last2.run(h).reshape([T]);
    });
  }

  dispose(): void {
    this.convIn.dispose();
    for (const k of this.upKernels) k.dispose();
    this.first.dispose();
    for (const l of this.layers) { l.gate.w.dispose(); l.out.dispose(); l.skip.dispose(); }
    this.last1.dispose();
    this.last2.dispose();
  }
}
