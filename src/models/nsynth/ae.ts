/**
 * The WaveNet autoencoder both NSynth (magenta h512_bo16) and the Universal Music Translation
 * Network (facebookresearch/music-translation) are instances of, with weights in PyTorch Conv1d
 * layout ([Cout, Cin, K]) whatever the checkpoint stored:
 *
 *   encoder  x [B, T] -> start conv (K, non-causal) -> L residual layers
 *              d = conv_dil(preRelu ? relu(en) : en) (K, dilation, 'same' zero padding); d = relu(d)
 *              en = en + res_1x1(d)
 *            -> bottleneck 1x1 (Z channels) -> average pooling by `pool` -> [B, Z, floor(T / pool)]
 *   decoder  x [B, T] (inputs, already shifted: x[t] is the sample before the one predicted at t)
 *              h = start conv (causal); s = skip_start_1x1(h)
 *              per layer: z = causal dilated conv(h) + cond_1x1(enc) (upsampled by repetition)
 *                         a = sigmoid(z[:R]) * tanh(z[R:]); h += res_1x1(a); s += skip_1x1(a)
 *              logits = logits_1x1(relu(out1_1x1(relu(s)) + cond_out_1x1(enc)))   [B, classes, T]
 *
 * NSynth's encoder has preRelu (d = relu(en) first); music-translation's does not.
 */
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { HostArray } from '../../ops/nsynth_step.js';

export type { HostArray };

/** A convolution: w [Cout, Cin, K] (1x1s may be [Cout, Cin]), b [Cout]. */
export interface Conv { w: HostArray; b?: HostArray }

export interface AeEncoderParams {
  start: Conv;                                // [C, 1, Ks]
  layers: { dil: Conv; res: Conv }[];         // [C, C, K], [C, C, 1]
  bottleneck: Conv;                           // [Z, C, 1]
}

export interface AeEncoderSpec {
  dilations: number[];
  preRelu: boolean;
  /** Samples averaged into one frame. */
  pool: number;
}

export interface AeDecoderLayer { dil: Conv; cond: Conv; res: Conv; skip: Conv }

export interface AeDecoderParams {
  start: Conv;                                // [R, 1, Ks]
  skipStart: Conv;                            // [S, R, 1]
  layers: AeDecoderLayer[];                   // [2R, R, K], [2R, Z, 1], [R, R, 1], [S, R, 1]
  out1: Conv;                                 // [S, S, 1]
  condOut: Conv;                              // [S, Z, 1]
  logits: Conv;                               // [classes, S, 1]
}

export interface AeDecoderSpec {
  dilations: number[];
  /** Samples per encoding frame (the conditioning repeats each frame this many times). */
  hop: number;
  /** [classes] model input value of each class (the decoder's input scaling). */
  inputTable: Float32Array;
  /** Class of the first generation input (silence). */
  firstClass: number;
}

/** Dimensions read off the decoder weights. */
export interface AeDecoderDims { r: number; s: number; z: number; k: number; ks: number; classes: number; layers: number }

export function shapeOf(c: Conv): number[] {
  const s = [...c.w.shape];
  return s.length === 2 ? [...s, 1] : s;
}

function expect(name: string, c: Conv, want: number[]): void {
  const got = shapeOf(c);
  if (got.length !== 3 || got.some((d, i) => d !== want[i])) throw new WaveGpuError('nsynth', `${name} weight is ${fmtShape(c.w.shape)}, expected ${fmtShape(want)}`);
  if (c.b && c.b.data.length !== want[0]) throw new WaveGpuError('nsynth', `${name} bias has ${c.b.data.length} values, expected ${want[0]}`);
}

/** Checks every decoder weight against the start conv, first layer and logits shapes. */
export function decoderDims(p: AeDecoderParams): AeDecoderDims {
  if (!p.layers.length) throw new WaveGpuError('nsynth', 'the decoder has no layers');
  const [r, , ks] = shapeOf(p.start), [s] = shapeOf(p.skipStart), [, z] = shapeOf(p.layers[0].cond);
  const k = shapeOf(p.layers[0].dil)[2], classes = shapeOf(p.logits)[0];
  expect('start', p.start, [r, 1, ks]);
  expect('skip_start', p.skipStart, [s, r, 1]);
  p.layers.forEach((l, i) => {
    expect(`layer ${i} dilated conv`, l.dil, [2 * r, r, k]);
    expect(`layer ${i} conditioning`, l.cond, [2 * r, z, 1]);
    expect(`layer ${i} residual`, l.res, [r, r, 1]);
    expect(`layer ${i} skip`, l.skip, [s, r, 1]);
  });
  expect('out1', p.out1, [s, s, 1]);
  expect('cond_out', p.condOut, [s, z, 1]);
  expect('logits', p.logits, [classes, s, 1]);
  return { r, s, z, k, ks, classes, layers: p.layers.length };
}

/** Checks the encoder weights; returns [channels, latent, start kernel, layer kernel]. */
export function encoderDims(p: AeEncoderParams): { c: number; z: number; ks: number; k: number } {
  const [c, , ks] = shapeOf(p.start);
  const [z] = shapeOf(p.bottleneck);
  const k = p.layers.length ? shapeOf(p.layers[0].dil)[2] : 3;
  expect('encoder start', p.start, [c, 1, ks]);
  if (ks % 2 === 0 || k % 2 === 0) throw new WaveGpuError('nsynth', `the non-causal encoder needs odd kernels ('same' padding), got ${ks} and ${k}`);
  p.layers.forEach((l, i) => { expect(`encoder layer ${i} dilated conv`, l.dil, [c, c, k]); expect(`encoder layer ${i} 1x1`, l.res, [c, c, 1]); });
  expect('bottleneck', p.bottleneck, [z, c, 1]);
  return { c, z, ks, k };
}

/** Dilations 2^(i mod cycle) for `layers` layers. */
export function cycleDilations(layers: number, cycle: number): number[] {
  return Array.from({ length: layers }, (_, i) => 2 ** (i % cycle));
}

/** A [Cout, Cin, K] weight as a flat HostArray of rank 3. */
export function rank3(c: Conv): HostArray {
  return { data: c.w.data, shape: shapeOf(c) };
}

/** Stacks conditioning 1x1s along the output channels: every layer's cond, then the head's. */
export function stackCond(p: AeDecoderParams): Conv {
  const convs = [...p.layers.map((l) => l.cond), p.condOut];
  const z = shapeOf(convs[0])[1];
  const rows = convs.reduce((n, c) => n + shapeOf(c)[0], 0);
  const w = new Float32Array(rows * z), b = new Float32Array(rows);
  let at = 0;
  for (const c of convs) {
    const n = shapeOf(c)[0];
    w.set(c.w.data, at * z);
    if (c.b) b.set(c.b.data, at);
    at += n;
  }
  return { w: { data: w, shape: [rows, z, 1] }, b: { data: b, shape: [rows] } };
}
