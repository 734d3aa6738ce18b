/**
 * Click-free streaming for any Vocoder, by overlap with exact trimming: each push runs the whole
 * network on a window of mel frames [a, b) that reaches `context.left` frames before the first
 * frame still to be emitted and `context.right` frames past the last one, then keeps only the
 * samples of the emitted frames. Every output sample therefore sees exactly the inputs it sees in
 * the whole-utterance run (padding effects at window edges stay inside the trimmed margins; the
 * window only touches the utterance's true edges where the whole run does too), so the
 * concatenated chunks equal the whole-utterance output. PWG's noise is indexed by absolute
 * sample (frameOffset), so every window draws the same noise.
 *
 * Latency: audio for frame f leaves once frame f + context.right has arrived, i.e.
 * `latencySamples = context.right * hop` samples of look-ahead beyond the algorithmic frame.
 * Cost: (chunk + left + right) / chunk times the whole-utterance work.
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError } from '../../runtime/errors.js';
import type { Vocoder } from './types.js';

export interface StreamOptions {
  /** Smallest window the model accepts (frames); default 4 (MelGAN's reflect padding of 3). */
  minFrames?: number;
  /** Overrides the model's receptive field (tests). */
  context?: { left: number; right: number };
}

export interface VocoderStream {
  /** Look-ahead in output samples: context.right * hop. */
  readonly latencySamples: number;
  readonly context: { left: number; right: number };
  /** Frames received / frames whose audio has been returned. */
  readonly received: number;
  readonly emitted: number;
  /** Appends mel frames ([nMels, n], bin-major like the model input) and returns the audio now final. */
  push(mel: Float32Array): Promise<Float32Array>;
  /** Ends the utterance: returns the remaining audio. */
  flush(): Promise<Float32Array>;
}

class Stream implements VocoderStream {
  readonly latencySamples: number;
  readonly context: { left: number; right: number };
  received = 0;
  emitted = 0;
  /** Frames [base, received), frame-major [frame][bin]. */
  private frames: Float32Array[] = [];
  private base = 0;
  private done = false;

  private gpu: Gpu;

  constructor(private model: Vocoder, private minFrames: number, ctx: { left: number; right: number }) {
    this.gpu = model.gpu;
    this.context = { ...ctx };
    this.latencySamples = ctx.right * model.hop;
  }

  async push(mel: Float32Array): Promise<Float32Array> {
    if (this.done) throw new WaveGpuError('stream', 'push after flush(); create a new stream for the next utterance');
    const nb = this.model.nMels;
    if (mel.length % nb !== 0) throw new WaveGpuError('stream', `a mel chunk must be [${nb}, n] (bin-major), got ${mel.length} values`);
    const n = mel.length / nb;
    for (let f = 0; f < n; f++) {
      const col = new Float32Array(nb);
      for (let b = 0; b < nb; b++) col[b] = mel[b * n + f];
      this.frames.push(col);
    }
    this.received += n;
    return this.emit(this.received - this.context.right);
  }

  async flush(): Promise<Float32Array> {
    if (this.done) return new Float32Array(0);
    this.done = true;
    if (this.received < this.minFrames) throw new WaveGpuError('stream', `the utterance has ${this.received} mel frames; the model needs at least ${this.minFrames}`);
    return this.emit(this.received);
  }

  /** Emits frames [emitted, upTo) when the window is long enough. */
  private async emit(upTo: number): Promise<Float32Array> {
    const end = Math.min(upTo, this.received);
    if (end <= this.emitted) return new Float32Array(0);
    const b = this.done ? this.received : Math.min(this.received, end + this.context.right);
    // More left context than needed is harmless: short windows grow leftwards to minFrames.
    const a = Math.max(0, Math.min(this.emitted - this.context.left, b - this.minFrames));
    if (b - a < this.minFrames) return new Float32Array(0);
    const nb = this.model.nMels, w = b - a;
    const window = new Float32Array(nb * w);
    for (let f = 0; f < w; f++) {
      const col = this.frames[a - this.base + f];
      for (let k = 0; k < nb; k++) window[k * w + f] = col[k];
    }
    const hop = this.model.hop;
    const y = this.gpu.scope(() => this.model.forward(this.gpu.tensor(window, [nb, w]), { frameOffset: a }));
    const audio = (await y.read()) as Float32Array;
    y.dispose();
    const out = audio.slice((this.emitted - a) * hop, (end - a) * hop);
    this.emitted = end;
    const keep = Math.max(0, this.emitted - Math.max(this.context.left, this.minFrames));
    if (keep > this.base) { this.frames.splice(0, keep - this.base); this.base = keep; }
    return out;
  }
}

/** A stream over `model` (weights shared; the model must outlive the stream). */
export function createStream(model: Vocoder, opts: StreamOptions = {}): VocoderStream {
  const ctx = opts.context ?? model.context;
  if (!(ctx.left >= 0 && ctx.right >= 0 && Number.isInteger(ctx.left) && Number.isInteger(ctx.right))) {
    throw new WaveGpuError('stream', `context must be whole frames >= 0, got ${JSON.stringify(ctx)}`);
  }
  return new Stream(model, opts.minFrames ?? 4, ctx);
}
