/**
 * The GraphDef of a TF.js graph-model, decoded from its JSON (proto3 JSON mapping) into plain
 * nodes: int64 strings -> numbers, base64 `s` attributes -> strings, shapes -> number[].
 */
import { fail } from './types.js';

const OP = 'tfjs';

export type AttrValue =
  | string | number | boolean | null
  | number[] | string[] | boolean[] | Array<number[] | null>
  | { dtype: string; shape: number[] | null }
  | { func: string };

export interface GraphNode {
  name: string;
  op: string;
  /** Input tensor names ('node', 'node:1', '^control'). */
  inputs: string[];
  attr: Record<string, AttrValue>;
  device?: string;
}

export interface TfjsGraph {
  nodes: GraphNode[];
  /** The GraphDef's function library (control flow), as in the JSON. */
  library?: unknown;
  versions?: unknown;
}

function b64(s: unknown): string {
  if (typeof s !== 'string') return '';
  let bin: string;
  try { bin = atob(s); } catch { return s; }
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  try { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { return bin; }
}

function int(v: unknown): number { const n = Number(v); return Number.isFinite(n) ? n : NaN; }

function shapeOf(v: unknown): number[] | null {
  const s = (v ?? {}) as { dim?: Array<{ size?: unknown }>; unknownRank?: boolean };
  if (s.unknownRank) return null;
  return Array.isArray(s.dim) ? s.dim.map((d) => (d && d.size !== undefined ? int(d.size) : 0)) : [];
}

function listOf(l: Record<string, unknown>): AttrValue {
  if (Array.isArray(l.i)) return l.i.map(int);
  if (Array.isArray(l.f)) return l.f.map(Number);
  if (Array.isArray(l.s)) return l.s.map(b64);
  if (Array.isArray(l.b)) return l.b.map(Boolean);
  if (Array.isArray(l.type)) return l.type.map(String);
  if (Array.isArray(l.shape)) return l.shape.map(shapeOf);
  return [];
}

/** Decodes one AttrValue of the proto3 JSON mapping. */
export function decodeAttr(a: unknown): AttrValue {
  if (typeof a !== 'object' || a === null) return null;
  const v = a as Record<string, unknown>;
  if ('type' in v) return String(v.type);
  if ('i' in v) return int(v.i);
  if ('f' in v) return Number(v.f);
  if ('b' in v) return Boolean(v.b);
  if ('s' in v) return b64(v.s);
  if ('shape' in v) return shapeOf(v.shape);
  if ('list' in v) return listOf((v.list ?? {}) as Record<string, unknown>);
  if ('tensor' in v) {
    const t = (v.tensor ?? {}) as Record<string, unknown>;
    return { dtype: String(t.dtype ?? ''), shape: shapeOf(t.tensorShape) };
  }
  if ('func' in v) return { func: String((v.func as Record<string, unknown> | null)?.name ?? '') };
  return null;
}

/** Decodes modelTopology {node: [...], library, versions} of a graph-model. */
export function decodeGraph(topo: unknown, file: string): TfjsGraph {
  const t = (topo ?? {}) as Record<string, unknown>;
  if (!Array.isArray(t.node)) fail(OP, file, 'graph-model modelTopology has no node list');
  if (t.node.length > 1_000_000) fail(OP, file, `graph has ${t.node.length} nodes, more than this reader accepts`);
  const nodes = t.node.map((n: unknown, i: number): GraphNode => {
    const r = (n ?? {}) as Record<string, unknown>;
    if (typeof r.name !== 'string' || typeof r.op !== 'string') fail(OP, file, `graph node ${i} lacks a string name or op`);
    const inputs = r.input === undefined ? [] : r.input;
    if (!Array.isArray(inputs) || !inputs.every((s) => typeof s === 'string')) fail(OP, file, `graph node ${JSON.stringify(r.name)} has bad inputs`);
    const attr: Record<string, AttrValue> = {};
    if (r.attr && typeof r.attr === 'object') for (const [k, a] of Object.entries(r.attr)) attr[k] = decodeAttr(a);
    const node: GraphNode = { name: r.name, op: r.op, inputs: inputs as string[], attr };
    if (typeof r.device === 'string') node.device = r.device;
    return node;
  });
  return { nodes, library: t.library, versions: t.versions };
}
