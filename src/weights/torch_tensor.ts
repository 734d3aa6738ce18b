/**
 * Torch tensor rebuilding for the data-only unpickler: the allow-listed rebuild functions and
 * storage classes, validation of (storage, offset, size, stride) views, lazy entries that
 * materialise non-contiguous views contiguously, and flattening of nested dicts to dotted names.
 */
import { gatherStrided, decodeToF32 } from './dtype.js';
import type { GlobalDef, PickleContext } from './pickle.js';
import { baseGlobals } from './pickle_globals.js';
import { PyDict, PyGlobal, PyObject, PyTuple } from './pickle_values.js';
import { DTYPE_SIZE, fail, q, shapeNumel, type DType, type TensorEntry } from './types.js';

/** A storage as named by a persistent id: ('storage', torch.FloatStorage, key, location, numel[, view]). */
export class StorageRef {
  constructor(readonly key: string, readonly dtype: DType, readonly numel: number, readonly location: string,
    /** Element offset of a legacy storage view inside its root storage. */
    readonly viewOffset = 0) {}
}

/** A tensor view produced by _rebuild_tensor(_v2): nothing is read until its entry is read. */
export class TorchTensor {
  buildState?: unknown;
  constructor(readonly storage: StorageRef, readonly offset: number, readonly shape: number[], readonly stride: number[]) {}
}

export const STORAGE_DTYPES: Record<string, DType> = {
  FloatStorage: 'f32', DoubleStorage: 'f64', HalfStorage: 'f16', BFloat16Storage: 'bf16', LongStorage: 'i64',
  IntStorage: 'i32', ShortStorage: 'i16', CharStorage: 'i8', ByteStorage: 'u8', BoolStorage: 'bool', UntypedStorage: 'u8',
};

function intList(v: unknown, ctx: PickleContext, what: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
  if (!items) fail(ctx.op, ctx.file, `${what} is not a tuple`);
  return items.map((x) => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) fail(ctx.op, ctx.file, `${what} holds ${String(x)}, not an integer >= 0`);
    return x;
  });
}

/** _rebuild_tensor(storage, storage_offset, size, stride, ...): validated, never read here. */
function rebuildTensor(args: unknown[], ctx: PickleContext): TorchTensor {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof StorageRef)) fail(ctx.op, ctx.file, 'tensor rebuild without a storage (persistent id) as first argument');
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) fail(ctx.op, ctx.file, `bad storage offset ${String(offset)}`);
  const shape = intList(size, ctx, 'tensor size');
  const strides = intList(stride, ctx, 'tensor stride');
  if (strides.length !== shape.length) fail(ctx.op, ctx.file, `size [${shape.join(', ')}] and stride [${strides.join(', ')}] differ in rank`);
  const numel = shapeNumel(shape, ctx.op, ctx.file, 'tensor');
  if (numel > 0) {
    let last = offset;
    for (let d = 0; d < shape.length; d++) last += (shape[d] - 1) * strides[d];
    if (last >= storage.numel) {
      fail(ctx.op, ctx.file, `tensor [${shape.join(', ')}] with stride [${strides.join(', ')}] at offset ${offset} reaches element ${last} but storage ${q(storage.key)} holds ${storage.numel}`);
    }
  }
  return new TorchTensor(storage, offset, shape, strides);
}

const TORCH_DTYPE: Record<string, DType> = {
  float32: 'f32', float: 'f32', float16: 'f16', half: 'f16', bfloat16: 'bf16', float64: 'f64', double: 'f64', int64: 'i64',
  long: 'i64', int32: 'i32', int: 'i32', int16: 'i16', short: 'i16', int8: 'i8', uint8: 'u8', bool: 'bool',
};

/**
 * _rebuild_tensor_v3(storage, offset, size, stride, requires_grad, hooks, dtype, ...): an untyped
 * (byte) storage viewed as `dtype` (torch >= 2.1 for dtypes without a typed storage class).
 */
function rebuildTensorV3(args: unknown[], ctx: PickleContext): TorchTensor {
  const [storage, , , , , , dtype] = args;
  const dt = dtype instanceof PyGlobal && dtype.module === 'torch' ? TORCH_DTYPE[dtype.name] : undefined;
  if (!dt) fail(ctx.op, ctx.file, `_rebuild_tensor_v3 with unsupported dtype ${dtype instanceof PyGlobal ? dtype.full : String(dtype)}`);
  if (!(storage instanceof StorageRef) || storage.dtype !== 'u8') fail(ctx.op, ctx.file, '_rebuild_tensor_v3 without an untyped storage');
  const typed = new StorageRef(storage.key, dt, Math.floor(storage.numel / DTYPE_SIZE[dt]), storage.location, storage.viewOffset);
  return rebuildTensor([typed, ...args.slice(1, 4)], ctx);
}

/** _rebuild_parameter(data, requires_grad, hooks[, state]) and _rebuild_from_type_v2(func, type, args, state). */
function rebuildParameter(args: unknown[], ctx: PickleContext): TorchTensor {
  if (!(args[0] instanceof TorchTensor)) fail(ctx.op, ctx.file, 'parameter rebuild without a tensor');
  return args[0];
}

function rebuildFromType(globals: Map<string, GlobalDef>) {
  return (args: unknown[], ctx: PickleContext): unknown => {
    const [fn, , inner] = args;
    const def = fn instanceof PyGlobal ? globals.get(fn.full) : undefined;
    if (!def || def.kind !== 'call' || !(inner instanceof PyTuple)) fail(ctx.op, ctx.file, '_rebuild_from_type_v2 with a bad function or arguments');
    return def.call(inner.items, ctx);
  };
}

/** The allow-list for torch pickles: the base list plus torch's rebuild functions and storage classes. */
export function torchGlobals(extraInert: readonly string[] = []): Map<string, GlobalDef> {
  const g = baseGlobals(extraInert);
  g.set('torch._utils._rebuild_tensor', { kind: 'call', call: rebuildTensor });
  g.set('torch._utils._rebuild_tensor_v2', { kind: 'call', call: rebuildTensor });
  g.set('torch._utils._rebuild_tensor_v3', { kind: 'call', call: rebuildTensorV3 });
  g.set('torch._utils._rebuild_parameter', { kind: 'call', call: rebuildParameter });
  g.set('torch._utils._rebuild_parameter_with_state', { kind: 'call', call: rebuildParameter });
  g.set('torch._tensor._rebuild_from_type_v2', { kind: 'call', call: rebuildFromType(g) });
  for (const m of ['torch.Tensor', 'torch.nn.parameter.Parameter']) g.set(m, { kind: 'marker' });
  for (const s of Object.keys(STORAGE_DTYPES)) {
    g.set(`torch.${s}`, { kind: 'marker' });
    g.set(`torch.cuda.${s}`, { kind: 'marker' });
  }
  g.set('torch.storage.UntypedStorage', { kind: 'marker' });
  return g;
}

/** Maps a persistent id's storage class to a dtype, or refuses it. */
export function storageDtype(cls: unknown, op: string, file: string): DType {
  const name = cls instanceof PyGlobal ? cls.name : '';
  const dt = STORAGE_DTYPES[name];
  if (!dt) fail(op, file, `persistent id names storage class ${cls instanceof PyGlobal ? cls.full : String(cls)}, which is not supported`);
  return dt;
}

/** Reads bytes [byteOffset, byteOffset+length) of a storage (relative to its root). */
export type StorageBytes = (s: StorageRef, byteOffset: number, length: number) => Promise<Uint8Array>;

function isContiguous(shape: number[], stride: number[]): boolean {
  let expect = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expect) return false;
    expect *= shape[d];
  }
  return true;
}

/** A lazy entry for a tensor view; non-contiguous views are gathered into C order on read. */
export function tensorEntry(name: string, t: TorchTensor, readStorage: StorageBytes): TensorEntry {
  const es = DTYPE_SIZE[t.storage.dtype];
  const numel = t.shape.reduce((a, b) => a * b, 1);
  const contiguous = isContiguous(t.shape, t.stride);
  const readRaw = async (): Promise<Uint8Array> => {
    if (numel === 0) return new Uint8Array(0);
    const first = t.storage.viewOffset + t.offset;
    if (contiguous) return readStorage(t.storage, first * es, numel * es);
    let span = 1;
    for (let d = 0; d < t.shape.length; d++) span += (t.shape[d] - 1) * t.stride[d];
    const src = await readStorage(t.storage, first * es, span * es);
    return gatherStrided(src, es, t.shape, t.stride, 0);
  };
  const view = contiguous ? '' : ` stride [${t.stride.join(', ')}] (materialised contiguous)`;
  return {
    name, dtype: t.storage.dtype, shape: t.shape.slice(), byteLength: numel * es,
    readRaw,
    read: async () => decodeToF32(await readRaw(), t.storage.dtype, numel),
    storage: `storage ${t.storage.key} (${t.storage.location}) +${t.storage.viewOffset + t.offset}${view}`,
  };
}

const MAX_DEPTH = 100;
const MAX_NOTES = 500;

/** Short printable form of a non-tensor value for notes. */
export function repr(v: unknown, depth = 0): string {
  if (depth > 3) return '...';
  if (v === null) return 'None';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (v instanceof PyGlobal) return v.full;
  if (v instanceof PyObject) return `<${v.cls}>`;
  const items = Array.isArray(v) ? v : v instanceof PyTuple ? v.items : null;
  if (items) {
    const inner = items.slice(0, 6).map((x) => repr(x, depth + 1)).join(', ') + (items.length > 6 ? ', ...' : '');
    return Array.isArray(v) ? `[${inner}]` : `(${inner})`;
  }
  if (v instanceof PyDict) return `{${v.entries.length} items}`;
  return `<${typeof v}>`;
}

function hasTensor(v: unknown, depth: number): boolean {
  if (v instanceof TorchTensor) return true;
  if (depth > 8) return false;
  const items = Array.isArray(v) ? v : v instanceof PyTuple ? v.items : v instanceof PyDict ? v.entries.map((e) => e[1]) : null;
  return !!items && items.some((x) => hasTensor(x, depth + 1));
}

/**
 * Flattens nested dicts / lists / tuples / inert objects into dotted names:
 * {'model': {'generator': {'x.weight': T}}} -> 'model.generator.x.weight'. Non-tensor leaves
 * become notes ("epoch = 12"). Depth and total node count are bounded (cycles included).
 */
export function flattenTensors(root: unknown, op: string, file: string): { tensors: Map<string, TorchTensor>; notes: string[] } {
  const tensors = new Map<string, TorchTensor>();
  const notes: string[] = [];
  let visited = 0, dropped = 0;
  const note = (s: string): void => { if (notes.length < MAX_NOTES) notes.push(s); else dropped++; };
  const walk = (v: unknown, prefix: string, depth: number): void => {
    if (++visited > 2_000_000) fail(op, file, 'object graph has more than 2,000,000 nodes');
    if (depth > MAX_DEPTH) fail(op, file, `object nests deeper than ${MAX_DEPTH} levels at ${q(prefix)} (cyclic or hostile pickle)`);
    const join = (k: unknown): string => (prefix ? `${prefix}.${keyName(k)}` : keyName(k));
    if (v instanceof TorchTensor) {
      const name = prefix || 'tensor';
      if (tensors.has(name)) fail(op, file, `two tensors flatten to the same name ${q(name)}`);
      tensors.set(name, v);
    } else if (v instanceof PyDict) {
      for (const [k, x] of v.entries) walk(x, join(k), depth + 1);
    } else if ((Array.isArray(v) || v instanceof PyTuple) && hasTensor(v, 0)) {
      (Array.isArray(v) ? v : v.items).forEach((x, i) => walk(x, join(i), depth + 1));
    } else if (v instanceof PyObject && v.state instanceof PyDict) {
      walk(v.state, prefix, depth + 1);
    } else {
      note(`${prefix || '(root)'} = ${repr(v)}`);
    }
  };
  walk(root, '', 0);
  if (dropped) notes.push(`... and ${dropped} more non-tensor entries`);
  return { tensors, notes };
}

function keyName(k: unknown): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean') return String(k);
  if (k instanceof PyTuple) return k.items.map(keyName).join(',');
  return repr(k);
}
