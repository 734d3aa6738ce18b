/**
 * Loads a .nam WaveNet: the JSON is parsed by src/weights/nam.ts, whose namWaveNetLayout names
 * the flat weight list's slices in NAM's order (rechannel, per layer conv + bias, input mixin,
 * 1x1 + bias, head rechannel (+ bias), head_scale).
 */
import type { Gpu } from '../../runtime/gpu.js';
import { WaveGpuError } from '../../runtime/errors.js';
import { packGates, type GateParts, type HostTensor } from '../../ops/gate.js';
import { readNam, checkNamWaveNet } from '../../weights/nam.js';
import { Packer, packPointwise } from '../wavenet/kernels.js';
import { parseNamConfig, type NamConfig } from './config.js';
import { NamModel, type NamOptions } from './model.js';

/** Named slices of the weight list. */
export type NamTensors = Map<string, HostTensor>;

function build(gpu: Gpu, c: NamConfig, t: NamTensors, opts: NamOptions): NamModel {
  const need = (n: string): HostTensor => {
    const v = t.get(n);
    if (!v) throw new WaveGpuError('nam', `weights have no slice '${n}'`);
    return v;
  };
  const headScale = need('head_scale').data[0];
  const last = c.arrays.length - 1;
  const gateParts: GateParts[] = [];
  c.arrays.forEach((a, ai) => a.dilations.forEach((_, i) => {
    const p = `layers.${ai}.layer.${i}`;
    const lastLayer = ai === last && i === a.dilations.length - 1;   // its residual output feeds nothing
    gateParts.push({
      wd: need(`${p}.conv.weight`), bd: need(`${p}.conv.bias`), wc: need(`${p}.input_mixin.weight`),
      wr: lastLayer ? undefined : need(`${p}.1x1.weight`), br: lastLayer ? undefined : need(`${p}.1x1.bias`),
      gated: a.gated, skip: 'identity',
    });
  }));
  const { data, layouts } = packGates(gateParts);
  const p = new Packer();
  let at = 0;
  const arrays = c.arrays.map((a, ai) => ({
    rechannel: packPointwise(p, need(`layers.${ai}.rechannel.weight`)),
    layers: a.dilations.map(() => layouts[at++]),
    head: packPointwise(p, need(`layers.${ai}.head_rechannel.weight`), t.get(`layers.${ai}.head_rechannel.bias`), ai === last ? headScale : 1),
  }));
  const w = gpu.tensor(data);
  const misc = gpu.tensor(p.data());
  return new NamModel(gpu, c, { misc, arrays: arrays.map((a) => ({ ...a, layers: a.layers.map((layout) => ({ w, layout })) })) }, opts);
}

/** Parses a .nam file (bytes or JSON text) and uploads it. */
export async function loadNam(gpu: Gpu, src: Uint8Array | string, opts: NamOptions & { name?: string } = {}): Promise<NamModel> {
  const nam = await readNam(src, opts.name ?? 'model.nam');
  const slices = checkNamWaveNet(nam);
  const config = parseNamConfig(nam.config, nam.sampleRate);
  const tensors: NamTensors = new Map(slices.map((s) => [s.name, { data: nam.weights.subarray(s.offset, s.offset + s.size), shape: s.shape }]));
  return build(gpu, config, tensors, opts);
}
