/**
 * Named weights of magenta's DDSP tone-transfer graph. The converter named the trained weights
 * after function inputs (Func/.../input/_75 ... _142), so they are found by walking the graph
 * from nodes whose names say what they are (conv2d_i/BiasAdd, normalize_i/mul, dense/BiasAdd,
 * processor_group/...); constants of the synthesisers come from the graph too.
 *
 * Decoder, in TF terms (NHWC [1, T, 1, C], convolutions along T, 'SAME' padding):
 *   x = conv_in(features)                                   conv2d/BiasAdd        [3, 1, 2, 128]
 *   for i in 0..15: x = x + gamma_i * norm(conv_i(relu(x))) + beta_i
 *        conv_i: dilated_conv/conv2d_{i+1} [3, 1, 128, 128], dilation 2^(i mod 8) (SpaceToBatchND)
 *        norm:   normalize[_i] (mean/variance over all of T x C), gamma_i normalize[_i]/mul,
 *                beta_i ArithmeticOptimizer/AddOpsRewrite_add[_i]
 *   dense: [128, 126] + [126] -> split [1, 60, 65]
 */
import { WaveGpuError } from '../../runtime/errors.js';
import type { TfjsWeightFile } from '../../weights/tfjs.js';
import type { GraphNode } from '../../weights/tfjs_graph.js';
import type { ControlConsts, FeatureConsts } from '../../ops/ddsp.js';
import { DDSP } from './config.js';

const OP = 'ddsp';
const P = 'StatefulPartitionedCall/autoencoder/StatefulPartitionedCall/';
const STACK = `${P}dilated_conv_decoder/dilated_conv_stack/`;
const PG = `${P}processor_group/`;

export interface DdspConv {
  /** [Cout, Cin, K]: TF's [K, 1, Cin, Cout] transposed for conv1d. */
  w: Float32Array;
  cin: number;
  /** [Cout] */
  b: Float32Array;
  dilation: number;
}

export interface DdspLayer extends DdspConv {
  gamma: Float32Array; // [C]
  beta: Float32Array;  // [C]
}

export interface SynthConsts {
  /** [H] harmonic numbers 1..60 */
  harmonicNumbers: Float32Array;
  /** [2 hop] hann window of the amplitude overlap-add upsampling */
  ampWindow: Float32Array;
  /** [I] zero-phase hann window of the noise impulse responses (before the roll) */
  noiseWindow: Float32Array;
  omegaScale: number; twoPi: number; nyquist: number; chunk: number;
  noiseScale: number; noiseMin: number; crop: number;
}

export interface DdspWeights {
  convIn: DdspConv;
  layers: DdspLayer[];
  /** [C, 1 + H + NB] (in, out) and [1 + H + NB] */
  dense: { w: Float32Array; b: Float32Array };
  normEps: number;
  features: FeatureConsts;
  controls: ControlConsts;
  synth: SynthConsts;
}

class Graph {
  private nodes = new Map<string, GraphNode>();
  constructor(private file: TfjsWeightFile) {
    if (!file.graph) throw new WaveGpuError(OP, `${file.name} is not a TF.js graph model (format ${file.format}); pass the folder of a magenta-js DDSP model.json`);
    for (const n of file.graph.nodes) this.nodes.set(n.name, n);
  }
  node(name: string): GraphNode {
    const n = this.nodes.get(name);
    if (!n) throw new WaveGpuError(OP, `${this.file.name}: node '${name}' is missing; this is not magenta's DDSP tone-transfer graph`);
    return n;
  }
  /** Name of input i of a node (output index and control marks stripped). */
  input(name: string, i: number): string {
    const s = this.node(name).inputs[i];
    if (s === undefined) throw new WaveGpuError(OP, `${this.file.name}: node '${name}' has no input ${i}`);
    return s.replace(/^\^/, '').replace(/:\d+$/, '');
  }
  async tensor(name: string, shape?: readonly number[]): Promise<Float32Array> {
    const e = this.file.tensors.get(name);
    if (!e) throw new WaveGpuError(OP, `${this.file.name}: constant '${name}' has no weight`);
    if (shape && e.shape.join() !== shape.join()) throw new WaveGpuError(OP, `${this.file.name}: '${name}' is [${e.shape.join(', ')}], expected [${shape.join(', ')}]`);
    return e.read();
  }
  /** The constant feeding input i of `node`. */
  async constIn(node: string, i: number, shape?: readonly number[]): Promise<Float32Array> {
    return this.tensor(this.input(node, i), shape);
  }
  async scalar(node: string, i: number): Promise<number> {
    return (await this.constIn(node, i, []))[0];
  }
}

/** TF conv kernel [K, 1, Cin, Cout] -> [Cout, Cin, K]. */
function toOIHW(tf: Float32Array, k: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(tf.length);
  for (let t = 0; t < k; t++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[(o * cin + i) * k + t] = tf[(t * cin + i) * cout + o];
  return out;
}

async function conv(g: Graph, biasAdd: string, cin: number): Promise<DdspConv> {
  const C = DDSP.channels, K = DDSP.kernel;
  const node = g.node(biasAdd);
  let wName: string, bIdx: number, dilation = 1;
  if (node.op === '_FusedConv2D') {
    wName = g.input(biasAdd, 1);
    bIdx = 2;
  } else {
    const b2s = g.input(biasAdd, 0);                      // BatchToSpaceND <- Conv2D <- SpaceToBatchND
    const conv2d = g.input(b2s, 0);
    wName = g.input(conv2d, 1);
    const s2b = g.input(conv2d, 0);
    const block = await g.constIn(s2b, 1, [2]);
    const pads = await g.constIn(s2b, 2, [2, 2]);
    dilation = block[0];
    if (block[1] !== 1 || pads[0] !== dilation) throw new WaveGpuError(OP, `${biasAdd}: unexpected dilation block [${block}] / paddings [${pads}]`);
    bIdx = 1;
  }
  const w = toOIHW(await g.tensor(wName, [K, 1, cin, C]), K, cin, C);
  return { w, cin, b: await g.constIn(biasAdd, bIdx, [C]), dilation };
}

async function decoder(g: Graph): Promise<Pick<DdspWeights, 'convIn' | 'layers' | 'dense' | 'normEps'>> {
  const C = DDSP.channels, width = 1 + DDSP.harmonics + DDSP.noiseBands;
  const convIn = await conv(g, `${STACK}conv2d/BiasAdd`, 2);
  const layers: DdspLayer[] = [];
  for (let i = 0; i < DDSP.layers; i++) {
    const sfx = i === 0 ? '' : `_${i}`;
    const c = await conv(g, `${STACK}dilated_conv/conv2d_${i + 1}/BiasAdd`, C);
    const gamma = await g.constIn(`${STACK}normalize${sfx}/mul`, 1, [1, 1, 1, C]);
    const beta = await g.constIn(`${STACK}ArithmeticOptimizer/AddOpsRewrite_add${sfx}`, 0, [1, 1, 1, C]);
    layers.push({ ...c, gamma, beta });
  }
  const split = await g.constIn(`${P}dilated_conv_decoder/split`, 1, [3]);
  if (split.join() !== [1, DDSP.harmonics, DDSP.noiseBands].join()) throw new WaveGpuError(OP, `dense split [${split}] is not [1, ${DDSP.harmonics}, ${DDSP.noiseBands}]`);
  const dense = {
    w: await g.constIn(`${P}dilated_conv_decoder/dense/Tensordot/MatMul`, 1, [C, width]),
    b: await g.constIn(`${P}dilated_conv_decoder/dense/BiasAdd`, 1, [width]),
  };
  return { convIn, layers, dense, normEps: await g.scalar(`${STACK}normalize/add`, 1) };
}

async function features(g: Graph): Promise<FeatureConsts> {
  return {
    ldScale: await g.scalar(`${P}truediv_3`, 1), ldShift: await g.scalar(`${P}add_1`, 1),
    log2e: await g.scalar(`${P}truediv`, 1), log2of440: await g.scalar(`${P}sub`, 1),
    semitones: await g.scalar(`${P}mul`, 0), midiA4: await g.scalar(`${P}add`, 1), midiScale: await g.scalar(`${P}truediv_2`, 1),
  };
}

async function controls(g: Graph): Promise<ControlConsts> {
  const es = async (mul: string, pow: string, add: string) => ({ max: await g.scalar(PG + mul, 0), exponent: await g.scalar(PG + pow, 1), eps: await g.scalar(PG + add, 1) });
  return {
    amp: await es('mul', 'pow', 'add'), dist: await es('mul_1', 'pow_1', 'add_1'), noise: await es('mul_8', 'pow_2', 'add_4'),
    noiseBias: await g.scalar(`${PG}add_3`, 1), nyquist: await g.scalar(`${PG}GreaterEqual`, 1),
  };
}

async function synth(g: Graph): Promise<SynthConsts> {
  const { frames: F, hop, harmonics: H, irSize: I } = DDSP;
  const bcast = await g.constIn(`${PG}mul_9`, 0, [1, F, I]);
  const noiseWindow = bcast.slice(0, I);
  for (let j = 1; j < F; j++) for (let n = 0; n < I; n++) {
    if (bcast[j * I + n] !== noiseWindow[n]) throw new WaveGpuError(OP, 'the noise window differs between frames; this graph is not supported');
  }
  const chunkShape = await g.constIn(`${PG}Reshape`, 1, [4]);
  const crop = await g.constIn(`${PG}strided_slice_10`, 1, [2]);
  const consts: SynthConsts = {
    harmonicNumbers: (await g.constIn(`${PG}mul_2`, 1, [1, 1, H])).slice(),
    ampWindow: (await g.constIn(`${PG}mul_5`, 1, [1, 1, 1, 2 * hop])).slice(),
    noiseWindow,
    omegaScale: await g.scalar(`${PG}truediv_1`, 1), twoPi: await g.scalar(`${PG}mod`, 1),
    nyquist: await g.scalar(`${PG}GreaterEqual_1`, 1), chunk: chunkShape[2],
    noiseScale: await g.scalar(`${PG}random_uniform/mul`, 1), noiseMin: await g.scalar(`${PG}random_uniform`, 1),
    crop: crop[1],
  };
  if ((F * hop) % consts.chunk !== 0) throw new WaveGpuError(OP, `phase chunk ${consts.chunk} does not divide ${F * hop} samples`);
  return consts;
}

/** Reads every weight and constant the GPU model needs from a DDSP TF.js graph model. */
export async function readDdspWeights(file: TfjsWeightFile): Promise<DdspWeights> {
  const g = new Graph(file);
  const size = await g.constIn(`${P}resize/ResizeBilinear`, 1, [2]);
  if (size[0] !== DDSP.frames) throw new WaveGpuError(OP, `${file.name}: the graph resizes its inputs to ${size[0]} frames, expected ${DDSP.frames}`);
  return { ...(await decoder(g)), features: await features(g), controls: await controls(g), synth: await synth(g) };
}
