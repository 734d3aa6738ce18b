/**
 * Neural Amp Modeler .nam files: JSON {version, architecture, config, weights: number[],
 * sample_rate?, metadata?}. The flat weight list is exposed as one tensor 'weights' [N];
 * namWaveNetLayout() names its slices for the WaveNet architecture, in the order NAM's
 * set_weights_ consumes them:
 *   per layer array: rechannel 1x1 [ch, in] (no bias);
 *     per layer: dilated conv [mid, ch, k] + bias [mid], input_mixin 1x1 [mid, cond] (no bias),
 *                1x1 [ch, ch] + bias [ch]            (mid = 2*ch when gated, else ch)
 *     head_rechannel 1x1 [head, ch] (+ bias [head] when head_bias);
 *   finally head_scale (1 value).
 */
import { bytesSource, decodeUtf8, readAll } from './bytes.js';
import { fail, type ByteSource, type TensorEntry, type WeightFile } from './types.js';

const OP = 'nam';

export interface NamWeightFile extends WeightFile {
  format: 'nam';
  architecture: string;
  config: Record<string, unknown>;
  /** The flat weight list, float32. */
  weights: Float32Array;
  sampleRate: number | null;
}

export interface NamSlice { name: string; shape: number[]; offset: number; size: number }

/** Parses and validates a .nam file. */
export async function readNam(src: ByteSource | Uint8Array | string, name = 'model.nam'): Promise<NamWeightFile> {
  const text = typeof src === 'string' ? src
    : decodeUtf8(await readAll(src instanceof Uint8Array ? bytesSource(src, name) : src, OP, name, 256 * 1024 * 1024), OP, name, 'file');
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { fail(OP, name, `not valid JSON (${(e as Error).message})`); }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(OP, name, 'not a JSON object');
  const j = json as Record<string, unknown>;
  if (typeof j.architecture !== 'string') fail(OP, name, 'missing "architecture" string');
  if (typeof j.config !== 'object' || j.config === null || Array.isArray(j.config)) fail(OP, name, 'missing "config" object');
  if (!Array.isArray(j.weights)) fail(OP, name, 'missing "weights" list');
  const weights = new Float32Array(j.weights.length);
  j.weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w)) fail(OP, name, `weight ${i} is ${JSON.stringify(w)}, not a finite number`);
    weights[i] = w;
  });
  const sr = j.sample_rate;
  if (sr !== undefined && sr !== null && (typeof sr !== 'number' || !(sr > 0) || !Number.isFinite(sr))) fail(OP, name, `bad sample_rate ${JSON.stringify(sr)}`);
  const metadata: Record<string, string> = { architecture: j.architecture };
  if (typeof j.version === 'string') metadata.version = j.version;
  if (typeof sr === 'number') metadata.sample_rate = String(sr);
  if (j.metadata && typeof j.metadata === 'object') {
    for (const [k, v] of Object.entries(j.metadata as Record<string, unknown>)) metadata[`metadata.${k}`] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const entry: TensorEntry = {
    name: 'weights', dtype: 'f32', shape: [weights.length], byteLength: weights.length * 4,
    read: async () => weights.slice(),
    readRaw: async () => new Uint8Array(weights.slice().buffer),
  };
  return {
    format: 'nam', name, tensors: new Map([['weights', entry]]), metadata, notes: [],
    config: j.config as Record<string, unknown>, architecture: j.architecture, weights, sampleRate: typeof sr === 'number' ? sr : null,
  };
}

function posInt(v: unknown, what: string, file: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0 || v > 65536) fail(OP, file, `config ${what} is ${JSON.stringify(v)}, not a positive integer`);
  return v;
}

/** Named slices of a WaveNet .nam's flat weights (see the file comment for the order). */
export function namWaveNetLayout(config: unknown, file = 'model.nam'): NamSlice[] {
  const c = (config ?? {}) as Record<string, unknown>;
  if (!Array.isArray(c.layers) || c.layers.length === 0) fail(OP, file, 'WaveNet config has no "layers" list');
  if (c.head !== undefined && c.head !== null) fail(OP, file, 'WaveNet config with a non-null "head" is not supported');
  const out: NamSlice[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]): void => {
    const size = shape.reduce((a, b) => a * b, 1);
    out.push({ name, shape, offset, size });
    offset += size;
  };
  c.layers.forEach((raw: unknown, a: number) => {
    const l = (raw ?? {}) as Record<string, unknown>;
    const p = `layers.${a}`;
    const inp = posInt(l.input_size, `${p}.input_size`, file), cond = posInt(l.condition_size, `${p}.condition_size`, file);
    const ch = posInt(l.channels, `${p}.channels`, file), k = posInt(l.kernel_size, `${p}.kernel_size`, file);
    const head = posInt(l.head_size, `${p}.head_size`, file);
    if (!Array.isArray(l.dilations) || l.dilations.length === 0) fail(OP, file, `config ${p}.dilations is not a non-empty list`);
    l.dilations.forEach((d: unknown, i: number) => posInt(d, `${p}.dilations[${i}]`, file));
    const mid = l.gated ? 2 * ch : ch;
    add(`${p}.rechannel.weight`, [ch, inp]);
    l.dilations.forEach((_d: unknown, i: number) => {
      add(`${p}.layer.${i}.conv.weight`, [mid, ch, k]);
      add(`${p}.layer.${i}.conv.bias`, [mid]);
      add(`${p}.layer.${i}.input_mixin.weight`, [mid, cond]);
      add(`${p}.layer.${i}.1x1.weight`, [ch, ch]);
      add(`${p}.layer.${i}.1x1.bias`, [ch]);
    });
    add(`${p}.head_rechannel.weight`, [head, ch]);
    if (l.head_bias) add(`${p}.head_rechannel.bias`, [head]);
  });
  add('head_scale', [1]);
  return out;
}

/** Total weight count a WaveNet config needs. */
export function namWaveNetCount(config: unknown, file = 'model.nam'): number {
  const l = namWaveNetLayout(config, file);
  const last = l[l.length - 1];
  return last.offset + last.size;
}

/** Checks a WaveNet .nam's weight count against its config; returns the named slices. */
export function checkNamWaveNet(nam: NamWeightFile): NamSlice[] {
  if (nam.architecture !== 'WaveNet') fail(OP, nam.name, `architecture is ${JSON.stringify(nam.architecture)}, not "WaveNet"`);
  const layout = namWaveNetLayout(nam.config, nam.name);
  const need = layout[layout.length - 1].offset + 1;
  if (nam.weights.length !== need) {
    fail(OP, nam.name, `the WaveNet config needs ${need} weights but the file has ${nam.weights.length}`);
  }
  return layout;
}
