/**
 * Universal Music Translation Network: one shared encoder, one WaveNet decoder per domain.
 *
 *   const umt = await MusicTranslator.load(gpu, [bestmodel_0, bestmodel_1, ...]);   // WeightFiles
 *   const mozart = await umt.translate(haydn, 1, { seed: 7 });                      // 16 kHz audio
 *
 * translate() encodes once (a 64-dim latent every 800 samples) and decodes with the chosen
 * domain's decoder by fast generation, as WavenetGenerator does: class 128 first, zero queues,
 * latent frame t / 800 conditioning sample t, frames * 800 samples out. Unlike run_on_files.py
 * it generates the whole clip in one stream instead of restarting every 20 frames.
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import type { WeightFile } from '../../weights/types.js';
import { AeEncoder } from '../nsynth/encoder.js';
import { AeDecoder, type DecoderLayouts } from '../nsynth/decoder.js';
import { generateFast, type AeGenerateOptions } from '../nsynth/generate.js';
import { encodingTensor, encodingsOf, type Encoding } from '../nsynth/model.js';
import { UMT_FIRST_CLASS, type UmtConfig } from './config.js';
import { readUmtParams, type UmtParams } from './load.js';
import { umtInputTable, umtInvMuLaw, umtMuLaw } from './mulaw.js';

export class MusicTranslator {
  readonly encoder: AeEncoder;
  readonly decoders: AeDecoder[];
  readonly config: UmtConfig;
  private readonly table = umtInputTable();

  constructor(readonly gpu: Gpu, p: UmtParams, layouts: DecoderLayouts = 'both') {
    this.config = p.config;
    this.encoder = new AeEncoder(gpu, p.encoder, { dilations: p.encoderDilations, preRelu: false, pool: p.config.pool });
    const spec = { dilations: p.decoderDilations, hop: p.config.pool, inputTable: this.table, firstClass: UMT_FIRST_CLASS };
    this.decoders = p.decoders.map((d) => new AeDecoder(gpu, d, spec, layouts));
  }

  /** files: one checkpoint per domain (bestmodel_0.pth, bestmodel_1.pth, ...). */
  static async load(gpu: Gpu, files: WeightFile[], o: Partial<UmtConfig> & { layouts?: DecoderLayouts } = {}): Promise<MusicTranslator> {
    return new MusicTranslator(gpu, await readUmtParams(files, o), o.layouts);
  }

  get domains(): number {
    return this.decoders.length;
  }

  decoder(domain: number): AeDecoder {
    const d = this.decoders[domain];
    if (!Number.isInteger(domain) || !d) throw new WaveGpuError('umt', `domain ${domain} does not exist; this model has decoders 0..${this.domains - 1}`);
    return d;
  }

  /** Audio -> mu-law classes (music-translation's utils.mu_law). */
  classes(audio: ArrayLike<number>): Uint32Array {
    return umtMuLaw(audio);
  }

  /** Classes [B, T] (host) -> model input values q / 255 - 0.5 as a [B, T] tensor. */
  inputs(classes: ArrayLike<number>, b = 1): Tensor {
    const t = classes.length / b;
    if (!Number.isInteger(t)) throw new WaveGpuError('umt', `${classes.length} classes do not split into ${b} streams`);
    return this.gpu.tensor(Float32Array.from(classes, (q) => this.table[Math.min(255, q)]), [b, t]);
  }

  /** Model inputs [B, T] -> latent [B, Z, floor(T / pool)]. */
  encodeTensor(x: Tensor): Tensor<'f32'> {
    return this.encoder.forward(x);
  }

  /** Teacher-forced logits [B, 256, T] of inputs [B, T] (shifted right, as WaveNet.forward) given the latent. */
  logitsTensor(x: Tensor, enc: Tensor, domain: number): Tensor {
    const [b, t] = x.shape;
    if (x.rank !== 2) throw new WaveGpuError('umt', `x is ${fmtShape(x.shape)}, expected [B, T]`);
    return this.gpu.scope(() => {
      const shifted = this.gpu.zeros([b, t]);
      for (let i = 0; i < b; i++) this.gpu.copy(x, shifted, i * t, i * t + 1, t - 1);
      return this.decoder(domain).forward(shifted, enc);
    });
  }

  /** Encodes one clip: [floor(T / pool), latent]. */
  async encode(audio: Float32Array): Promise<Encoding> {
    const f = this.encoder.frames(audio.length);
    if (f < 1) throw new WaveGpuError('umt.encode', `audio of ${audio.length} samples is shorter than one latent frame (${this.config.pool} samples)`);
    const enc = this.gpu.scope(() => this.encodeTensor(this.inputs(this.classes(audio))));
    try {
      return encodingsOf(await enc.read(), 1, this.encoder.latent, f)[0];
    } finally { enc.dispose(); }
  }

  /** Decodes latents (one stream each) with a domain's decoder; frames * pool samples each. */
  async decode(code: Encoding | Encoding[], domain: number, o: AeGenerateOptions = {}): Promise<Float32Array[]> {
    const dec = this.decoder(domain);
    const enc = encodingTensor(this.gpu, Array.isArray(code) ? code : [code]);
    try {
      const g = await generateFast(dec, enc, o);
      return Array.from({ length: g.batch }, (_, b) => umtInvMuLaw(g.codes.subarray(b * g.samples, (b + 1) * g.samples)));
    } finally { enc.dispose(); }
  }

  /** Encode once, decode with `domain`'s decoder: the translated clip (floor(T / pool) * pool samples). */
  async translate(audio: Float32Array, domain: number, o: AeGenerateOptions = {}): Promise<Float32Array> {
    this.decoder(domain);
    return (await this.decode(await this.encode(audio), domain, o))[0];
  }

  dispose(): void {
    this.encoder.dispose();
    for (const d of this.decoders) d.dispose();
  }
}
