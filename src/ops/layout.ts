/**
 * Data movement (kernels/layout.wgsl): permute/transpose, slice, concat, pad, gather (index_select,
 * embedding) and clone. reshape is Tensor.reshape (no copy). Kernels move 32-bit words, so every
 * op works for f32, i32 and u32 alike.
 */
import { grid } from '../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../runtime/errors.js';
import { Tensor, numel, type DType } from '../runtime/tensor.js';

const WG = 256;
/** Elements (vec4s in copy4) one thread moves; its index arithmetic is paid once per run. */
const RUN = 8;
const MAX_RANK = 6;
const CONCAT_INPUTS = 7;

function normAxis(op: string, axis: number, rank: number, shape: readonly number[]): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new WaveGpuError(op, `axis ${axis} is out of range for shape ${fmtShape(shape)} (valid: ${-rank} to ${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

const pack8 = (v: number[]): [number[], number[]] => {
  const full = [...new Array(8 - v.length).fill(1), ...v];
  return [full.slice(0, 4), full.slice(4)];
};

/**
 * Merges output dimensions that walk the source contiguously (stride[d] = stride[d+1] * dims[d+1])
 * and drops size-1 dimensions, so the kernel's index arithmetic runs over as few axes as possible.
 */
function foldDims(dims: readonly number[], strides: readonly number[]): { dims: number[]; strides: number[] } {
  const d: number[] = [], s: number[] = [];
  for (let k = 0; k < dims.length; k++) {
    if (dims[k] === 1) continue;
    const last = d.length - 1;
    if (last >= 0 && s[last] === strides[k] * dims[k]) { d[last] *= dims[k]; s[last] = strides[k]; continue; }
    d.push(dims[k]);
    s.push(strides[k]);
  }
  return d.length ? { dims: d, strides: s } : { dims: [1], strides: [1] };
}

/** y[coord] = x[base + sum coord_d * strides_d] for the output shape `shape`. */
function strided<D extends DType>(op: string, x: Tensor<D>, shape: readonly number[], strides: readonly number[], base: number): Tensor<D> {
  const y = x.gpu.empty(shape, x.dtype, op);
  if (y.size === 0) return y;
  const f = foldDims(shape, strides);
  if (f.dims.length > 8) throw new WaveGpuError(op, `${fmtShape(shape)} needs ${f.dims.length} index dimensions after folding; at most 8 are supported`);
  if (isLastTwoSwap(f.dims, f.strides) && base === 0) return transposeBlocks(op, x, y, f.dims);
  const outerStrides = f.strides.slice(0, -1);
  const innerStride = f.strides[f.strides.length - 1];
  // 16-byte words when the inner run is contiguous and every offset is a multiple of 4 elements.
  const w = innerStride === 1 && f.dims[f.dims.length - 1] % 4 === 0 && base % 4 === 0 && outerStrides.every((v) => v % 4 === 0) ? 4 : 1;
  const inner = f.dims[f.dims.length - 1] / w, rows = y.size / (inner * w), chunks = Math.ceil(inner / RUN);
  const [dims_lo, dims_hi] = pack8(f.dims.slice(0, -1));
  const [str_lo, str_hi] = pack8(outerStrides.map((v) => v / w));
  x.gpu.dispatch({
    op, kernel: 'layout', entry: w === 4 ? 'strided4' : 'strided', overrides: { WG, RUN },
    uniforms: { sparams: { rows, inner, inner_stride: innerStride, chunks, base: base / w, outer_rank: f.dims.length - 1, _pad0: 0, _pad1: 0, dims_lo, dims_hi, str_lo, str_hi } },
    buffers: w === 4 ? { src4: x, dst4: y } : { src: x, dst: y },
    workgroups: grid(rows * chunks, WG),
  });
  return y;
}

/** Folded output [B?, C, R] reading a row-major source [B?, R, C]: strides [R*C?, 1, C]. */
function isLastTwoSwap(dims: number[], strides: number[]): boolean {
  const r = dims.length;
  if (r < 2 || r > 3) return false;
  const [c, rows] = dims.slice(-2);
  const [s1, s2] = strides.slice(-2);
  return s1 === 1 && s2 === c && (r === 2 || strides[0] === c * rows);
}

function transposeBlocks<D extends DType>(op: string, x: Tensor<D>, y: Tensor<D>, dims: number[]): Tensor<D> {
  const [cols, rows] = dims.slice(-2);      // output [.., cols, rows] from source [.., rows, cols]
  const batch = dims.length === 3 ? dims[0] : 1;
  const blocksC = Math.ceil(cols / 4), blocks = Math.ceil(rows / 4) * blocksC;
  const words = rows % 4 === 0 && cols % 4 === 0;
  x.gpu.dispatch({
    op, kernel: 'layout', entry: words ? 'transpose4' : 'transpose', overrides: { WG },
    uniforms: { tparams: { rows, cols, blocks_c: blocksC, blocks, total: batch * blocks, _pad0: 0, _pad1: 0, _pad2: 0 } },
    buffers: words ? { src4: x, dst4: y } : { src: x, dst: y },
    workgroups: grid(batch * blocks, WG),
  });
  return y;
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { s[d] = acc; acc *= shape[d]; }
  return s;
}

/** torch.permute: y.shape[i] = x.shape[dims[i]]. Rank <= 6. */
export function permute<D extends DType>(x: Tensor<D>, dims: readonly number[]): Tensor<D> {
  const r = x.rank;
  if (r > MAX_RANK) throw new WaveGpuError('permute', `rank ${r} of ${fmtShape(x.shape)} is over the supported ${MAX_RANK}`);
  const axes = dims.map((d) => normAxis('permute', d, r, x.shape));
  if (dims.length !== r || new Set(axes).size !== r) {
    throw new WaveGpuError('permute', `dims [${dims.join(', ')}] are not a permutation of the ${r} axes of ${fmtShape(x.shape)}`);
  }
  const src = rowMajorStrides(x.shape);
  return strided('permute', x, axes.map((a) => x.shape[a]), axes.map((a) => src[a]), 0);
}

/** Swaps two axes (default the last two). */
export function transpose<D extends DType>(x: Tensor<D>, dim0 = -2, dim1 = -1): Tensor<D> {
  if (x.rank < 2) throw new WaveGpuError('transpose', `needs rank >= 2, got ${fmtShape(x.shape)}`);
  const a = normAxis('transpose', dim0, x.rank, x.shape), b = normAxis('transpose', dim1, x.rank, x.shape);
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}

/** Python slice along one axis: negative start/stop count from the end, both clamp to the axis. */
export interface SliceSpec { start?: number; stop?: number; step?: number }

function sliceRange(op: string, spec: SliceSpec, len: number, axis: number, shape: readonly number[]): { start: number; count: number; step: number } {
  const step = spec.step ?? 1;
  if (!Number.isInteger(step) || step < 1) throw new WaveGpuError(op, `step ${step} on axis ${axis} of ${fmtShape(shape)} must be a positive integer`);
  const norm = (v: number | undefined, dflt: number) => {
    if (v === undefined) return dflt;
    if (!Number.isInteger(v)) throw new WaveGpuError(op, `slice bound ${v} on axis ${axis} of ${fmtShape(shape)} is not an integer`);
    return Math.min(Math.max(v < 0 ? v + len : v, 0), len);
  };
  const start = norm(spec.start, 0), stop = norm(spec.stop, len);
  return { start, step, count: Math.max(0, Math.ceil((stop - start) / step)) };
}

/**
 * x[s0, s1, ...] with torch/Python slice semantics: specs[d] slices axis d (null/undefined or
 * missing = the whole axis); steps are positive.
 */
export function slice<D extends DType>(x: Tensor<D>, specs: readonly (SliceSpec | null | undefined)[]): Tensor<D> {
  if (specs.length > x.rank) throw new WaveGpuError('slice', `${specs.length} slice specs for a tensor of rank ${x.rank} ${fmtShape(x.shape)}`);
  const src = rowMajorStrides(x.shape);
  let base = 0;
  const shape: number[] = [], strides: number[] = [];
  x.shape.forEach((len, d) => {
    const r = sliceRange('slice', specs[d] ?? {}, len, d, x.shape);
    base += r.start * src[d];
    shape.push(r.count);
    strides.push(src[d] * r.step);
  });
  if (numel(shape) === 0) base = 0;
  return strided('slice', x, shape, strides, base);
}

/** Slices one axis: x[..., start:stop:step, ...]. */
export function sliceAxis<D extends DType>(x: Tensor<D>, axis: number, start?: number, stop?: number, step = 1): Tensor<D> {
  const a = normAxis('slice', axis, x.rank, x.shape);
  const specs: (SliceSpec | null)[] = new Array(a + 1).fill(null);
  specs[a] = { start, stop, step };
  return slice(x, specs);
}

/** A contiguous copy (RUN vec4s per thread when the size allows). */
export function clone<D extends DType>(x: Tensor<D>): Tensor<D> {
  if (x.size % 4 !== 0) return strided('clone', x, x.shape, rowMajorStrides(x.shape), 0);
  const y = x.gpu.empty(x.shape, x.dtype, 'clone');
  const n4 = x.size / 4;
  x.gpu.dispatch({
    op: 'clone', kernel: 'layout', entry: 'copy4', overrides: { WG, RUN },
    uniforms: { kparams: { n4, _pad0: 0, _pad1: 0, _pad2: 0 } },
    buffers: { src4: x, dst4: y },
    workgroups: grid(Math.ceil(n4 / RUN), WG),
  });
  return y;
}

/**
 * torch.cat: inputs agree on dtype, rank and every dimension but `axis`. Along a leading axis
 * (every input one contiguous block) it is buffer copies; otherwise one dispatch per 7 inputs.
 */
export function concat<D extends DType>(xs: readonly Tensor<D>[], axis = 0): Tensor<D> {
  if (xs.length === 0) throw new WaveGpuError('concat', 'needs at least one tensor');
  const first = xs[0];
  const ax = normAxis('concat', axis, first.rank, first.shape);
  const shapes = xs.map((t) => fmtShape(t.shape)).join(', ');
  for (const t of xs) {
    const same = t.rank === first.rank && t.shape.every((d, i) => i === ax || d === first.shape[i]);
    if (!same || t.dtype !== first.dtype || t.gpu !== first.gpu) {
      throw new WaveGpuError('concat', `tensors must match in dtype and in every dimension except axis ${axis}: got ${shapes} (${xs.map((u) => u.dtype).join(', ')})`);
    }
  }
  const total = xs.reduce((s, t) => s + t.shape[ax], 0);
  const outShape = first.shape.map((d, i) => (i === ax ? total : d));
  const y = first.gpu.empty(outShape, first.dtype, 'concat');
  const outer = numel(first.shape.slice(0, ax)), inner = numel(first.shape.slice(ax + 1));
  const parts: { t: Tensor; start: number }[] = [];
  let at = 0;
  for (const t of xs) { if (t.size > 0) parts.push({ t, start: at }); at += t.shape[ax]; }
  if (outer === 1) {
    // Each input is one contiguous block of the output: buffer copies, no kernel.
    for (const p of parts) y.gpu.copy(p.t, y, 0, p.start * inner, p.t.size);
    return y;
  }
  for (let g = 0; g < parts.length; g += CONCAT_INPUTS) concatGroup(y, parts.slice(g, g + CONCAT_INPUTS), ax, outer, inner, total);
  return y;
}

const fill8 = (v: number[]) => { const f = [...v, ...new Array(8 - v.length).fill(0)]; return [f.slice(0, 4), f.slice(4)]; };

/**
 * One dispatch for up to CONCAT_INPUTS inputs. Input k is a contiguous segment of every output
 * row (outer index); threads take runs of RUN words that never straddle two inputs.
 */
function concatGroup(y: Tensor, group: { t: Tensor; start: number }[], ax: number, outer: number, inner: number, total: number): void {
  const segs = group.map((p) => p.t.shape[ax] * inner);
  const firstRow = group[0].start * inner, totalRow = total * inner;
  const w = [...segs, firstRow, totalRow].every((v) => v % 4 === 0) ? 4 : 1;   // 16-byte words when aligned
  let end = 0, runs = 0;
  const ends: number[] = [], cends: number[] = [];
  for (const sgm of segs) { end += sgm / w; runs += Math.ceil(sgm / w / RUN); ends.push(end); cends.push(runs); }
  const buffers: Record<string, Tensor> = {};
  for (let k = 0; k < CONCAT_INPUTS; k++) buffers[w === 4 ? `in${k}_4` : `in${k}`] = (group[k] ?? group[0]).t;
  const [ends_lo, ends_hi] = fill8(ends), [cends_lo, cends_hi] = fill8(cends);
  y.gpu.dispatch({
    op: 'concat', kernel: 'layout', entry: w === 4 ? 'concat4' : 'concat', overrides: { WG, RUN },
    uniforms: { cparams: { outer, row_chunks: runs, total_row: totalRow / w, first_row: firstRow / w, count: group.length, _pad0: 0, _pad1: 0, _pad2: 0, ends_lo, ends_hi, cends_lo, cends_hi } },
    buffers: { ...buffers, [w === 4 ? 'dst4' : 'dst']: y },
    workgroups: grid(outer * runs, WG),
  });
}

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';
const PAD_MODES: Record<PadMode, number> = { constant: 0, reflect: 1, replicate: 2, circular: 3 };

function valueBits(dtype: DType, value: number): number {
  const dv = new DataView(new ArrayBuffer(4));
  if (dtype === 'f32') dv.setFloat32(0, value, true);
  else if (dtype === 'i32') dv.setInt32(0, value, true);
  else dv.setUint32(0, value, true);
  return dv.getUint32(0, true);
}

function checkPadSide(mode: PadMode, before: number, after: number, len: number, axis: number, shape: readonly number[], pads: readonly number[]): void {
  const where = `pads [${pads.join(', ')}] on axis ${axis} of ${fmtShape(shape)}`;
  if (!Number.isInteger(before) || !Number.isInteger(after)) throw new WaveGpuError('pad', `${where}: pads must be integers`);
  if (mode !== 'constant' && (before < 0 || after < 0)) throw new WaveGpuError('pad', `${where}: negative pads crop, which only mode 'constant' allows`);
  if (len + before + after < 0) throw new WaveGpuError('pad', `${where} crop more than the axis holds`);
  if (mode === 'reflect' && (before >= len || after >= len)) throw new WaveGpuError('pad', `${where}: reflect padding must be smaller than the axis (${len})`);
  if (mode === 'replicate' && len === 0 && before + after > 0) throw new WaveGpuError('pad', `${where}: cannot replicate an empty axis`);
  if (mode === 'circular' && (before > len || after > len)) throw new WaveGpuError('pad', `${where}: circular padding must not exceed the axis (${len})`);
}

/**
 * torch.nn.functional.pad on the last axis (pads [left, right]) or the last two
 * (pads [left, right, top, bottom]). Negative pads crop (constant mode only).
 */
export function pad<D extends DType>(x: Tensor<D>, pads: readonly number[], mode: PadMode = 'constant', value = 0): Tensor<D> {
  if (!(mode in PAD_MODES)) throw new WaveGpuError('pad', `unknown mode '${mode}' (constant, reflect, replicate, circular)`);
  if (pads.length !== 2 && pads.length !== 4) throw new WaveGpuError('pad', `pads [${pads.join(', ')}] must have 2 (last axis) or 4 (last two axes) entries`);
  const dims2 = pads.length / 2;
  if (x.rank < dims2) throw new WaveGpuError('pad', `pads [${pads.join(', ')}] need rank >= ${dims2}, got ${fmtShape(x.shape)}`);
  const [left, right, top, bottom] = [pads[0], pads[1], pads[2] ?? 0, pads[3] ?? 0];
  const inW = x.shape[x.rank - 1], inH = dims2 === 2 ? x.shape[x.rank - 2] : 1;
  checkPadSide(mode, left, right, inW, x.rank - 1, x.shape, pads);
  if (dims2 === 2) checkPadSide(mode, top, bottom, inH, x.rank - 2, x.shape, pads);
  const outW = inW + left + right, outH = inH + top + bottom;
  const outShape = [...x.shape.slice(0, x.rank - dims2), ...(dims2 === 2 ? [outH] : []), outW];
  const y = x.gpu.empty(outShape, x.dtype, 'pad');
  if (y.size === 0) return y;
  const rows = y.size / outW, chunks = Math.ceil(outW / RUN);
  x.gpu.dispatch({
    op: 'pad', kernel: 'layout', entry: 'pad', overrides: { WG, RUN },
    uniforms: { pparams: { rows, mode: PAD_MODES[mode], value: valueBits(x.dtype, value), chunks, in_h: inH, in_w: inW, out_h: outH, out_w: outW, top, left, _pad1: 0, _pad2: 0 } },
    buffers: { src: x, dst: y },
    workgroups: grid(rows * chunks, WG),
  });
  return y;
}

/**
 * index_select / numpy take along `axis`: y = x[..., indices, ...] with y.shape = x.shape[:axis]
 * + indices.shape + x.shape[axis+1:]. Indices given as numbers are range-checked here; an i32
 * tensor of indices is read on the GPU, where an index outside [0, x.shape[axis]) yields NaN bits.
 */
export function indexSelect<D extends DType>(x: Tensor<D>, axis: number, indices: Tensor | ArrayLike<number>, indexShape?: readonly number[]): Tensor<D> {
  const ax = normAxis('indexSelect', axis, x.rank, x.shape);
  const len = x.shape[ax];
  let idx: Tensor;
  if (indices instanceof Tensor) {
    if (indices.dtype !== 'i32') throw new WaveGpuError('indexSelect', `indices must be an i32 tensor, got ${indices.dtype} ${fmtShape(indices.shape)}`);
    idx = indices;
  } else {
    for (let i = 0; i < indices.length; i++) {
      const v = indices[i];
      if (!Number.isInteger(v) || v < 0 || v >= len) throw new WaveGpuError('indexSelect', `index ${v} (position ${i}) is out of range for axis ${axis} of size ${len} in ${fmtShape(x.shape)}`);
    }
    idx = x.gpu.tensor(Int32Array.from(indices), indexShape ?? [indices.length], 'i32');
  }
  const outShape = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
  const y = x.gpu.empty(outShape, x.dtype, 'indexSelect');
  const inner = numel(x.shape.slice(ax + 1)), rows = inner ? y.size / inner : 0;
  const w = inner % 4 === 0 ? 4 : 1;   // 16-byte words when rows are whole words
  const chunks = Math.ceil(inner / w / RUN);
  x.gpu.dispatch({
    op: 'indexSelect', kernel: 'layout', entry: w === 4 ? 'gather4' : 'gather', overrides: { WG, RUN },
    uniforms: { gparams: { rows, inner: inner / w, axis: len, count: idx.size, chunks, _pad0: 0, _pad1: 0, _pad2: 0 } },
    buffers: w === 4 ? { src4: x, idx, dst4: y } : { src: x, idx, dst: y },
    workgroups: grid(rows * chunks, WG),
  });
  if (idx !== indices) idx.dispose();
  return y;
}

/** torch.nn.functional.embedding: weight [V, D], ids [...] (i32) -> [..., D]. */
export function embedding<D extends DType>(ids: Tensor | ArrayLike<number>, weight: Tensor<D>): Tensor<D> {
  if (weight.rank !== 2) throw new WaveGpuError('embedding', `weight must be [num_embeddings, dim], got ${fmtShape(weight.shape)}`);
  return indexSelect(weight, 0, ids);
}
