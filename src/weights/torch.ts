/**
 * PyTorch checkpoints, read without Python and without running anything from the file.
 *
 * Zip format (torch.save since 1.6): <prefix>/data.pkl (pickle whose persistent ids are
 * ('storage', torch.FloatStorage, key, location, numel)), <prefix>/data/<key> (raw
 * little-endian storage bytes), <prefix>/byteorder (optional, 'little').
 *
 * Legacy format (_use_new_zipfile_serialization=False, and everything before torch 1.6):
 *   pickle(magic 0x1950a86a20f9469cfc6c) pickle(protocol 1001) pickle(sys_info dict)
 *   pickle(object; persistent ids ('storage', cls, key, location, numel, view_metadata))
 *   pickle(sorted storage keys) then per key: int64 element count + raw storage bytes.
 */
import { bytesSource } from './bytes.js';
import { NeedMoreData, unpickle, type PickleOptions } from './pickle.js';
import { PyDict, PyTuple } from './pickle_values.js';
import { StorageRef, flattenTensors, storageDtype, tensorEntry, torchGlobals, type StorageBytes } from './torch_tensor.js';
import { DTYPE_SIZE, LIMITS, fail, q, type ByteSource, type TensorEntry, type WeightFile } from './types.js';
import { readZipDirectory, readZipEntry, type ZipEntry } from './zip.js';

const OP = 'torch';

export interface TorchOptions {
  /** Extra data-only classes accepted as inert objects (never called), e.g. a repo's config class. */
  inertGlobals?: readonly string[];
}

function pickleOptions(file: string, persistentLoad: (pid: unknown) => unknown, opts: TorchOptions): PickleOptions {
  return { globals: torchGlobals(opts.inertGlobals), persistentLoad, op: OP, file };
}

/** Parses a persistent id tuple; returns the storage reference and, for legacy views, the root key. */
function parsePid(pid: unknown, file: string): { ref: StorageRef; rootNumel: number } {
  const items = pid instanceof PyTuple ? pid.items : null;
  if (!items || items[0] !== 'storage' || (items.length !== 5 && items.length !== 6)) {
    fail(OP, file, 'persistent id is not a (\'storage\', type, key, location, numel[, view]) tuple');
  }
  const [, cls, key, location, numel, view] = items;
  const dtype = storageDtype(cls, OP, file);
  if (typeof key !== 'string' || typeof location !== 'string') fail(OP, file, 'persistent id key or location is not a string');
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) fail(OP, file, `storage ${q(key)} has a bad element count ${String(numel)}`);
  if (view === undefined || view === null) return { ref: new StorageRef(key, dtype, numel, location), rootNumel: numel };
  // Legacy storage view: (view_key, offset, view_size) inside root storage `key`.
  const v = view instanceof PyTuple ? view.items : [];
  const [, off, size] = v;
  if (v.length !== 3 || typeof off !== 'number' || typeof size !== 'number' || off < 0 || size < 0 || off + size > numel) {
    fail(OP, file, `storage view of ${q(key)} has bad view metadata`);
  }
  return { ref: new StorageRef(key, dtype, size, location, off), rootNumel: numel };
}

function buildFile(format: string, file: string, root: unknown, read: StorageBytes, src: ByteSource, extraNotes: string[]): WeightFile {
  const { tensors, notes } = flattenTensors(root, OP, file);
  const out = new Map<string, TensorEntry>();
  for (const [name, t] of tensors) out.set(name, tensorEntry(name, t, read));
  return { format, name: file, tensors: out, metadata: {}, notes: [...extraNotes, ...notes], close: src.close?.bind(src) };
}

/** Reads a torch zip archive (torch.save >= 1.6). */
export async function readTorchZip(src: ByteSource | Uint8Array, file = 'model.pt', opts: TorchOptions = {}): Promise<WeightFile> {
  const source = src instanceof Uint8Array ? bytesSource(src, file) : src;
  const entries = await readZipDirectory(source, file);
  const pkls = [...entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkls.length !== 1) fail(OP, file, pkls.length ? 'archive holds more than one data.pkl' : 'zip archive has no <name>/data.pkl: not a torch.save checkpoint');
  const prefix = pkls[0].slice(0, -'data.pkl'.length);
  if ([...entries.keys()].some((n) => n.startsWith(prefix + 'code/') || n === prefix + 'constants.pkl')) {
    fail(OP, file, 'this is a TorchScript archive (torch.jit.save); load it in Python and torch.save(model.state_dict()) instead');
  }
  const order = entries.get(prefix + 'byteorder');
  if (order) {
    const text = new TextDecoder().decode(await readZipEntry(source, order, file));
    if (text.trim() !== 'little') fail(OP, file, `byteorder is ${JSON.stringify(text.slice(0, 20))}; only little-endian checkpoints are supported`);
  }
  const pklEntry = entries.get(pkls[0])!;
  if (pklEntry.size > LIMITS.maxHeaderBytes) fail(OP, file, `data.pkl is ${pklEntry.size} bytes, beyond the cap`);
  const pkl = await readZipEntry(source, pklEntry, file);
  const storages = new Map<string, ZipEntry>();
  const load = (pid: unknown): StorageRef => {
    const { ref } = parsePid(pid, file);
    const e = entries.get(`${prefix}data/${ref.key}`);
    if (!e) fail(OP, file, `storage ${q(ref.key)} has no entry ${prefix}data/${ref.key}`);
    if (ref.numel * DTYPE_SIZE[ref.dtype] > e.size) fail(OP, file, `storage ${q(ref.key)} claims ${ref.numel} ${ref.dtype} elements but its entry holds ${e.size} bytes`);
    storages.set(ref.key, e);
    return ref;
  };
  const { value } = unpickle(pkl, 0, true, pickleOptions(file, load, opts));
  const read: StorageBytes = (s, off, len) => readZipEntry(source, storages.get(s.key)!, file, off, len);
  return buildFile('torch-zip', file, value, read, source, []);
}

/** Runs one pickle at `offset` of a source, reading a growing prefix until it completes. */
async function pickleAt(src: ByteSource, offset: number, opts: PickleOptions): Promise<{ value: unknown; end: number }> {
  let len = Math.min(src.size - offset, 1 << 16);
  for (;;) {
    const complete = offset + len === src.size;
    const bytes = await src.read(offset, len);
    try {
      const { value, end } = unpickle(bytes, 0, complete, opts);
      return { value, end: offset + end };
    } catch (e) {
      if (!(e instanceof NeedMoreData) || complete) throw e;
      if (len >= LIMITS.maxHeaderBytes) fail(OP, opts.file, `a pickle runs beyond the ${LIMITS.maxHeaderBytes}-byte cap`);
      len = Math.min(src.size - offset, len * 4);
    }
  }
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

/** Reads the legacy (non-zip) torch format. */
export async function readTorchLegacy(src: ByteSource | Uint8Array, file = 'model.pt', opts: TorchOptions = {}): Promise<WeightFile> {
  const source = src instanceof Uint8Array ? bytesSource(src, file) : src;
  const plain = pickleOptions(file, () => fail(OP, file, 'unexpected persistent id in a header pickle'), opts);
  const magic = await pickleAt(source, 0, plain);
  if (magic.value !== LEGACY_MAGIC) fail(OP, file, 'not a legacy torch file (bad magic number)');
  const proto = await pickleAt(source, magic.end, plain);
  if (proto.value !== 1001) fail(OP, file, `unsupported legacy protocol version ${String(proto.value)} (expected 1001)`);
  const sys = await pickleAt(source, proto.end, plain);
  if (!(sys.value instanceof PyDict) || sys.value.get('little_endian') !== true) fail(OP, file, 'sys_info is missing or says big-endian; only little-endian checkpoints are supported');
  const roots = new Map<string, { ref: StorageRef; numel: number }>();
  const load = (pid: unknown): StorageRef => {
    const { ref, rootNumel } = parsePid(pid, file);
    const prev = roots.get(ref.key);
    if (prev && (prev.ref.dtype !== ref.dtype || prev.numel !== rootNumel)) fail(OP, file, `storage ${q(ref.key)} is declared with two different types or sizes`);
    if (!prev) roots.set(ref.key, { ref, numel: rootNumel });
    return ref;
  };
  const main = await pickleAt(source, sys.end, pickleOptions(file, load, opts));
  const keysP = await pickleAt(source, main.end, plain);
  const keys = keysP.value;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) fail(OP, file, 'storage key list is not a list of strings');
  const offsets = await locateStorages(source, file, keys as string[], roots, keysP.end);
  const notes = offsets.trailing ? [`${offsets.trailing} trailing bytes after the last storage ignored`] : [];
  const read: StorageBytes = (s, off, len) => source.read(offsets.at.get(s.key)! + off, len);
  return buildFile('torch-legacy', file, main.value, read, source, notes);
}

/** Walks the storages after the key list: int64 element count + raw data, in key-list order. */
async function locateStorages(src: ByteSource, file: string, keys: string[], roots: Map<string, { ref: StorageRef; numel: number }>, start: number) {
  const at = new Map<string, number>();
  let pos = start;
  for (const key of keys) {
    const root = roots.get(key);
    if (!root) fail(OP, file, `storage ${q(key)} is listed but no tensor names its type`);
    if (at.has(key)) fail(OP, file, `storage ${q(key)} is listed twice`);
    if (pos + 8 > src.size) fail(OP, file, `truncated: storage ${q(key)} header at offset ${pos} is past the end of the ${src.size}-byte file`);
    const head = await src.read(pos, 8);
    const count = new DataView(head.buffer, head.byteOffset, 8).getBigInt64(0, true);
    if (count !== BigInt(root.numel)) fail(OP, file, `storage ${q(key)} holds ${count} elements but the pickle declares ${root.numel}`);
    const bytes = root.numel * DTYPE_SIZE[root.ref.dtype];
    if (pos + 8 + bytes > src.size) fail(OP, file, `truncated: storage ${q(key)} needs ${bytes} bytes at offset ${pos + 8} but the file ends at ${src.size}`);
    at.set(key, pos + 8);
    pos += 8 + bytes;
  }
  for (const key of roots.keys()) if (!at.has(key)) fail(OP, file, `storage ${q(key)} is used by a tensor but missing from the key list`);
  return { at, trailing: src.size - pos };
}

/** True when the bytes start like a legacy torch file: a pickled LONG1 magic number (protocol 4+ frames it). */
export function isTorchLegacy(head: Uint8Array): boolean {
  const magic = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
  if (head.length < 14 || head[0] !== 0x80 || head[1] < 2 || head[1] > 5) return false;
  const at = head[2] === 0x95 ? 11 : 2;
  return head.length >= at + magic.length && magic.every((b, i) => head[at + i] === b);
}
