/** The plain values a pickle is read into; none of them can run code. */

export class PyTuple { constructor(readonly items: unknown[]) {} }

/** An ordered dict (dict, OrderedDict, defaultdict, AttributeDict); `state` holds BUILD state. */
export class PyDict {
  readonly entries: Array<[unknown, unknown]> = [];
  private readonly index = new Map<unknown, number>();
  state?: unknown;
  constructor(readonly cls = 'dict') {}
  set(key: unknown, value: unknown): void {
    const k = key instanceof PyTuple ? JSON.stringify(key.items.map(String)) : key;
    const primitive = k === null || typeof k !== 'object';
    const at = primitive ? this.index.get(k) : undefined;
    if (at !== undefined) { this.entries[at][1] = value; return; }
    if (primitive) this.index.set(k, this.entries.length);
    this.entries.push([key, value]);
  }
  get(key: string): unknown { const i = this.index.get(key); return i === undefined ? undefined : this.entries[i][1]; }
}

/** A reference to an allowed global (a marker like torch.FloatStorage, or a callable). */
export class PyGlobal { constructor(readonly module: string, readonly name: string) {} get full(): string { return `${this.module}.${this.name}`; } }

/** An inert instance of an allowed data class (argparse.Namespace, numpy scalar ...): args and state only. */
export class PyObject { state?: unknown; constructor(readonly cls: string, readonly args: unknown[]) {} }

/** Short type description for messages. */
export function describe(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return v.cls;
  if (v instanceof PyGlobal) return v.full;
  if (v instanceof PyObject) return `${v.cls} object`;
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v;
}

