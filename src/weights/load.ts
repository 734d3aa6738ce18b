/**
 * loadWeights(): sniffs a file's format from its bytes and hands it to the right reader.
 *   safetensors   u64 header length, then '{'
 *   torch-zip     'PK\x03\x04' (torch.save >= 1.6)
 *   torch-legacy  pickle PROTO 2..5 + LONG1 0x1950a86a20f9469cfc6c
 *   tfjs / nam    JSON text: weightsManifest/modelTopology -> TF.js; architecture+weights -> NAM
 *   tf-checkpoint SSTable footer magic 0xdb4775248b80fb57 in the last 8 bytes (.index)
 */
import { bytesSource, readAll, withProgress } from './bytes.js';
import { readNam } from './nam.js';
import { readSafetensors } from './safetensors.js';
import { readTfCheckpoint } from './tfckpt.js';
import { readTfjs } from './tfjs.js';
import { isTorchLegacy, readTorchLegacy, readTorchZip } from './torch.js';
import { fail, type ByteSource, type FileOpener, type ProgressFn, type WeightFile } from './types.js';

export type WeightFormat = 'safetensors' | 'torch-zip' | 'torch-legacy' | 'json' | 'tf-checkpoint';

export interface LoadOptions {
  /** The file's name (messages, converter metadata; a TF checkpoint's shard names derive from it). */
  name?: string;
  /** Called as bytes are read: (loaded, total). */
  onProgress?: ProgressFn;
  /** Opens files beside this one: TF.js weight shards, TF checkpoint data shards. */
  open?: FileOpener;
  /** torch: extra data-only classes accepted as inert objects (never called). */
  inertGlobals?: readonly string[];
}

/** Identifies a format from the first and last bytes of a file. */
export function sniffFormat(head: Uint8Array, tail: Uint8Array, size: number): WeightFormat | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return 'torch-zip';
  if (isTorchLegacy(head)) return 'torch-legacy';
  if (head.length >= 9 && head[8] === 0x7b) {
    const dv = new DataView(head.buffer, head.byteOffset, 8);
    const n = dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(0, true);
    if (n <= size - 8) return 'safetensors';
  }
  const first = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
  if (first === 0x7b) return 'json';
  if (tail.length >= 8) {
    const dv = new DataView(tail.buffer, tail.byteOffset + tail.length - 8, 8);
    if (dv.getUint32(0, true) === 0x8b80fb57 && dv.getUint32(4, true) === 0xdb477524) return 'tf-checkpoint';
  }
  return null;
}

function fetchVia(open: FileOpener): (p: string) => Promise<Uint8Array> {
  return async (p) => {
    const s = await open(p);
    try { return await s.read(0, s.size); } finally { await s.close?.(); }
  };
}

async function loadJson(src: ByteSource, name: string, opts: LoadOptions): Promise<WeightFile> {
  const bytes = await readAll(src, 'weights', name, 256 * 1024 * 1024);
  let json: Record<string, unknown>;
  try { json = JSON.parse(new TextDecoder().decode(bytes)); } catch (e) { return fail('weights', name, `JSON file does not parse (${(e as Error).message})`); }
  if (json && typeof json === 'object' && ('weightsManifest' in json || 'modelTopology' in json)) {
    if (!opts.open) fail('tfjs', name, 'a TF.js model.json needs an `open` option to fetch its weight shards');
    return readTfjs(bytes, fetchVia(opts.open), { name, onProgress: opts.onProgress });
  }
  if (json && typeof json === 'object' && 'architecture' in json && 'weights' in json) return readNam(bytes, name);
  return fail('weights', name, 'JSON file is neither a TF.js model.json (weightsManifest) nor a .nam model (architecture + weights)');
}

/** Loads any supported weight file; tensors read lazily from `source`. */
export async function loadWeights(source: ByteSource | Uint8Array, opts: LoadOptions = {}): Promise<WeightFile> {
  const name = opts.name ?? 'weights';
  const raw = source instanceof Uint8Array ? bytesSource(source, name) : source;
  const src = withProgress(raw, opts.onProgress);
  const head = await raw.read(0, Math.min(raw.size, 64));
  const tail = await raw.read(Math.max(0, raw.size - 8), Math.min(raw.size, 8));
  const format = sniffFormat(head, tail, raw.size);
  switch (format) {
    case 'safetensors': return readSafetensors(src, name);
    case 'torch-zip': return readTorchZip(src, name, { inertGlobals: opts.inertGlobals });
    case 'torch-legacy': return readTorchLegacy(src, name, { inertGlobals: opts.inertGlobals });
    case 'json': return loadJson(src, name, opts);
    case 'tf-checkpoint':
      if (!opts.open) fail('tfckpt', name, 'a TF checkpoint .index needs an `open` option to read its data shards');
      return readTfCheckpoint(src, opts.open, name);
  }
  if (raw.size >= 262 && new TextDecoder().decode(await raw.read(257, 5)) === 'ustar') {
    fail('torch', name, 'tar-format torch checkpoints (before torch 0.1.10) are not supported; re-save with a newer torch');
  }
  return fail('weights', name, 'unrecognised weight format (expected safetensors, a torch checkpoint, a TF.js model.json, a TF checkpoint .index or a .nam file)');
}
