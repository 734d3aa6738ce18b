/**
 * Checkpoint access for the vocoders: a state dict view over any WeightFile that finds the
 * official nesting prefix ('', 'generator.', 'model.generator.'), reads tensors by their official
 * names and folds weight norm at load time (src/ops/weight_norm.ts: weight = g * v / ||v||, the
 * norm over every dim but 0), for both torch spellings: `weight_g`/`weight_v` (torch.nn.utils.weight_norm) and
 * `parametrizations.weight.original0/1` (torch >= 2.1 parametrizations).
 */
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { Gpu } from '../../runtime/gpu.js';
import type { Tensor } from '../../runtime/tensor.js';
import type { WeightFile } from '../../weights/types.js';
import { foldWeightNorm } from '../../ops/weight_norm.js';
import type { HostTensor } from './types.js';

export class StateDict {
  /** Names read so far (unused-tensor reports, tests). */
  readonly used = new Set<string>();

  private constructor(readonly file: WeightFile, readonly prefix: string, readonly model: string) {}

  /**
   * Finds the nesting prefix from a tensor every checkpoint of the model has (`probe`, without
   * the weight suffix, e.g. 'conv_pre'): the longest name ending in `probe.weight*` wins.
   */
  static open(file: WeightFile, probe: string, model: string): StateDict {
    const suffixes = ['.weight', '.weight_v', '.parametrizations.weight.original1'].map((s) => probe + s);
    for (const name of file.tensors.keys()) {
      for (const s of suffixes) {
        if (name === s || name.endsWith('.' + s)) return new StateDict(file, name.slice(0, name.length - s.length), model);
      }
    }
    const some = [...file.tensors.keys()].slice(0, 8).join(', ');
    throw new WaveGpuError(model, `${file.name} is not a ${model} checkpoint: no tensor named like '${probe}.weight' (or its weight-norm parts); it holds ${file.tensors.size} tensors (${some}${file.tensors.size > 8 ? ', ...' : ''})`);
  }

  has(name: string): boolean {
    return this.file.tensors.has(this.prefix + name);
  }

  /** Names (without the prefix) that start with `start`. */
  keys(start = ''): string[] {
    const out: string[] = [];
    for (const k of this.file.tensors.keys()) if (k.startsWith(this.prefix + start)) out.push(k.slice(this.prefix.length));
    return out;
  }

  async get(name: string): Promise<HostTensor> {
    const e = this.file.tensors.get(this.prefix + name);
    if (!e) throw new WaveGpuError(this.model, `${this.file.name}: missing tensor '${this.prefix}${name}'`);
    this.used.add(name);
    return { data: await e.read(), shape: e.shape.slice() };
  }

  async maybe(name: string): Promise<HostTensor | null> {
    return this.has(name) ? this.get(name) : null;
  }

  /** `<layer>.weight`, folding weight norm when the checkpoint stores its parts. */
  async weight(layer: string): Promise<HostTensor> {
    if (this.has(`${layer}.weight`)) return this.get(`${layer}.weight`);
    if (this.has(`${layer}.weight_v`)) return this.fold(await this.get(`${layer}.weight_g`), await this.get(`${layer}.weight_v`));
    const p = `${layer}.parametrizations.weight`;
    if (this.has(`${p}.original1`)) return this.fold(await this.get(`${p}.original0`), await this.get(`${p}.original1`));
    throw new WaveGpuError(this.model, `${this.file.name}: missing '${this.prefix}${layer}.weight' (nor weight_g/weight_v, nor parametrizations.weight.original0/1)`);
  }

  private fold(g: HostTensor, v: HostTensor): HostTensor {
    const w = foldWeightNorm(g, v, 0);
    return { data: w.data, shape: [...w.shape] };
  }

  /** Shape of `<layer>.weight` (or of weight_v / original1) without reading it. */
  weightShape(layer: string): number[] | null {
    for (const s of ['.weight', '.weight_v', '.parametrizations.weight.original1']) {
      const e = this.file.tensors.get(this.prefix + layer + s);
      if (e) return e.shape.slice();
    }
    return null;
  }
}

/** Checks a host tensor's shape against the configuration's expectation. */
export function expectShape(model: string, name: string, t: HostTensor, shape: readonly number[]): HostTensor {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new WaveGpuError(model, `tensor '${name}' is ${fmtShape(t.shape)} but the configuration expects ${fmtShape(shape)}; check the model configuration (or pass the checkpoint's config file)`);
  }
  return t;
}

/** Uploads a host tensor (weights live outside scopes: the model disposes them). */
export function upload(gpu: Gpu, t: HostTensor, shape: readonly number[] = t.shape): Tensor {
  return gpu.tensor(t.data, shape);
}
