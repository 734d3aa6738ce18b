// Data movement. Every kernel moves 32-bit words, so f32, i32 and u32 tensors share them.
// A thread moves a run of RUN consecutive output elements along the innermost axis and does its
// index arithmetic (divisions: slow on a CPU device, not free on a GPU) once per run.
//   strided:   dst[r, j] = src[base + sum_d coord_d(r) * stride_d + j * inner_stride] for output row
//              r (the multi-index of the outer dims, rank <= 7) and inner position j. Permute,
//              slice and contiguous copies are all this one gather; the host folds dimensions
//              first so most calls use one or two outer dims.
//   transpose: dst[z, c, r] = src[z, r, c] by 4 x 4 blocks: 4 source rows read 4 wide, 4
//              destination rows written 4 wide (no workgroup memory: its barriers cost more than
//              they save on a CPU device).
//   concat:    up to 7 inputs per dispatch (7 + dst fit WebGPU's default of 8 storage buffers);
//              dst viewed as [outer, total * inner], input k a contiguous segment of every dst
//              row; runs never straddle two inputs, so each copy loop reads one buffer.
//   pad:       dst viewed as [outer, out_h, out_w], src [outer, in_h, in_w]; constant / reflect /
//              replicate / circular (torch F.pad), 1-D pads use in_h = out_h = 1. Interior
//              columns of a run are a straight copy; only edge columns map coordinates.
//   gather:    dst[o, j, i] = src[o, idx[j], i]; an index outside [0, axis) writes NaN bits.
//   copy4:     dst4[i] = src4[i], RUN vec4 (16 bytes each) per thread: clone() and the ceiling.
// strided4, transpose4, concat4 and gather4 are the same kernels on 16-byte words, used when
// sizes and offsets are multiples of 4 elements (4x fewer memory operations).
// Thread index = gid.x + gid.y * nwg.x * WG so more than 65,535 workgroups fold into y.

override WG: u32 = 256;
override RUN: u32 = 8;

struct StridedParams {
  rows: u32, inner: u32, inner_stride: u32, chunks: u32,    // chunks = ceil(inner / RUN)
  base: u32, outer_rank: u32, _pad0: u32, _pad1: u32,
  dims_lo: vec4<u32>, dims_hi: vec4<u32>,                   // outer dims, right-aligned in 8 slots
  str_lo: vec4<u32>, str_hi: vec4<u32>,
}
struct TransposeParams { rows: u32, cols: u32, blocks_c: u32, blocks: u32, total: u32, _pad0: u32, _pad1: u32, _pad2: u32 }   // blocks: per matrix; total: all
struct ConcatParams {
  outer: u32, row_chunks: u32, total_row: u32, first_row: u32,   // first_row: where input 0 starts in a dst row
  count: u32, _pad0: u32, _pad1: u32, _pad2: u32,
  ends_lo: vec4<u32>, ends_hi: vec4<u32>,      // end of input k's segment within the dst row (words)
  cends_lo: vec4<u32>, cends_hi: vec4<u32>,    // cumulative run count up to and including input k
}
struct PadParams {
  rows: u32, mode: u32, value: u32, chunks: u32,
  in_h: u32, in_w: u32, out_h: u32, out_w: u32,
  top: i32, left: i32, _pad1: i32, _pad2: i32,
}
struct GatherParams { rows: u32, inner: u32, axis: u32, count: u32, chunks: u32, _pad0: u32, _pad1: u32, _pad2: u32 }
struct CopyParams { n4: u32, _pad0: u32, _pad1: u32, _pad2: u32 }

@group(0) @binding(0) var<uniform> sparams: StridedParams;
@group(0) @binding(0) var<uniform> tparams: TransposeParams;
@group(0) @binding(0) var<uniform> cparams: ConcatParams;
@group(0) @binding(0) var<uniform> pparams: PadParams;
@group(0) @binding(0) var<uniform> gparams: GatherParams;
@group(0) @binding(0) var<uniform> kparams: CopyParams;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;
@group(0) @binding(3) var<storage, read> idx: array<i32>;
@group(0) @binding(1) var<storage, read> src4: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> dst4: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read> in0: array<u32>;
@group(0) @binding(3) var<storage, read> in1: array<u32>;
@group(0) @binding(4) var<storage, read> in2: array<u32>;
@group(0) @binding(5) var<storage, read> in3: array<u32>;
@group(0) @binding(6) var<storage, read> in4: array<u32>;
@group(0) @binding(7) var<storage, read> in5: array<u32>;
@group(0) @binding(8) var<storage, read> in6: array<u32>;
@group(0) @binding(1) var<storage, read> in0_4: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read> in1_4: array<vec4<u32>>;
@group(0) @binding(4) var<storage, read> in2_4: array<vec4<u32>>;
@group(0) @binding(5) var<storage, read> in3_4: array<vec4<u32>>;
@group(0) @binding(6) var<storage, read> in4_4: array<vec4<u32>>;
@group(0) @binding(7) var<storage, read> in5_4: array<vec4<u32>>;
@group(0) @binding(8) var<storage, read> in6_4: array<vec4<u32>>;

const NAN_BITS: u32 = 0x7fc00000u;

fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * WG;
}

fn at8(lo: vec4<u32>, hi: vec4<u32>, k: u32) -> u32 {
  if (k < 4u) { return lo[k]; }
  return hi[k - 4u];
}

@compute @workgroup_size(WG)
fn strided(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = flat_index(gid, nwg);
  let row = t / sparams.chunks;
  if (row >= sparams.rows) { return; }
  let j0 = (t - row * sparams.chunks) * RUN;
  var rem = row;
  var off = sparams.base;
  for (var k = 0u; k < sparams.outer_rank; k++) {   // innermost outer dim (slot 7) first
    let size = at8(sparams.dims_lo, sparams.dims_hi, 7u - k);
    off += (rem % size) * at8(sparams.str_lo, sparams.str_hi, 7u - k);
    rem /= size;
  }
  let j1 = min(j0 + RUN, sparams.inner);
  var s = off + j0 * sparams.inner_stride;
  for (var j = j0; j < j1; j++) {
    dst[row * sparams.inner + j] = src[s];
    s += sparams.inner_stride;
  }
}

// strided over 16-byte words: the same gather when the inner run is contiguous and every offset is
// a multiple of 4 elements (the host divides dims, strides and base by 4).
@compute @workgroup_size(WG)
fn strided4(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = flat_index(gid, nwg);
  let row = t / sparams.chunks;
  if (row >= sparams.rows) { return; }
  let j0 = (t - row * sparams.chunks) * RUN;
  var rem = row;
  var off = sparams.base;
  for (var k = 0u; k < sparams.outer_rank; k++) {
    let size = at8(sparams.dims_lo, sparams.dims_hi, 7u - k);
    off += (rem % size) * at8(sparams.str_lo, sparams.str_hi, 7u - k);
    rem /= size;
  }
  let j1 = min(j0 + RUN, sparams.inner);
  for (var j = j0; j < j1; j++) { dst4[row * sparams.inner + j] = src4[off + j]; }
}

@compute @workgroup_size(WG)
fn transpose(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = flat_index(gid, nwg);
  if (t >= tparams.total) { return; }
  let z = t / tparams.blocks;
  let b = t - z * tparams.blocks;
  let r0 = (b / tparams.blocks_c) * 4u;
  let c0 = (b % tparams.blocks_c) * 4u;
  let base = z * tparams.rows * tparams.cols;
  let nr = min(4u, tparams.rows - r0);
  let nc = min(4u, tparams.cols - c0);
  var blk: array<vec4<u32>, 4>;           // blk[i][j] = src[r0 + i, c0 + j]
  for (var i = 0u; i < nr; i++) {
    for (var j = 0u; j < nc; j++) { blk[i][j] = src[base + (r0 + i) * tparams.cols + c0 + j]; }
  }
  for (var j = 0u; j < nc; j++) {
    for (var i = 0u; i < nr; i++) { dst[base + (c0 + j) * tparams.rows + r0 + i] = blk[i][j]; }
  }
}

// transpose of 4 x 4 blocks as 16-byte words, for rows and cols that are multiples of 4.
@compute @workgroup_size(WG)
fn transpose4(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = flat_index(gid, nwg);
  if (t >= tparams.total) { return; }
  let z = t / tparams.blocks;
  let b = t - z * tparams.blocks;
  let r0 = (b / tparams.blocks_c) * 4u;
  let c0 = (b % tparams.blocks_c) * 4u;
  let base = z * tparams.rows * tparams.cols;
  let q = tparams.cols / 4u;                       // source row length in words
  let s0 = (base + r0 * tparams.cols + c0) / 4u;
  let a0 = src4[s0];
  let a1 = src4[s0 + q];
  let a2 = src4[s0 + 2u * q];
  let a3 = src4[s0 + 3u * q];
  let p = tparams.rows / 4u;                       // destination row length in words
  let d0 = (base + c0 * tparams.rows + r0) / 4u;
  dst4[d0] = vec4<u32>(a0.x, a1.x, a2.x, a3.x);
  dst4[d0 + p] = vec4<u32>(a0.y, a1.y, a2.y, a3.y);
  dst4[d0 + 2u * p] = vec4<u32>(a0.z, a1.z, a2.z, a3.z);
  dst4[d0 + 3u * p] = vec4<u32>(a0.w, a1.w, a2.w, a3.w);
}

// A concat thread copies one run of one input's segment of one dst row: (o, k, run) from the
// cumulative run counts, so the copy loop below has a fixed source buffer.
struct ConcatRun { k: u32, src: u32, dst: u32, len: u32 }

fn concat_run(t: u32) -> ConcatRun {
  var r = ConcatRun(0u, 0u, 0u, 0u);
  let o = t / cparams.row_chunks;
  if (o >= cparams.outer) { return r; }
  let c = t - o * cparams.row_chunks;
  var cstart = 0u;
  var start = 0u;
  while (r.k + 1u < cparams.count && c >= at8(cparams.cends_lo, cparams.cends_hi, r.k)) {
    cstart = at8(cparams.cends_lo, cparams.cends_hi, r.k);
    start = at8(cparams.ends_lo, cparams.ends_hi, r.k);
    r.k++;
  }
  let seg = at8(cparams.ends_lo, cparams.ends_hi, r.k) - start;
  let p0 = (c - cstart) * RUN;
  r.src = o * seg + p0;
  r.dst = o * cparams.total_row + cparams.first_row + start + p0;
  r.len = min(RUN, seg - p0);
  return r;
}

@compute @workgroup_size(WG)
fn concat(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = concat_run(flat_index(gid, nwg));
  switch (r.k) {
    case 0u: { for (var p = 0u; p < r.len; p++) { dst[r.dst + p] = in0[r.src + p]; } }
    case 1u: { for (var p = 0u; p < r.len; p++) { dst[r.dst + p] = in1[r.src + p]; } }
    case 2u: { for (var p = 0u; p < r.len; p++) { dst[r.dst + p] = in2[r.src + p]; } }
    case 3u: { for (var p = 0u; p < r.len; p++) { dst[r.dst + p] = in3[r.src + p]; } }
    case 4u: { for (var p = 0u; p < r.len; p++) { dst[r.dst + p] = in4[r.src + p]; } }
    case 5u: { for (var p = 0u; p < r.len; p++) { dst[r.dst + p] = in5[r.src + p]; } }
    default: { for (var p = 0u; p < r.len; p++) { dst[r.dst + p] = in6[r.src + p]; } }
  }
}

// concat on 16-byte words, when every segment and row offset is a multiple of 4 elements.
@compute @workgroup_size(WG)
fn concat4(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = concat_run(flat_index(gid, nwg));
  switch (r.k) {
    case 0u: { for (var p = 0u; p < r.len; p++) { dst4[r.dst + p] = in0_4[r.src + p]; } }
    case 1u: { for (var p = 0u; p < r.len; p++) { dst4[r.dst + p] = in1_4[r.src + p]; } }
    case 2u: { for (var p = 0u; p < r.len; p++) { dst4[r.dst + p] = in2_4[r.src + p]; } }
    case 3u: { for (var p = 0u; p < r.len; p++) { dst4[r.dst + p] = in3_4[r.src + p]; } }
    case 4u: { for (var p = 0u; p < r.len; p++) { dst4[r.dst + p] = in4_4[r.src + p]; } }
    case 5u: { for (var p = 0u; p < r.len; p++) { dst4[r.dst + p] = in5_4[r.src + p]; } }
    default: { for (var p = 0u; p < r.len; p++) { dst4[r.dst + p] = in6_4[r.src + p]; } }
  }
}

const PAD_CONSTANT: u32 = 0u;
const PAD_REFLECT: u32 = 1u;
const PAD_REPLICATE: u32 = 2u;
const PAD_CIRCULAR: u32 = 3u;

// Source coordinate for c in [-pad, size + pad) under the mode; -1 means "constant value".
fn pad_coord(c: i32, size: i32) -> i32 {
  if (c >= 0 && c < size) { return c; }
  switch (pparams.mode) {
    case PAD_REFLECT: { return select(2 * (size - 1) - c, -c, c < 0); }
    case PAD_REPLICATE: { return clamp(c, 0, size - 1); }
    case PAD_CIRCULAR: { return ((c % size) + size) % size; }
    default: { return -1; }
  }
}

fn pad_edge(ox: i32, sy: i32, src_row: u32) -> u32 {
  let sx = pad_coord(ox - pparams.left, i32(pparams.in_w));
  if (sy < 0 || sx < 0) { return pparams.value; }
  return src[src_row + u32(sx)];
}

@compute @workgroup_size(WG)
fn pad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = flat_index(gid, nwg);
  let row = t / pparams.chunks;                    // output row (o, oy)
  if (row >= pparams.rows) { return; }
  let x0 = i32((t - row * pparams.chunks) * RUN);
  let x1 = min(x0 + i32(RUN), i32(pparams.out_w));
  let o = row / pparams.out_h;
  let sy = pad_coord(i32(row - o * pparams.out_h) - pparams.top, i32(pparams.in_h));
  let src_row = (o * pparams.in_h + u32(max(sy, 0))) * pparams.in_w;
  let dst_row = row * pparams.out_w;
  // Columns [lo, hi) map straight onto the source row; the edges go through pad_coord.
  let lo = clamp(pparams.left, x0, x1);
  let hi = select(clamp(pparams.left + i32(pparams.in_w), lo, x1), lo, sy < 0);
  for (var ox = x0; ox < lo; ox++) { dst[dst_row + u32(ox)] = pad_edge(ox, sy, src_row); }
  let shift = src_row - u32(pparams.left);         // wraps when left > src_row; the sum below does not
  for (var m = u32(lo); m < u32(hi); m++) { dst[dst_row + m] = src[shift + m]; }
  for (var ox = hi; ox < x1; ox++) { dst[dst_row + u32(ox)] = pad_edge(ox, sy, src_row); }
}

@compute @workgroup_size(WG)
fn gather(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = flat_index(gid, nwg);
  let row = t / gparams.chunks;                    // (o, j): output row of `inner` elements
  if (row >= gparams.rows) { return; }
  let i0 = (t - row * gparams.chunks) * RUN;
  let i1 = min(i0 + RUN, gparams.inner);
  let o = row / gparams.count;
  let r = idx[row - o * gparams.count];
  let ok = r >= 0 && u32(r) < gparams.axis;
  let s = (o * gparams.axis + u32(max(r, 0))) * gparams.inner;
  for (var i = i0; i < i1; i++) {
    var v = NAN_BITS;
    if (ok) { v = src[s + i]; }
    dst[row * gparams.inner + i] = v;
  }
}

// gather on 16-byte words, when inner is a multiple of 4 elements (the host passes inner / 4).
@compute @workgroup_size(WG)
fn gather4(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = flat_index(gid, nwg);
  let row = t / gparams.chunks;
  if (row >= gparams.rows) { return; }
  let i0 = (t - row * gparams.chunks) * RUN;
  let i1 = min(i0 + RUN, gparams.inner);
  let o = row / gparams.count;
  let r = idx[row - o * gparams.count];
  let ok = r >= 0 && u32(r) < gparams.axis;
  let s = (o * gparams.axis + u32(max(r, 0))) * gparams.inner;
  for (var i = i0; i < i1; i++) {
    var v = vec4<u32>(NAN_BITS);
    if (ok) { v = src4[s + i]; }
    dst4[row * gparams.inner + i] = v;
  }
}

@compute @workgroup_size(WG)
fn copy4(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i0 = flat_index(gid, nwg) * RUN;
  let i1 = min(i0 + RUN, kparams.n4);
  for (var i = i0; i < i1; i++) { dst4[i] = src4[i]; }
}
