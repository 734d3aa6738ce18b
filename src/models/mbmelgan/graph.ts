/**
 * Reads the Multi-band MelGAN TF.js graph (TensorFlowTTS TFMelGANGenerator + in-graph PQMF,
 * converted by tfjs-converter) into named weights in PyTorch layouts, by walking the GraphDef:
 *
 *   name                        graph source                                         layout
 *   first_conv                  sequential_*\/conv1d/conv1d (_FusedConv2D)            [Cout, Cin, K]
 *   upsample.<i>                conv_transpose_._<i>/.../Conv2DBackpropInput + BiasAdd [Cin, Cout, K]
 *   stack.<i>.<j>.conv1         residual_stack_._<i>._._<j>/conv1d_<n> (K = 3)        [Cout, Cin, K]
 *   stack.<i>.<j>.conv2         residual_stack_._<i>._._<j>/conv1d_<n> (K = 1)
 *   stack.<i>.<j>.shortcut      residual_stack_._<i>._._<j>/shortcut/conv1d
 *   last_conv                   sequential_*\/conv1d_<n>/conv1d (outside the stacks)
 *   pqmf.updown                 PartitionedCall/conv1d_transpose (zero insertion x M)  [M, M, M]
 *   pqmf.synthesis              PartitionedCall/conv1d (the 63-tap synthesis filter)   [1, M, L]
 *
 * Each conv's bias is its _FusedConv2D's third input or the BiasAdd downstream of it; its
 * padding is the MirrorPad (reflect) or Pad (zeros) upstream; its dilation is the block_shape of
 * the SpaceToBatchND that TF uses for atrous convs; transposed convs with 'SAME' padding crop
 * (K - stride) / 2 from each end. Filters: Conv2D [1, K, Cin, Cout] (time is the W axis after
 * ExpandDims(-3)), Conv2DBackpropInput [K, 1, Cout, Cin] (time is H after ExpandDims(2)) or
 * [1, K, Cout, Cin] (ExpandDims(1)). Weights are dequantised exactly as TF.js does (q*scale+min).
 */
import { WaveGpuError } from '../../runtime/errors.js';
import type { GraphNode, TfjsGraph } from '../../weights/tfjs_graph.js';
import type { WeightFile } from '../../weights/types.js';
import type { HostTensor } from '../vocoder/types.js';

export interface GraphConv {
  /** The official-style name (table above). */
  name: string;
  node: string;
  transposed: boolean;
  weight: HostTensor;
  bias: HostTensor | null;
  k: number;
  cin: number;
  cout: number;
  stride: number;
  dilation: number;
  /** Time padding [left, right] before the conv (conv) or the crop of each end (transposed). */
  padding: [number, number];
  paddingMode: 'zeros' | 'reflect';
}

export interface MbMelganGraph {
  convs: Map<string, GraphConv>;
  /** LeakyReLU negative slope used throughout. */
  slope: number;
  stages: number;
  blocks: number;
}

const OP = 'mbmelgan';

function base(input: string): string {
  return input.replace(/^\^/, '').replace(/:\d+$/, '');
}

class Walker {
  readonly byName = new Map<string, GraphNode>();
  readonly consumers = new Map<string, GraphNode[]>();

  constructor(readonly graph: TfjsGraph, readonly file: WeightFile) {
    for (const n of graph.nodes) this.byName.set(n.name, n);
    for (const n of graph.nodes) for (const i of n.inputs) {
      const b = base(i);
      if (!this.consumers.has(b)) this.consumers.set(b, []);
      this.consumers.get(b)!.push(n);
    }
  }

  async constant(name: string): Promise<HostTensor> {
    const e = this.file.tensors.get(name);
    if (!e) throw new WaveGpuError(OP, `${this.file.name}: graph constant '${name}' has no weight`);
    return { data: await e.read(), shape: e.shape.slice() };
  }

  /** The bias added right after a conv: fused third input, or a BiasAdd through Squeeze/BatchToSpaceND. */
  biasInput(conv: GraphNode): string | null {
    if (conv.op === '_FusedConv2D') return conv.inputs[2] ? base(conv.inputs[2]) : null;
    let cur = conv;
    for (let hops = 0; hops < 4; hops++) {
      const next = (this.consumers.get(cur.name) ?? [])[0];
      if (!next) return null;
      if (next.op === 'BiasAdd') return base(next.inputs[1]);
      if (next.op !== 'Squeeze' && next.op !== 'BatchToSpaceND') return null;
      cur = next;
    }
    return null;
  }

  /** Padding applied upstream of the conv's data input (MirrorPad = reflect, Pad = zeros). */
  async padding(conv: GraphNode, dataInput: string): Promise<{ pad: [number, number]; mode: 'zeros' | 'reflect' }> {
    let cur = this.byName.get(base(dataInput));
    for (let hops = 0; cur && hops < 4; hops++) {
      if (cur.op === 'MirrorPad' || cur.op === 'Pad') {
        const p = await this.constant(base(cur.inputs[1]));       // [rank, 2]: time is row 1 of [B, T, C]
        if (cur.op === 'MirrorPad' && cur.attr.mode !== 'REFLECT') throw new WaveGpuError(OP, `${cur.name}: MirrorPad mode ${String(cur.attr.mode)} is not REFLECT`);
        return { pad: [p.data[2], p.data[3]], mode: cur.op === 'MirrorPad' ? 'reflect' : 'zeros' };
      }
      if (cur.op !== 'ExpandDims' && cur.op !== 'SpaceToBatchND') break;
      cur = this.byName.get(base(cur.inputs[0]));
    }
    return { pad: [0, 0], mode: 'zeros' };
  }
}

/** TF filter -> torch layout. Conv2D [1, K, Cin, Cout] -> [Cout, Cin, K]. */
function convWeight(f: HostTensor): HostTensor {
  const [, K, Ci, Co] = f.shape;
  const out = new Float32Array(f.data.length);
  for (let k = 0; k < K; k++) for (let i = 0; i < Ci; i++) for (let o = 0; o < Co; o++) out[(o * Ci + i) * K + k] = f.data[(k * Ci + i) * Co + o];
  return { data: out, shape: [Co, Ci, K] };
}

/** Conv2DBackpropInput [K, 1, Cout, Cin] or [1, K, Cout, Cin] -> torch ConvTranspose1d [Cin, Cout, K]. */
function convTWeight(f: HostTensor): HostTensor {
  const K = f.shape[0] === 1 ? f.shape[1] : f.shape[0], [, , Co, Ci] = f.shape;
  const out = new Float32Array(f.data.length);
  for (let k = 0; k < K; k++) for (let o = 0; o < Co; o++) for (let i = 0; i < Ci; i++) out[(i * Co + o) * K + k] = f.data[(k * Co + o) * Ci + i];
  return { data: out, shape: [Ci, Co, K] };
}

function roleOf(node: string, k: number): string | null {
  let m = /conv_transpose_\._(\d+)\//.exec(node);
  if (m) return `upsample.${m[1]}`;
  m = /residual_stack_\._(\d+)\._\._(\d+)\/(shortcut\/|conv1d_\d+\/)/.exec(node);
  if (m) return `stack.${m[1]}.${m[2]}.${m[3] === 'shortcut/' ? 'shortcut' : k === 1 ? 'conv2' : 'conv1'}`;
  if (/PartitionedCall\/conv1d_transpose$/.test(node)) return 'pqmf.updown';
  if (/PartitionedCall\/conv1d$/.test(node)) return 'pqmf.synthesis';
  if (/sequential_\d+\/conv1d\/conv1d$/.test(node)) return 'first_conv';
  if (/sequential_\d+\/conv1d_\d+\/conv1d$/.test(node)) return 'last_conv';
  return null;
}

async function readConv(w: Walker, n: GraphNode): Promise<GraphConv> {
  const transposed = n.op === 'Conv2DBackpropInput';
  const raw = await w.constant(base(n.inputs[1]));
  const weight = transposed ? convTWeight(raw) : convWeight(raw);
  const [a, b, k] = weight.shape;
  const biasName = w.biasInput(n);
  const bias = biasName ? await w.constant(biasName) : null;
  const strides = (n.attr.strides as number[] | undefined) ?? [1, 1, 1, 1];
  const stride = Math.max(...strides);
  const name = roleOf(n.name, k) ?? n.name;
  const bs = w.byName.get(`${n.name}/SpaceToBatchND/block_shape`);
  const dilation = bs ? (await w.constant(bs.name)).data[0] : 1;
  if (transposed) {
    if (n.attr.padding !== 'SAME') throw new WaveGpuError(OP, `${n.name}: transposed conv padding ${String(n.attr.padding)} (only SAME is mapped)`);
    const total = Math.max(k - stride, 0);
    if (total % 2) throw new WaveGpuError(OP, `${n.name}: SAME padding of ${total} is odd; torch's symmetric crop cannot express it`);
    return { name, node: n.name, transposed, weight, bias, k, cin: a, cout: b, stride, dilation: 1, padding: [total / 2, total / 2], paddingMode: 'zeros' };
  }
  if (n.attr.padding !== 'VALID') throw new WaveGpuError(OP, `${n.name}: conv padding ${String(n.attr.padding)} (the graph pads explicitly; only VALID is mapped)`);
  const p = await w.padding(n, n.inputs[0]);
  return { name, node: n.name, transposed, weight, bias, k, cin: b, cout: a, stride, dilation, padding: p.pad, paddingMode: p.mode };
}

/** Every conv of the graph by official-style name, plus the LeakyReLU slope and the layout. */
export async function readMbMelganGraph(file: WeightFile & { graph?: TfjsGraph }): Promise<MbMelganGraph> {
  if (!file.graph) throw new WaveGpuError(OP, `${file.name} is not a TF.js graph model (format ${file.format}); Multi-band MelGAN loads from its model.json`);
  const w = new Walker(file.graph, file);
  const convs = new Map<string, GraphConv>();
  for (const n of file.graph.nodes) {
    if (n.op !== '_FusedConv2D' && n.op !== 'Conv2D' && n.op !== 'Conv2DBackpropInput') continue;
    const c = await readConv(w, n);
    if (convs.has(c.name)) throw new WaveGpuError(OP, `${file.name}: two convs map to '${c.name}' (${convs.get(c.name)!.node}, ${c.node})`);
    convs.set(c.name, c);
  }
  for (const need of ['first_conv', 'upsample.0', 'stack.0.0.conv1', 'last_conv']) {
    if (!convs.has(need)) throw new WaveGpuError(OP, `${file.name}: no '${need}' conv in the graph; is this TensorFlowTTS's (Multi-band) MelGAN?`);
  }
  const slopes = new Set(file.graph.nodes.filter((n) => n.op === 'LeakyRelu').map((n) => Number(n.attr.alpha)));
  if (slopes.size !== 1) throw new WaveGpuError(OP, `${file.name}: LeakyRelu slopes ${[...slopes].join(', ')} (expected one)`);
  let stages = 0, blocks = 0;
  while (convs.has(`upsample.${stages}`)) stages++;
  while (convs.has(`stack.0.${blocks}.conv1`)) blocks++;
  return { convs, slope: [...slopes][0], stages, blocks };
}
