/**
 * NSynth WaveNet autoencoder (magenta h512_bo16): encode a note to a 16-dim code every 512
 * samples, decode a code back to audio with fast generation, and blend two codes.
 *
 *   const nsynth = await NSynth.load(gpu, await loadWeightsFile('wavenet-ckpt/model.ckpt-200000.index'));
 *   const a = await nsynth.encode(sitar), b = await nsynth.encode(guitar);
 *   const audio = await nsynth.decode(nsynth.interpolate(a, b, 0.5), { seed: 1 });
 *
 * Audio is 16 kHz mono in [-1, 1]. Inputs go through magenta's mu-law (floor(128 y), y the
 * companded sample) and x_scaled = q / 128, as Config.build with rescale_inputs=True.
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import type { WeightFile } from '../../weights/types.js';
import { MuLaw, MULAW_NSYNTH, mulawTables } from '../../ops/mulaw.js';
import { pad } from '../../ops/layout.js';
import { AeEncoder } from './encoder.js';
import { AeDecoder, type DecoderLayouts } from './decoder.js';
import { generateFast, type AeGenerateOptions } from './generate.js';
import { NSYNTH_FIRST_CLASS, nsynthInputTable, type NSynthConfig } from './config.js';
import { readNSynthParams, type NSynthLoadOptions, type NSynthParams } from './load.js';

/** An encoding [frames, channels], row-major (magenta's [125, 16] for a 4 s note). */
export interface Encoding { data: Float32Array; frames: number; channels: number }

/** [frames, Z] host encodings -> a [B, Z, F] tensor (all must have the same shape). */
export function encodingTensor(gpu: Gpu, codes: Encoding[]): Tensor {
  const { frames, channels } = codes[0];
  if (codes.some((c) => c.frames !== frames || c.channels !== channels || c.data.length !== frames * channels)) {
    throw new WaveGpuError('nsynth', `encodings must all be [${frames}, ${channels}], got ${codes.map((c) => `[${c.frames}, ${c.channels}]`).join(', ')}`);
  }
  const out = new Float32Array(codes.length * frames * channels);
  codes.forEach((c, b) => { for (let f = 0; f < frames; f++) for (let z = 0; z < channels; z++) out[(b * channels + z) * frames + f] = c.data[f * channels + z]; });
  return gpu.tensor(out, [codes.length, channels, frames]);
}

/** A [B, Z, F] tensor's values -> B host encodings [F, Z]. */
export function encodingsOf(data: Float32Array, b: number, z: number, f: number): Encoding[] {
  return Array.from({ length: b }, (_, i) => {
    const out = new Float32Array(f * z);
    for (let c = 0; c < z; c++) for (let j = 0; j < f; j++) out[j * z + c] = data[(i * z + c) * f + j];
    return { data: out, frames: f, channels: z };
  });
}

/** (1 - t) a + t b over the frames both have. */
export function interpolate(a: Encoding, b: Encoding, t: number): Encoding {
  if (a.channels !== b.channels) throw new WaveGpuError('nsynth.interpolate', `encodings have ${a.channels} and ${b.channels} channels`);
  if (!Number.isFinite(t)) throw new WaveGpuError('nsynth.interpolate', `t must be finite, got ${t}`);
  const frames = Math.min(a.frames, b.frames), n = frames * a.channels;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (1 - t) * a.data[i] + t * b.data[i];
  return { data, frames, channels: a.channels };
}

export class NSynth {
  readonly encoder: AeEncoder;
  readonly decoder: AeDecoder;
  private readonly mulaw: MuLaw;
  private readonly decoded = mulawTables(MULAW_NSYNTH).decoded;

  readonly config: NSynthConfig;

  /** layouts: 'generate' skips the teacher-forcing weights (half the decoder's memory). */
  constructor(readonly gpu: Gpu, p: NSynthParams, layouts: DecoderLayouts = 'both') {
    this.config = p.config;
    this.mulaw = new MuLaw(gpu, MULAW_NSYNTH);
    this.encoder = new AeEncoder(gpu, p.encoder, { dilations: p.encoderDilations, preRelu: true, pool: p.config.hop });
    this.decoder = new AeDecoder(gpu, p.decoder, { dilations: p.decoderDilations, hop: p.config.hop, inputTable: nsynthInputTable(), firstClass: NSYNTH_FIRST_CLASS }, layouts);
  }

  static async load(gpu: Gpu, file: WeightFile, o: NSynthLoadOptions & { layouts?: DecoderLayouts } = {}): Promise<NSynth> {
    return new NSynth(gpu, await readNSynthParams(file, o), o.layouts);
  }

  /** audio [B, T] -> x_scaled [B, T] (the model's input values). */
  scaled(audio: Tensor): Tensor {
    return this.mulaw.quantize(audio);
  }

  /** x_scaled [B, T] -> encoding [B, 16, T / hop] (T a multiple of hop). */
  encodeTensor(scaled: Tensor): Tensor<'f32'> {
    return this.encoder.forward(scaled);
  }

  /** Teacher-forced logits [B, 256, T] of audio [B, T] given its encoding [B, 16, F]. */
  logitsTensor(audio: Tensor, enc: Tensor): Tensor {
    return this.gpu.scope(() => this.decoder.forward(pad(this.scaled(audio), [1, -1]), enc));
  }

  /** Encodes one clip (trimmed to a multiple of the hop, as magenta's trim_for_encoding). */
  async encode(audio: Float32Array): Promise<Encoding> {
    const hop = this.config.hop, t = Math.floor(audio.length / hop) * hop;
    if (t === 0) throw new WaveGpuError('nsynth.encode', `audio of ${audio.length} samples is shorter than one frame (${hop} samples)`);
    const enc = this.gpu.scope(() => this.encodeTensor(this.scaled(this.gpu.tensor(audio.subarray(0, t), [1, t]))));
    try {
      return encodingsOf(await enc.read(), 1, this.encoder.latent, t / hop)[0];
    } finally { enc.dispose(); }
  }

  /** Classes -> audio (magenta's inv_mu_law of the bin centre). */
  audioOf(codes: ArrayLike<number>): Float32Array {
    return Float32Array.from(codes, (q) => this.decoded[q]);
  }

  /** Decodes encodings (one stream each, equal sizes) to audio with fast generation. */
  async decode(code: Encoding | Encoding[], o: AeGenerateOptions = {}): Promise<Float32Array[]> {
    const codes = Array.isArray(code) ? code : [code];
    const enc = encodingTensor(this.gpu, codes);
    try {
      const g = await generateFast(this.decoder, enc, o);
      return Array.from({ length: g.batch }, (_, b) => this.audioOf(g.codes.subarray(b * g.samples, (b + 1) * g.samples)));
    } finally { enc.dispose(); }
  }

  /** (1 - t) a + t b: NSynth's timbre blend (decode the result). */
  interpolate(a: Encoding, b: Encoding, t: number): Encoding {
    return interpolate(a, b, t);
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
    this.mulaw.dispose();
  }
}
