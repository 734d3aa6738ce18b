/**
 * The converter core behind `wavegpu inspect` and `wavegpu convert`: per-tensor statistics
 * (min/max/mean and non-finite counts, so NaN/Inf in a checkpoint are reported), and
 * conversion of any WeightFile to safetensors with renaming and an f32/f16 float dtype.
 */
import { encodeFloat } from './dtype.js';
import { writeSafetensors, type RawTensor } from './safetensors.js';
import { FLOAT_DTYPES, fail, q, type DType, type WeightFile } from './types.js';

export interface InspectRow {
  name: string;
  dtype: DType;
  shape: number[];
  bytes: number;
  /** Over finite values only; null when the tensor has none. */
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Count of NaN and +-Inf elements. */
  nonFinite: number;
  storage?: string;
}

/** Reads every tensor (one at a time) and reports its statistics. */
export async function inspectWeights(file: WeightFile): Promise<InspectRow[]> {
  const rows: InspectRow[] = [];
  for (const [name, e] of file.tensors) {
    const v = await e.read();
    let min = Infinity, max = -Infinity, sum = 0, finite = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (!Number.isFinite(x)) continue;
      finite++;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    rows.push({
      name, dtype: e.dtype, shape: e.shape, bytes: e.byteLength,
      min: finite ? min : null, max: finite ? max : null, mean: finite ? sum / finite : null,
      nonFinite: v.length - finite, storage: e.storage,
    });
  }
  return rows;
}

const fmt = (x: number | null): string => (x === null ? '-' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toFixed(4));

/** A plain-text table of inspect rows plus the file's metadata and notes. */
export function formatInspect(file: WeightFile, rows: InspectRow[]): string {
  const lines = [`${file.name}: ${file.format}, ${rows.length} tensors, ${rows.reduce((a, r) => a + r.bytes, 0)} bytes`];
  for (const [k, v] of Object.entries(file.metadata)) lines.push(`  meta ${k} = ${v.length > 100 ? v.slice(0, 97) + '...' : v}`);
  for (const n of file.notes) lines.push(`  note ${n}`);
  for (const r of rows) {
    const bad = r.nonFinite ? `  NON-FINITE x${r.nonFinite}` : '';
    lines.push(`  ${r.name}  ${r.dtype} [${r.shape.join(', ')}]  ${r.bytes} B  min ${fmt(r.min)} max ${fmt(r.max)} mean ${fmt(r.mean)}${bad}`);
  }
  return lines.join('\n');
}

export interface ConvertOptions {
  /** Float tensors are written in this dtype (integer and bool tensors keep theirs). Default 'f32'. */
  dtype?: 'f32' | 'f16';
  /** Keep only tensors whose (original) name starts with one of these prefixes, e.g. ['model.generator.']. */
  only?: string[];
  /** Literal substring replacements applied to every name, in order: ['generator.', ''] ... */
  rename?: Array<[string, string]>;
  /** Extra metadata (string values) merged over the defaults. */
  metadata?: Record<string, string>;
}

/** Applies rename pairs to a name. */
export function renameTensor(name: string, rename: Array<[string, string]> = []): string {
  let out = name;
  for (const [from, to] of rename) if (from) out = out.split(from).join(to);
  return out;
}

/**
 * Converts a WeightFile to safetensors bytes. __metadata__ carries the source file name and
 * format, the converter dtype, the source's own metadata (prefixed 'source.') and its config
 * (JSON) when it has one.
 */
export async function convertToSafetensors(file: WeightFile, opts: ConvertOptions = {}): Promise<Uint8Array> {
  const dtype = opts.dtype ?? 'f32';
  if (dtype !== 'f32' && dtype !== 'f16') fail('convert', file.name, `dtype must be f32 or f16, not ${JSON.stringify(dtype)}`);
  const out: RawTensor[] = [];
  const names = new Map<string, string>();
  for (const [name, e] of file.tensors) {
    if (opts.only?.length && !opts.only.some((p) => name.startsWith(p))) continue;
    const to = renameTensor(name, opts.rename);
    if (!to) fail('convert', file.name, `renaming ${q(name)} leaves an empty name`);
    const clash = names.get(to);
    if (clash !== undefined) fail('convert', file.name, `renaming maps both ${q(clash)} and ${q(name)} to ${q(to)}`);
    names.set(to, name);
    if (FLOAT_DTYPES.has(e.dtype)) out.push({ name: to, dtype, shape: e.shape, data: encodeFloat(await e.read(), dtype) });
    else if (e.readRaw) out.push({ name: to, dtype: e.dtype, shape: e.shape, data: await e.readRaw() });
    else out.push({ name: to, dtype: 'f32', shape: e.shape, data: encodeFloat(await e.read(), 'f32') });
  }
  const metadata: Record<string, string> = {
    format: 'pt', converted_by: 'wavegpu', source: file.name, source_format: file.format, dtype,
  };
  for (const [k, v] of Object.entries(file.metadata)) metadata[`source.${k}`] = v;
  if (file.config !== undefined) metadata.config = JSON.stringify(file.config);
  if (file.notes.length) metadata.notes = file.notes.slice(0, 50).join('\n');
  if (opts.only?.length) metadata.only = opts.only.join(',');
  if (opts.rename?.length) metadata.rename = opts.rename.map(([a, b]) => `${a}=${b}`).join(',');
  Object.assign(metadata, opts.metadata ?? {});
  if (out.length === 0) fail('convert', file.name, `no tensor is left to write${opts.only?.length ? ` (none starts with ${opts.only.map(q).join(' or ')})` : ''}`);
  return writeSafetensors(out, metadata);
}
