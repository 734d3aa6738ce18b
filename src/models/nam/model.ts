/**
 * Neural Amp Modeler WaveNet on the engine, streaming: process() takes audio in any chunks and
 * keeps each layer's last (K-1)*dilation inputs between calls, so chunked output equals
 * whole-signal output. Per block of at most `blockSize` samples:
 *   rechannel (1x1) -> per layer one fused gate dispatch (src/ops/gate.ts: dilated conv + input
 *   mixin + tanh + 1x1 residual + head sum) -> head rechannel (1x1) -> next array ...
 * Each layer's input lives in a ring [B, C, (K-1)*dil + blockSize]: the previous layer writes its
 * output after the history, and the window moves by the block length, so no history is copied.
 * The last array's head 1x1 carries head_scale (folded in at load time).
 *
 * Before the first sample the input is silence: reset() runs receptiveField - 1 zeros through
 * (NAM's prewarm), which puts every ring in the state a silent past leaves.
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import { gateRing, type GateWeights, type RingView } from '../../ops/gate.js';
import { pointwise, type PointwiseLayout } from '../wavenet/kernels.js';
import { namReceptiveField, type NamConfig } from './config.js';

export interface NamArrayWeights { rechannel: PointwiseLayout; layers: GateWeights[]; head: PointwiseLayout }

export interface NamParts {
  /** Packed 1x1s (rechannels and heads, kernels.ts Packer). */
  misc: Tensor;
  arrays: NamArrayWeights[];
}

export interface NamOptions {
  /** Independent streams (channels) processed side by side (default 1). */
  batch?: number;
  /**
   * Largest block one pass handles (default 512); longer input is cut into blocks. On SwiftShader
   * 512-1024 is fastest (a block's activations stay in the CPU caches: 1 s at 48 kHz takes ~40%
   * less time than in 8192-sample blocks); on a real GPU larger blocks amortize the dispatches.
   */
  blockSize?: number;
}

interface ArrayState { rings: Tensor[]; starts: number[]; hist: number[]; head: Tensor; out: Tensor | null }

export class NamModel {
  readonly receptiveField: number;
  readonly batch: number;
  readonly blockSize: number;
  private state: ArrayState[];

  constructor(readonly gpu: Gpu, readonly config: NamConfig, readonly parts: NamParts, opts: NamOptions = {}) {
    this.receptiveField = namReceptiveField(config);
    this.batch = opts.batch ?? 1;
    this.blockSize = opts.blockSize ?? 512;
    if (!Number.isInteger(this.batch) || this.batch < 1) throw new WaveGpuError('nam', `batch must be a positive integer, got ${this.batch}`);
    if (!Number.isInteger(this.blockSize) || this.blockSize < 1) throw new WaveGpuError('nam', `blockSize must be a positive integer, got ${this.blockSize}`);
    const last = config.arrays.length - 1;
    this.state = config.arrays.map((a, i) => {
      const hist = a.dilations.map((d) => (a.kernelSize - 1) * d);
      return {
        hist, starts: hist.map(() => 0),
        rings: hist.map((h) => gpu.zeros([this.batch, a.channels, h + this.blockSize])),
        head: gpu.empty([this.batch, a.channels, this.blockSize]),
        out: i < last ? gpu.empty([this.batch, a.channels, this.blockSize]) : null,
      };
    });
    this.reset();
  }

  get sampleRate(): number { return this.config.sampleRate; }

  /** Forgets the past: silence before the next sample (records the prewarm; nothing is read back). */
  reset(): void {
    for (const s of this.state) {
      for (const r of s.rings) this.gpu.fillBits(r, 0);
      s.starts.fill(0);
    }
    if (this.receptiveField > 1) {
      this.gpu.scope(() => { this.run(this.gpu.zeros([this.batch, this.receptiveField - 1])); });
    }
  }

  /** Records the processing of x [B, T] (continuing the stream) and returns y [B, T]. */
  run(x: Tensor): Tensor {
    if (x.dtype !== 'f32' || x.rank !== 2 || x.shape[0] !== this.batch) throw new WaveGpuError('nam', `input is ${fmtShape(x.shape)} ${x.dtype}, expected f32 [${this.batch}, T]`);
    const t = x.shape[1];
    return this.gpu.scope(() => {
      const xin = x.reshape([this.batch, 1, t]);
      const y = this.gpu.empty([this.batch, 1, t], 'f32', 'nam');
      for (let off = 0; off < t; off += this.blockSize) this.block(xin, y, off, Math.min(this.blockSize, t - off));
      return y.reshape([this.batch, t]);
    });
  }

  private block(xin: Tensor, y: Tensor, off: number, n: number): void {
    const { misc, arrays } = this.parts;
    let src: RingView = { t: xin, start: off };
    arrays.forEach((A, a) => {
      const s = this.state[a], dil = this.config.arrays[a].dilations;
      const writeAt = (i: number): RingView => ({ t: s.rings[i], start: (s.starts[i] + s.hist[i]) % s.rings[i].shape[2] });
      pointwise(src, misc, A.rechannel, { y: writeAt(0), n });
      A.layers.forEach((w, i) => {
        const y = i + 1 < A.layers.length ? writeAt(i + 1) : s.out ? { t: s.out, start: 0 } : undefined;
        gateRing(w, { x: { t: s.rings[i], start: s.starts[i] }, y, n, dilation: dil[i], skip: s.head, skipInit: a === 0 && i === 0, cond: xin, condOffset: off });
      });
      // The next array's head sum starts from this array's head output; the last one is the result.
      const next = this.state[a + 1];
      pointwise(s.head, misc, A.head, { y: next ? { t: next.head, start: 0 } : { t: y, start: off }, n });
      if (s.out) src = { t: s.out, start: 0 };
      s.starts.forEach((st, i) => { s.starts[i] = (st + n) % s.rings[i].shape[2]; });
    });
  }

  /**
   * Processes the next chunk of each stream (one Float32Array per stream, equal lengths; a single
   * Float32Array when batch is 1) and returns the output chunk(s). One readback per call.
   */
  async process(x: Float32Array | Float32Array[]): Promise<Float32Array | Float32Array[]> {
    const chans = x instanceof Float32Array ? [x] : x;
    if (chans.length !== this.batch) throw new WaveGpuError('nam', `${chans.length} input channel(s) for a model built for batch ${this.batch}`);
    const t = chans[0].length;
    if (chans.some((c) => c.length !== t)) throw new WaveGpuError('nam', `input channels differ in length: ${chans.map((c) => c.length).join(', ')}`);
    if (t === 0) return x instanceof Float32Array ? new Float32Array(0) : chans.map(() => new Float32Array(0));
    const flat = new Float32Array(this.batch * t);
    chans.forEach((c, i) => flat.set(c, i * t));
    const y = await this.gpu.scope(async () => (await this.run(this.gpu.tensor(flat, [this.batch, t])).read()) as Float32Array);
    const out = chans.map((_, i) => y.slice(i * t, (i + 1) * t));
    return x instanceof Float32Array ? out[0] : out;
  }

  dispose(): void {
    for (const s of this.state) { s.rings.forEach((r) => r.dispose()); s.head.dispose(); s.out?.dispose(); }
    this.parts.arrays[0]?.layers[0]?.w.dispose();
    this.parts.misc.dispose();
  }
}
