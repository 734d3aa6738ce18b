/**
 * A data-only pickle reader (protocols 0-5 opcodes as used by torch.save, protocol 2-5 files).
 * It builds plain values (numbers, strings, bytes, lists, PyTuple, PyDict, PyObject) and never
 * runs anything: GLOBAL/STACK_GLOBAL resolve only through a fixed allow-list supplied by the
 * caller, and REDUCE / NEWOBJ / BUILD / INST / OBJ apply only the TypeScript emulation of an
 * allowed entry. Any other global is refused with an error naming it.
 */
import { decodeUtf8 } from './bytes.js';
import { fail } from './types.js';
import { OPS } from './pickle_ops.js';
import { PyGlobal, describe } from './pickle_values.js';

export { PyTuple, PyDict, PyGlobal, PyObject, describe } from './pickle_values.js';

/** What an allowed global may do: be a marker value, or be "called" by a TS emulation. */
export type GlobalDef =
  | { kind: 'marker' }
  | { kind: 'call'; call: (args: unknown[], ctx: PickleContext) => unknown };

export interface PickleContext { op: string; file: string }

export interface PickleOptions {
  /** Fully qualified name ('collections.OrderedDict') -> definition. Nothing else resolves. */
  globals: ReadonlyMap<string, GlobalDef>;
  /** Handles BINPERSID / PERSID; without it a persistent id is an error. */
  persistentLoad?: (pid: unknown) => unknown;
  /** Error op and file name for messages. */
  op: string;
  file: string;
  /** Largest MARK nesting (deeply nested pickles are refused, never recursed into). */
  maxMarkDepth?: number;
  /** Largest memo and stack sizes. */
  maxMemo?: number;
  maxStack?: number;
}

/** Python 2 module names that protocol 0-2 pickles use, as Python 3 maps them (fix_imports). */
const PY2_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg', commands: 'subprocess', exceptions: 'builtins' };

/** Thrown (internally) when an incomplete prefix of a file ran out; the caller reads more. */
export class NeedMoreData extends Error {}

/** Opcode handler state; handlers live in pickle_ops.ts. */
export class PickleVM {
  pos: number;
  stack: unknown[] = [];
  marks: number[] = [];
  memo = new Map<number, unknown>();
  done = false;
  readonly dv: DataView;
  constructor(readonly bytes: Uint8Array, start: number, readonly complete: boolean, readonly opts: PickleOptions) {
    this.pos = start;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(message: string): never { return fail(this.opts.op, this.opts.file, `pickle: ${message}`); }
  need(n: number, what: string): void {
    if (this.pos + n <= this.bytes.length) return;
    if (!this.complete) throw new NeedMoreData();
    this.fail(`truncated: ${what} needs ${n} bytes at offset ${this.pos} but the data ends at ${this.bytes.length}`);
  }
  u8(): number { this.need(1, 'opcode argument'); return this.bytes[this.pos++]; }
  take(n: number, what: string): Uint8Array {
    if (n < 0 || !Number.isSafeInteger(n)) this.fail(`bad length ${n} for ${what}`);
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  uint(n: 1 | 2 | 4 | 8, what: string): number {
    this.need(n, what);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + this.bytes[this.pos + i];
    this.pos += n;
    if (!Number.isSafeInteger(v)) this.fail(`${what} ${v} is beyond 2^53`);
    return v;
  }
  /** A '\n'-terminated text argument (protocol 0 opcodes, GLOBAL). */
  line(what: string, max = 4096): string {
    const window = this.bytes.subarray(this.pos, this.pos + max + 1); // bounded scan, never the whole file
    const nl = window.indexOf(0x0a);
    if (nl < 0) {
      if (!this.complete && this.pos + max + 1 > this.bytes.length) throw new NeedMoreData();
      this.fail(`${what} is not a newline-terminated line of at most ${max} bytes`);
    }
    const end = this.pos + nl;
    const s = decodeUtf8(this.bytes.subarray(this.pos, end), this.opts.op, this.opts.file, what);
    this.pos = end + 1;
    return s;
  }
  utf8(bytes: Uint8Array, what: string): string { return decodeUtf8(bytes, this.opts.op, this.opts.file, what); }
  push(v: unknown): void {
    if (this.stack.length >= (this.opts.maxStack ?? 1_000_000)) this.fail(`stack grows beyond ${this.opts.maxStack ?? 1_000_000} items`);
    this.stack.push(v);
  }
  pop(what = 'value'): unknown {
    const floor = this.marks.length ? this.marks[this.marks.length - 1] : 0;
    if (this.stack.length <= floor) this.fail(`stack underflow popping ${what} at offset ${this.pos}`);
    return this.stack.pop();
  }
  top(what: string): unknown {
    const floor = this.marks.length ? this.marks[this.marks.length - 1] : 0;
    if (this.stack.length <= floor) this.fail(`stack underflow reading ${what} at offset ${this.pos}`);
    return this.stack[this.stack.length - 1];
  }
  mark(): void {
    const max = this.opts.maxMarkDepth ?? 1000;
    if (this.marks.length >= max) this.fail(`nesting deeper than ${max} marks (a deeply nested or hostile pickle)`);
    this.marks.push(this.stack.length);
  }
  /** Pops everything above the last MARK, and the mark. */
  popMark(what: string): unknown[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail(`${what} without a MARK`);
    return this.stack.splice(m);
  }
  memoPut(index: number, v: unknown): void {
    if (!this.memo.has(index) && this.memo.size >= (this.opts.maxMemo ?? 1_000_000)) this.fail(`memo grows beyond ${this.opts.maxMemo ?? 1_000_000} entries`);
    this.memo.set(index, v);
  }
  memoGet(index: number): unknown {
    if (!this.memo.has(index)) this.fail(`memo entry ${index} read before it was written`);
    return this.memo.get(index);
  }
  /** Resolves module.name through the allow-list, or refuses it by name. */
  resolve(rawModule: string, name: string): PyGlobal {
    const module = PY2_MODULES[rawModule] ?? rawModule;
    const full = `${module}.${name}`;
    if (!this.opts.globals.has(full)) {
      const hint = /^(torch\.nn\.modules|__main__)/.test(module)
        ? '; the file pickles a whole Python object, save model.state_dict() instead' : '';
      this.fail(`global ${full} is not on the allow-list; it is refused and nothing is executed${hint}`);
    }
    return new PyGlobal(module, name);
  }
  /** Applies an allowed callable's emulation (REDUCE, NEWOBJ, INST, OBJ). */
  call(fn: unknown, args: unknown[], opcode: string): unknown {
    if (!(fn instanceof PyGlobal)) this.fail(`${opcode} on a ${describe(fn)}, which is not an allowed callable`);
    const def = this.opts.globals.get(fn.full)!;
    if (def.kind !== 'call') this.fail(`${opcode} on ${fn.full}, which this reader does not call`);
    return def.call(args, { op: this.opts.op, file: this.opts.file });
  }
  run(): unknown {
    while (!this.done) {
      const at = this.pos;
      const code = this.u8();
      const handler = OPS[code];
      if (!handler) this.fail(`unknown or unsupported opcode 0x${code.toString(16).padStart(2, '0')} at offset ${at}`);
      handler(this);
    }
    return this.stack.pop();
  }
}

/**
 * Runs one pickle from `start`. `complete` says whether `bytes` holds the rest of the file; when
 * it does not and the pickle runs past it, NeedMoreData is thrown so the caller can read more.
 */
export function unpickle(bytes: Uint8Array, start: number, complete: boolean, opts: PickleOptions): { value: unknown; end: number } {
  const vm = new PickleVM(bytes, start, complete, opts);
  const value = vm.run();
  return { value, end: vm.pos };
}
