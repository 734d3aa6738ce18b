/**
 * The fixed allow-list of Python globals that real checkpoints use outside the tensors
 * themselves, each with a TypeScript emulation that only builds a value. Torch's tensor
 * rebuild functions and storage classes are added by torch.ts.
 */
import type { GlobalDef, PickleContext } from './pickle.js';
import { PyDict, PyObject, PyTuple } from './pickle_values.js';
import { fail } from './types.js';

const call = (fn: (args: unknown[], ctx: PickleContext) => unknown): GlobalDef => ({ kind: 'call', call: fn });
const MARKER: GlobalDef = { kind: 'marker' };

/** Dict-like classes: OrderedDict(), defaultdict(factory), Lightning's AttributeDict(). */
function dictLike(cls: string): GlobalDef {
  return call((args, ctx) => {
    const d = new PyDict(cls);
    const init = cls === 'defaultdict' ? undefined : args[0];
    if (Array.isArray(init)) {
      for (const pair of init) {
        const items = pair instanceof PyTuple ? pair.items : Array.isArray(pair) ? pair : null;
        if (!items || items.length !== 2) fail(ctx.op, ctx.file, `pickle: ${cls} initialiser item is not a pair`);
        d.set(items[0], items[1]);
      }
    } else if (init instanceof PyDict) {
      for (const [k, v] of init.entries) d.set(k, v);
    }
    return d;
  });
}

/** Data-only classes kept as inert objects (args and BUILD state), never instantiated. */
function inert(cls: string): GlobalDef {
  return call((args) => new PyObject(cls, args));
}

/** _codecs.encode(str, 'latin1'): how protocol-2 pickles from Python 3 carry bytes. */
const codecsEncode = call((args, ctx) => {
  const [s, enc] = args;
  if (typeof s !== 'string') fail(ctx.op, ctx.file, 'pickle: _codecs.encode of a non-string');
  if (enc === undefined || enc === 'latin1' || enc === 'latin-1') {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 255) fail(ctx.op, ctx.file, 'pickle: _codecs.encode latin1 of a character above 255');
      out[i] = c;
    }
    return out;
  }
  if (enc === 'utf-8' || enc === 'utf8') return new TextEncoder().encode(s);
  return fail(ctx.op, ctx.file, `pickle: _codecs.encode with encoding ${JSON.stringify(enc)} is not supported`);
});

const TORCH_DTYPES = ['float32', 'float', 'float16', 'half', 'bfloat16', 'float64', 'double', 'int64', 'long', 'int32', 'int',
  'int16', 'short', 'int8', 'uint8', 'bool', 'complex64', 'complex128'];

const INERT = ['argparse.Namespace', 'numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct',
  'numpy.dtype', 'numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar', 'pathlib.PosixPath', 'pathlib.WindowsPath',
  'pathlib.PurePosixPath', 'datetime.datetime', 'datetime.timedelta'];

const DICTS: Record<string, string> = {
  'collections.OrderedDict': 'OrderedDict',
  'collections.defaultdict': 'defaultdict',
  'pytorch_lightning.utilities.parsing.AttributeDict': 'AttributeDict',
  'lightning_fabric.utilities.data.AttributeDict': 'AttributeDict',
  'lightning.fabric.utilities.data.AttributeDict': 'AttributeDict',
};

/**
 * The allow-list shared by every pickle this library reads. `extraInert` lets a caller accept
 * more data-only classes (e.g. a training repo's config class) as inert objects; they are
 * never called either.
 */
export function baseGlobals(extraInert: readonly string[] = []): Map<string, GlobalDef> {
  const g = new Map<string, GlobalDef>();
  for (const [name, cls] of Object.entries(DICTS)) g.set(name, dictLike(cls));
  g.set('_codecs.encode', codecsEncode);
  g.set('builtins.set', call((args) => new PyObject('builtins.set', [Array.isArray(args[0]) ? args[0] : []])));
  g.set('builtins.frozenset', call((args) => new PyObject('builtins.frozenset', [Array.isArray(args[0]) ? args[0] : []])));
  g.set('builtins.bytearray', call((args) => (args[0] instanceof Uint8Array ? args[0] : new Uint8Array(0))));
  for (const b of ['list', 'dict', 'int', 'float', 'str', 'tuple', 'object']) g.set(`builtins.${b}`, MARKER);
  g.set('numpy.ndarray', MARKER);
  for (const name of [...INERT, ...extraInert]) g.set(name, inert(name));
  g.set('torch.device', call((args) => (args.length > 1 && args[1] !== null ? `${String(args[0])}:${String(args[1])}` : String(args[0]))));
  g.set('torch.Size', call((args) => new PyTuple(Array.isArray(args[0]) ? args[0] : args[0] instanceof PyTuple ? args[0].items : [])));
  for (const d of TORCH_DTYPES) g.set(`torch.${d}`, MARKER);
  return g;
}
