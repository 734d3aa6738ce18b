/**
 * Builds a WaveNet from a state dict by tensor name. Two layouts of
 * vincentherrmann/pytorch-wavenet load directly:
 *   2017 checkpoints (the published violin/hihat/sine):  start_conv [R, 1, 1] (scalar input),
 *     dilated_convs.i [2D, R, K] (filter rows then gate rows), residual_convs.i [R, D, 1],
 *     skip_convs.i [S, D, 1], end_conv [C, S, 1] + bias (one-layer head);
 *   later checkpoints:  start_conv [R, C, 1] (one-hot input), filter_convs.i + gate_convs.i
 *     [D, R, K], end_conv_1 [E, S, 1] + end_conv_2 [C, E, 1] (two-layer head); biases optional.
 * Conditioning (not in those checkpoints; this project's names): cond_convs.i [2D, Cl, 1]
 * (local) and gcond_convs.i [2D, Cg, 1] (global), no bias.
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import { packGates, type GateParts, type HostTensor } from '../../ops/gate.js';
import type { WeightFile } from '../../weights/types.js';
import { PYTORCH_WAVENET_DEFAULTS, dilationsOf, parseWaveNetName, validateConfig, type WaveNetConfig } from './config.js';
import { Packer, packPointwise } from './kernels.js';
import { WaveNet } from './model.js';

export type StateDict = Map<string, HostTensor>;

/** Reads every tensor of a weight file (any reader in src/weights) into a state dict. */
export async function stateDictFrom(wf: WeightFile): Promise<StateDict> {
  const sd: StateDict = new Map();
  for (const [name, e] of wf.tensors) sd.set(name, { data: await e.read(), shape: e.shape });
  return sd;
}

function need(sd: StateDict, name: string): HostTensor {
  const t = sd.get(name);
  if (!t) throw new WaveGpuError('wavenet', `state dict has no tensor '${name}' (has: ${[...sd.keys()].slice(0, 8).join(', ')}${sd.size > 8 ? ', ...' : ''})`);
  return t;
}

function concat0(a: HostTensor, b: HostTensor): HostTensor {
  if (a.shape.slice(1).join() !== b.shape.slice(1).join()) throw new WaveGpuError('wavenet', `cannot stack ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const data = new Float32Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { data, shape: [a.shape[0] + b.shape[0], ...a.shape.slice(1)] };
}

function countLayers(sd: StateDict): number {
  let n = 0;
  while (sd.has(`dilated_convs.${n}.weight`) || sd.has(`filter_convs.${n}.weight`)) n++;
  return n;
}

/**
 * The configuration implied by the tensors' shapes, completed by `hint` (layers and blocks are not
 * visible in a state dict: give them, or a pytorch-wavenet file name to parse them from).
 */
export function inferConfig(sd: StateDict, hint: Partial<WaveNetConfig> = {}, name = ''): WaveNetConfig {
  const n = countLayers(sd);
  if (!n) throw new WaveGpuError('wavenet', 'state dict has neither dilated_convs.0.weight nor filter_convs.0.weight: not a pytorch-wavenet layout');
  const fromName = parseWaveNetName(name) ?? {};
  const start = need(sd, 'start_conv.weight');
  const fused = sd.has('dilated_convs.0.weight');
  const wd = fused ? need(sd, 'dilated_convs.0.weight') : need(sd, 'filter_convs.0.weight');
  const twoLayer = sd.has('end_conv_2.weight');
  const last = twoLayer ? need(sd, 'end_conv_2.weight') : need(sd, 'end_conv.weight');
  const classes = last.shape[0];
  const c: WaveNetConfig = {
    ...PYTORCH_WAVENET_DEFAULTS, layers: n, blocks: 1, ...fromName, ...hint,
    kernelSize: wd.shape[2], residualChannels: wd.shape[1], dilationChannels: fused ? wd.shape[0] / 2 : wd.shape[0],
    skipChannels: need(sd, 'skip_convs.0.weight').shape[0], endChannels: twoLayer ? need(sd, 'end_conv_1.weight').shape[0] : 0,
    classes, input: start.shape[1] === 1 ? 'scalar' : 'onehot',
    localChannels: sd.get('cond_convs.0.weight')?.shape[1] ?? 0, globalChannels: sd.get('gcond_convs.0.weight')?.shape[1] ?? 0,
  };
  c.mu = hint.mu ?? fromName.mu ?? classes;
  if (dilationsOf(c).length !== n) {
    throw new WaveGpuError('wavenet', `the state dict has ${n} layers but layers x blocks = ${c.layers} x ${c.blocks}; pass { layers, blocks } (or the checkpoint file name, e.g. violin_7-2-128-64-64-64-2)`);
  }
  if (c.input === 'onehot' && start.shape[1] !== classes) throw new WaveGpuError('wavenet', `start_conv.weight ${fmtShape(start.shape)}: expected 1 (scalar) or ${classes} (one-hot) input channels`);
  validateConfig(c);
  return c;
}

function condWeight(sd: StateDict, i: number, c: WaveNetConfig): HostTensor | undefined {
  const local = c.localChannels ? need(sd, `cond_convs.${i}.weight`) : undefined;
  const glob = c.globalChannels ? need(sd, `gcond_convs.${i}.weight`) : undefined;
  if (!local || !glob) return local ?? glob;
  // Stack along input channels: [2D, Cl + Cg], matching mergeCond's channel order.
  const m = local.shape[0], cl = c.localChannels, cg = c.globalChannels;
  const data = new Float32Array(m * (cl + cg));
  for (let r = 0; r < m; r++) {
    data.set(local.data.subarray(r * cl, (r + 1) * cl), r * (cl + cg));
    data.set(glob.data.subarray(r * cg, (r + 1) * cg), r * (cl + cg) + cl);
  }
  return { data, shape: [m, cl + cg] };
}

function layerParts(sd: StateDict, i: number, c: WaveNetConfig, last: boolean): GateParts {
  const fused = sd.has(`dilated_convs.${i}.weight`);
  const wd = fused ? need(sd, `dilated_convs.${i}.weight`) : concat0(need(sd, `filter_convs.${i}.weight`), need(sd, `gate_convs.${i}.weight`));
  const fb = sd.get(`filter_convs.${i}.bias`), gb = sd.get(`gate_convs.${i}.bias`);
  const bd = fused ? sd.get(`dilated_convs.${i}.bias`) : fb && gb ? concat0(fb, gb) : undefined;
  return {
    wd, bd, wc: condWeight(sd, i, c), gated: true, skip: 'conv',
    // The last layer's residual output feeds nothing: leave it out.
    wr: last ? undefined : need(sd, `residual_convs.${i}.weight`), br: last ? undefined : sd.get(`residual_convs.${i}.bias`),
    ws: need(sd, `skip_convs.${i}.weight`), bs: sd.get(`skip_convs.${i}.bias`),
  };
}

/** Uploads a state dict as a WaveNet. `config` completes or overrides the inferred configuration. */
export function loadWaveNet(gpu: Gpu, sd: StateDict, config: Partial<WaveNetConfig> = {}, name = ''): WaveNet {
  const c = inferConfig(sd, config, name);
  const n = dilationsOf(c).length;
  const parts = Array.from({ length: n }, (_, i) => layerParts(sd, i, c, i === n - 1));
  const { data, layouts } = packGates(parts);
  const p = new Packer();
  const start = packPointwise(p, need(sd, 'start_conv.weight'), sd.get('start_conv.bias'));
  const twoLayer = c.endChannels > 0;
  const l1 = twoLayer ? packPointwise(p, need(sd, 'end_conv_1.weight'), sd.get('end_conv_1.bias')) : packPointwise(p, need(sd, 'end_conv.weight'), sd.get('end_conv.bias'));
  const l2 = twoLayer ? packPointwise(p, need(sd, 'end_conv_2.weight'), sd.get('end_conv_2.bias')) : null;
  const w = gpu.tensor(data);
  const misc = gpu.tensor(p.data());
  return new WaveNet(gpu, c, { layers: layouts.map((layout) => ({ w, layout })), misc, start, head: { l1, l2 } });
}
