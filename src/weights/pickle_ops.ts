/**
 * Opcode handlers of the data-only pickle VM (see pickle.ts). Only opcodes that build values
 * are here; EXT1/2/4 (extension registry) and out-of-band buffers are refused by omission.
 */
import type { PickleVM } from './pickle.js';
import { PyDict, PyObject, PyTuple, describe } from './pickle_values.js';

type Handler = (vm: PickleVM) => void;
export const OPS: Array<Handler | undefined> = new Array(256);
const op = (ch: string | number, h: Handler): void => { OPS[typeof ch === 'string' ? ch.charCodeAt(0) : ch] = h; };

/** Longest LONG1/LONG4 integer accepted (bytes); bigger ones are a denial-of-service vector. */
const MAX_LONG_BYTES = 64;

function decodeLong(vm: PickleVM, b: Uint8Array): number | bigint {
  if (b.length > MAX_LONG_BYTES) vm.fail(`integer of ${b.length} bytes is larger than this reader accepts`);
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function parseIntText(vm: PickleVM, s: string, what: string): number | bigint | boolean {
  if (what === 'INT' && s === '01') return true;
  if (what === 'INT' && s === '00') return false;
  const t = s.endsWith('L') ? s.slice(0, -1) : s;
  if (!/^[-+]?\d{1,64}$/.test(t)) vm.fail(`${what} argument ${JSON.stringify(s.slice(0, 40))} is not an integer`);
  const v = BigInt(t);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Python 2 str payloads: UTF-8 when valid (torch.load's default), else latin-1. */
function py2str(b: Uint8Array): string {
  try { return new TextDecoder('utf-8', { fatal: true }).decode(b); } catch { return Array.from(b, (c) => String.fromCharCode(c)).join(''); }
}

/** The quoted repr argument of protocol 0 STRING ('abc' or "abc"), simple escapes only. */
function unquote(vm: PickleVM, s: string): string {
  if (s.length < 2 || (s[0] !== "'" && s[0] !== '"') || s[s.length - 1] !== s[0]) vm.fail('STRING argument is not quoted');
  return s.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[e] ?? e;
  });
}

// --- structure -----------------------------------------------------------------------------
op(0x80, (vm: PickleVM) => { const v = vm.u8(); if (v > 5) vm.fail(`unsupported pickle protocol ${v}`); }); // PROTO
op(0x95, (vm: PickleVM) => { vm.uint(8, 'FRAME length'); }); // FRAME: advisory framing, contents follow inline
op('.', (vm: PickleVM) => { vm.done = true; if (vm.stack.length === 0) vm.fail('STOP with an empty stack'); }); // STOP
op('(', (vm: PickleVM) => vm.mark());
op('0', (vm: PickleVM) => { vm.pop('POP'); });
op('1', (vm: PickleVM) => { vm.popMark('POP_MARK'); });
op('2', (vm: PickleVM) => vm.push(vm.top('DUP')));

// --- constants and numbers -----------------------------------------------------------------
op('N', (vm: PickleVM) => vm.push(null));
op(0x88, (vm: PickleVM) => vm.push(true));
op(0x89, (vm: PickleVM) => vm.push(false));
op('J', (vm: PickleVM) => { vm.need(4, 'BININT'); vm.push(vm.dv.getInt32(vm.pos, true)); vm.pos += 4; });
op('K', (vm: PickleVM) => vm.push(vm.uint(1, 'BININT1')));
op('M', (vm: PickleVM) => vm.push(vm.uint(2, 'BININT2')));
op(0x8a, (vm: PickleVM) => vm.push(decodeLong(vm, vm.take(vm.uint(1, 'LONG1 length'), 'LONG1'))));
op(0x8b, (vm: PickleVM) => { vm.need(4, 'LONG4 length'); const n = vm.dv.getInt32(vm.pos, true); vm.pos += 4; vm.push(decodeLong(vm, vm.take(n, 'LONG4'))); });
op('I', (vm: PickleVM) => vm.push(parseIntText(vm, vm.line('INT', 80), 'INT')));
op('L', (vm: PickleVM) => vm.push(parseIntText(vm, vm.line('LONG', 80), 'LONG')));
op('G', (vm: PickleVM) => { vm.need(8, 'BINFLOAT'); vm.push(vm.dv.getFloat64(vm.pos, false)); vm.pos += 8; });
op('F', (vm: PickleVM) => { const s = vm.line('FLOAT', 80); const v = Number(s); if (Number.isNaN(v) && !/nan/i.test(s)) vm.fail('bad FLOAT'); vm.push(v); });

// --- strings and bytes ---------------------------------------------------------------------
op('X', (vm: PickleVM) => vm.push(vm.utf8(vm.take(vm.uint(4, 'BINUNICODE length'), 'BINUNICODE'), 'BINUNICODE')));
op(0x8c, (vm: PickleVM) => vm.push(vm.utf8(vm.take(vm.uint(1, 'SHORT_BINUNICODE length'), 'SHORT_BINUNICODE'), 'SHORT_BINUNICODE')));
op(0x8d, (vm: PickleVM) => vm.push(vm.utf8(vm.take(vm.uint(8, 'BINUNICODE8 length'), 'BINUNICODE8'), 'BINUNICODE8')));
op('V', (vm: PickleVM) => vm.push(vm.line('UNICODE', 1 << 20)));
op('T', (vm: PickleVM) => { vm.need(4, 'BINSTRING length'); const n = vm.dv.getInt32(vm.pos, true); vm.pos += 4; vm.push(py2str(vm.take(n, 'BINSTRING'))); });
op('U', (vm: PickleVM) => vm.push(py2str(vm.take(vm.uint(1, 'SHORT_BINSTRING length'), 'SHORT_BINSTRING'))));
op('S', (vm: PickleVM) => vm.push(unquote(vm, vm.line('STRING', 1 << 20))));
op('B', (vm: PickleVM) => vm.push(vm.take(vm.uint(4, 'BINBYTES length'), 'BINBYTES').slice()));
op('C', (vm: PickleVM) => vm.push(vm.take(vm.uint(1, 'SHORT_BINBYTES length'), 'SHORT_BINBYTES').slice()));
op(0x8e, (vm: PickleVM) => vm.push(vm.take(vm.uint(8, 'BINBYTES8 length'), 'BINBYTES8').slice()));
op(0x96, (vm: PickleVM) => vm.push(vm.take(vm.uint(8, 'BYTEARRAY8 length'), 'BYTEARRAY8').slice()));

// --- containers ----------------------------------------------------------------------------
op(']', (vm: PickleVM) => vm.push([]));
op('}', (vm: PickleVM) => vm.push(new PyDict()));
op(')', (vm: PickleVM) => vm.push(new PyTuple([])));
op(0x8f, (vm: PickleVM) => vm.push(new PyObject('builtins.set', [[]])));
op('l', (vm: PickleVM) => vm.push(vm.popMark('LIST')));
op('t', (vm: PickleVM) => vm.push(new PyTuple(vm.popMark('TUPLE'))));
op(0x85, (vm: PickleVM) => { const a = vm.pop('TUPLE1'); vm.push(new PyTuple([a])); });
op(0x86, (vm: PickleVM) => { const b = vm.pop('TUPLE2'); const a = vm.pop('TUPLE2'); vm.push(new PyTuple([a, b])); });
op(0x87, (vm: PickleVM) => { const c = vm.pop('TUPLE3'); const b = vm.pop('TUPLE3'); const a = vm.pop('TUPLE3'); vm.push(new PyTuple([a, b, c])); });
op('d', (vm: PickleVM) => { const items = vm.popMark('DICT'); vm.push(fillDict(vm, new PyDict(), items)); });
op(0x91, (vm: PickleVM) => vm.push(new PyObject('builtins.frozenset', [vm.popMark('FROZENSET')])));
op('a', (vm: PickleVM) => { const v = vm.pop('APPEND'); listOf(vm, vm.top('APPEND target'), 'APPEND').push(v); });
op('e', (vm: PickleVM) => { const items = vm.popMark('APPENDS'); const l = listOf(vm, vm.top('APPENDS target'), 'APPENDS'); for (const v of items) l.push(v); });
op('s', (vm: PickleVM) => { const v = vm.pop('SETITEM'); const k = vm.pop('SETITEM'); dictOf(vm, vm.top('SETITEM target'), 'SETITEM').set(k, v); });
op('u', (vm: PickleVM) => { const items = vm.popMark('SETITEMS'); fillDict(vm, dictOf(vm, vm.top('SETITEMS target'), 'SETITEMS'), items); });
op(0x90, (vm: PickleVM) => {
  const items = vm.popMark('ADDITEMS');
  const s = vm.top('ADDITEMS target');
  if (!(s instanceof PyObject) || s.cls !== 'builtins.set') vm.fail(`ADDITEMS on a ${describe(s)}`);
  (s.args[0] as unknown[]).push(...items);
});

function listOf(vm: PickleVM, v: unknown, opName: string): unknown[] {
  if (!Array.isArray(v)) vm.fail(`${opName} on a ${describe(v)}, not a list`);
  return v;
}
function dictOf(vm: PickleVM, v: unknown, opName: string): PyDict {
  if (!(v instanceof PyDict)) vm.fail(`${opName} on a ${describe(v)}, not a dict`);
  return v;
}
function fillDict(vm: PickleVM, d: PyDict, items: unknown[]): PyDict {
  if (items.length % 2) vm.fail('odd number of items for a dict');
  for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
  return d;
}

// --- memo ----------------------------------------------------------------------------------
op('q', (vm: PickleVM) => vm.memoPut(vm.uint(1, 'BINPUT'), vm.top('BINPUT')));
op('r', (vm: PickleVM) => vm.memoPut(vm.uint(4, 'LONG_BINPUT'), vm.top('LONG_BINPUT')));
op('p', (vm: PickleVM) => vm.memoPut(Number(parseIntText(vm, vm.line('PUT', 40), 'PUT')), vm.top('PUT')));
op(0x94, (vm: PickleVM) => vm.memoPut(vm.memo.size, vm.top('MEMOIZE')));
op('h', (vm: PickleVM) => vm.push(vm.memoGet(vm.uint(1, 'BINGET'))));
op('j', (vm: PickleVM) => vm.push(vm.memoGet(vm.uint(4, 'LONG_BINGET'))));
op('g', (vm: PickleVM) => vm.push(vm.memoGet(Number(parseIntText(vm, vm.line('GET', 40), 'GET')))));

// --- globals and object construction (allow-list only) -------------------------------------
op('c', (vm: PickleVM) => { const m = vm.line('GLOBAL module', 256); const n = vm.line('GLOBAL name', 256); vm.push(vm.resolve(m, n)); });
op(0x93, (vm: PickleVM) => {
  const n = vm.pop('STACK_GLOBAL name'); const m = vm.pop('STACK_GLOBAL module');
  if (typeof m !== 'string' || typeof n !== 'string') vm.fail('STACK_GLOBAL operands are not strings');
  vm.push(vm.resolve(m, n));
});
op('R', (vm: PickleVM) => {
  const args = vm.pop('REDUCE args'); const fn = vm.pop('REDUCE callable');
  if (!(args instanceof PyTuple)) vm.fail(`REDUCE arguments are a ${describe(args)}, not a tuple`);
  vm.push(vm.call(fn, args.items, 'REDUCE'));
});
op(0x81, (vm: PickleVM) => {
  const args = vm.pop('NEWOBJ args'); const cls = vm.pop('NEWOBJ class');
  if (!(args instanceof PyTuple)) vm.fail(`NEWOBJ arguments are a ${describe(args)}, not a tuple`);
  vm.push(vm.call(cls, args.items, 'NEWOBJ'));
});
op(0x92, (vm: PickleVM) => {
  const kw = vm.pop('NEWOBJ_EX kwargs'); const args = vm.pop('NEWOBJ_EX args'); const cls = vm.pop('NEWOBJ_EX class');
  if (!(args instanceof PyTuple) || !(kw instanceof PyDict)) vm.fail('NEWOBJ_EX operands are not (tuple, dict)');
  if (kw.entries.length) vm.fail(`NEWOBJ_EX with keyword arguments on ${describe(cls)} is not supported`);
  vm.push(vm.call(cls, args.items, 'NEWOBJ_EX'));
});
op('i', (vm: PickleVM) => {
  const m = vm.line('INST module', 256); const n = vm.line('INST name', 256);
  const cls = vm.resolve(m, n);
  vm.push(vm.call(cls, vm.popMark('INST'), 'INST'));
});
op('o', (vm: PickleVM) => {
  const items = vm.popMark('OBJ');
  if (items.length === 0) vm.fail('OBJ without a class');
  vm.push(vm.call(items[0], items.slice(1), 'OBJ'));
});
op('b', (vm: PickleVM) => {
  const state = vm.pop('BUILD state'); const obj = vm.top('BUILD target');
  if (obj instanceof PyDict || obj instanceof PyObject) { obj.state = state; return; }
  if (obj !== null && typeof obj === 'object' && 'buildState' in obj) { (obj as { buildState: unknown }).buildState = state; return; }
  vm.fail(`BUILD on a ${describe(obj)}, which takes no state`);
});

// --- persistent ids (torch storages) -------------------------------------------------------
op('Q', (vm: PickleVM) => {
  const pid = vm.pop('BINPERSID id');
  if (!vm.opts.persistentLoad) vm.fail('persistent id in a pickle that should have none');
  vm.push(vm.opts.persistentLoad(pid));
});
op('P', (vm: PickleVM) => {
  const pid = vm.line('PERSID', 1024);
  if (!vm.opts.persistentLoad) vm.fail('persistent id in a pickle that should have none');
  vm.push(vm.opts.persistentLoad(pid));
});
