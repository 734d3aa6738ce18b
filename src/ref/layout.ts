/**
 * CPU references for data movement, written with explicit multi-indices (no GPU imports):
 * permute, slice, concat, pad (torch F.pad modes) and index_select.
 */
export interface RefTensor<T extends Float32Array | Int32Array = Float32Array> { data: T; shape: number[] }

const prod = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);

/** Row-major multi-index of flat index i. */
function unravel(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) { c[d] = i % shape[d]; i = Math.floor(i / shape[d]); }
  return c;
}

function ravel(c: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + c[d];
  return i;
}

/** y[c] = x[source(c)] over every output multi-index c; source returns null for "fill". */
function mapIndex<T extends Float32Array | Int32Array>(x: T, xShape: readonly number[], outShape: number[], source: (c: number[]) => number[] | null, fill = 0): RefTensor<T> {
  const data = new (x.constructor as { new(n: number): T })(prod(outShape));
  for (let i = 0; i < data.length; i++) {
    const src = source(unravel(i, outShape));
    data[i] = src === null ? fill : x[ravel(src, xShape)];
  }
  return { data, shape: outShape };
}

/** torch.permute: y[c] = x[c'] with c'[dims[i]] = c[i]. */
export function permuteRef<T extends Float32Array | Int32Array>(x: T, shape: number[], dims: number[]): RefTensor<T> {
  const out = dims.map((d) => shape[d]);
  return mapIndex(x, shape, out, (c) => {
    const s = new Array<number>(shape.length);
    dims.forEach((d, i) => { s[d] = c[i]; });
    return s;
  });
}

/** Python's slice.indices(len) for a positive step: the selected positions. */
export function sliceIndices(len: number, start: number | undefined, stop: number | undefined, step = 1): number[] {
  const clampIdx = (v: number) => (v < 0 ? Math.max(v + len, 0) : Math.min(v, len));
  const a = start === undefined ? 0 : clampIdx(start), b = stop === undefined ? len : clampIdx(stop);
  const out: number[] = [];
  for (let k = a; k < b; k += step) out.push(k);
  return out;
}

export function sliceRef<T extends Float32Array | Int32Array>(x: T, shape: number[], specs: ({ start?: number; stop?: number; step?: number } | null | undefined)[]): RefTensor<T> {
  const picks = shape.map((len, d) => sliceIndices(len, specs[d]?.start, specs[d]?.stop, specs[d]?.step ?? 1));
  return mapIndex(x, shape, picks.map((p) => p.length), (c) => c.map((v, d) => picks[d][v]));
}

export function concatRef(xs: { data: Float32Array; shape: number[] }[], axis: number): RefTensor {
  const ax = axis < 0 ? axis + xs[0].shape.length : axis;
  const out = xs[0].shape.slice();
  out[ax] = xs.reduce((s, t) => s + t.shape[ax], 0);
  const data = new Float32Array(prod(out));
  for (let i = 0; i < data.length; i++) {
    const c = unravel(i, out);
    let k = 0, a = c[ax];
    while (a >= xs[k].shape[ax]) { a -= xs[k].shape[ax]; k++; }
    c[ax] = a;
    data[i] = xs[k].data[ravel(c, xs[k].shape)];
  }
  return { data, shape: out };
}

/** Source position of padded coordinate p (may be outside [0, len)) under a torch F.pad mode. */
function padSource(p: number, len: number, mode: string): number | null {
  if (p >= 0 && p < len) return p;
  if (mode === 'reflect') return p < 0 ? -p : 2 * (len - 1) - p;     // mirror without repeating the edge
  if (mode === 'replicate') return p < 0 ? 0 : len - 1;
  if (mode === 'circular') return ((p % len) + len) % len;
  return null;
}

/** torch.nn.functional.pad with pads [left, right] or [left, right, top, bottom] (last axes first). */
export function padRef(x: Float32Array, shape: number[], pads: number[], mode = 'constant', value = 0): RefTensor {
  const r = shape.length;
  const before = new Array<number>(r).fill(0);
  const out = shape.slice();
  for (let k = 0; k < pads.length / 2; k++) {
    const d = r - 1 - k;
    before[d] = pads[2 * k];
    out[d] = shape[d] + pads[2 * k] + pads[2 * k + 1];
  }
  return mapIndex(x, shape, out, (c) => {
    const s: number[] = [];
    for (let d = 0; d < r; d++) {
      const v = padSource(c[d] - before[d], shape[d], mode);
      if (v === null) return null;
      s.push(v);
    }
    return s;
  }, value);
}

/** numpy.take(x, indices, axis): out shape x.shape[:axis] + idxShape + x.shape[axis+1:]. */
export function indexSelectRef(x: Float32Array, shape: number[], axis: number, indices: ArrayLike<number>, idxShape: number[] = [indices.length]): RefTensor {
  const out = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
  const k = idxShape.length;
  return mapIndex(x, shape, out, (c) => [...c.slice(0, axis), indices[ravel(c.slice(axis, axis + k), idxShape)], ...c.slice(axis + k)]);
}
