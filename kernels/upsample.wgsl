// Resampling of [planes, H, W] maps (planes = B*C; 1-D ops use H = 1), torch conventions.
//
//   interp   nearest (torch 'nearest'):  y[o] = x[min(floor(o * scale), in - 1)], with torch's
//            shortcuts out == in -> o and out == 2*in -> o >> 1. scale = f32(1 / scale_factor)
//            when a factor was given, else f32(in / out); the product is an f32 product, as in
//            torch, so the chosen index matches torch bit for bit.
//            linear/bilinear: src = scale*o (align_corners) or max(scale*(o + 0.5) - 0.5, 0),
//            i0 = floor(src), i1 = min(i0 + 1, in - 1), l = src - i0; y = (1-l)*x[i0] + l*x[i1],
//            per axis (bilinear: rows then columns). scale = (in-1)/(out-1) with align_corners
//            (0 when out == 1), else as for nearest; out == in is the identity, as in torch.
//            torch forms src in float64 and this kernel in f32: l differs by ~src * 2^-23.
//   avg_pool window [o*s - p, o*s - p + k) clipped to [-p, in + p) gives the count with
//            count_include_pad; clipped to [0, in) gives the summed inputs and the count without.
//
// Work: interp reads 1 (nearest) or 2/4 (linear/bilinear) inputs per output, avg_pool kh*kw; a
// thread makes 4 consecutive outputs of one row (fewer, fatter workgroups on CPU back ends), so
// its row-dependent terms are computed once. Minimum bytes = 4*(|x| + |y|).
// Index = gid.x + gid.y * nwg.x * WG (grid() folds > 65,535 workgroups into y).

override WG: u32 = 256;

const COLS: u32 = 4u;   // outputs per thread (src/ops/upsample.ts mirrors this)

struct InterpParams {
  n: u32,               // threads: planes * out_h * ceil(out_w / COLS)
  in_h: u32, in_w: u32, out_h: u32, out_w: u32,
  linear: u32,          // 0 nearest, 1 linear/bilinear
  align_corners: u32,
  scale_h: f32, scale_w: f32,
  col_blocks: u32,
}

@group(0) @binding(0) var<uniform> params: InterpParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;        // [planes, in_h, in_w]
@group(0) @binding(2) var<storage, read_write> y: array<f32>;  // [planes, out_h, out_w]

fn nearest_src(o: u32, n_in: u32, n_out: u32, scale: f32) -> u32 {
  if (n_out == n_in) { return o; }
  if (n_out == 2u * n_in) { return o >> 1u; }
  return min(u32(floor(f32(o) * scale)), n_in - 1u);
}

// Linear source: (i0, i1, weight of i1).
struct Lerp { i0: u32, i1: u32, l: f32 }

fn linear_src(o: u32, n_in: u32, n_out: u32, scale: f32) -> Lerp {
  if (n_out == n_in) { return Lerp(o, o, 0.0); }
  var src = scale * f32(o);
  if (params.align_corners == 0u) { src = max(scale * (f32(o) + 0.5) - 0.5, 0.0); }
  let i0 = min(u32(src), n_in - 1u);
  return Lerp(i0, min(i0 + 1u, n_in - 1u), src - f32(i0));
}

fn interp_linear(plane: u32, oh: u32, ow0: u32) {
  let p = params;
  let r = linear_src(oh, p.in_h, p.out_h, p.scale_h);
  let row0 = (plane * p.in_h + r.i0) * p.in_w;
  let row1 = (plane * p.in_h + r.i1) * p.in_w;
  let out = (plane * p.out_h + oh) * p.out_w;
  for (var c = 0u; c < COLS; c++) {
    let ow = ow0 + c;
    if (ow >= p.out_w) { break; }
    let q = linear_src(ow, p.in_w, p.out_w, p.scale_w);
    let top = (1.0 - q.l) * x[row0 + q.i0] + q.l * x[row0 + q.i1];
    let bottom = (1.0 - q.l) * x[row1 + q.i0] + q.l * x[row1 + q.i1];
    y[out + ow] = (1.0 - r.l) * top + r.l * bottom;
  }
}

@compute @workgroup_size(WG)
fn interp(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = params;
  if (i >= p.n) { return; }
  let ow0 = (i % p.col_blocks) * COLS;
  let t = i / p.col_blocks;
  let oh = t % p.out_h;
  let plane = t / p.out_h;
  if (p.linear != 0u) {
    interp_linear(plane, oh, ow0);
    return;
  }
  let row = (plane * p.in_h + nearest_src(oh, p.in_h, p.out_h, p.scale_h)) * p.in_w;
  let out = (plane * p.out_h + oh) * p.out_w;
  for (var c = 0u; c < COLS; c++) {
    let ow = ow0 + c;
    if (ow >= p.out_w) { break; }
    y[out + ow] = x[row + nearest_src(ow, p.in_w, p.out_w, p.scale_w)];
  }
}

struct PoolParams {
  n: u32,               // threads: planes * out_h * ceil(out_w / COLS)
  in_h: u32, in_w: u32, out_h: u32, out_w: u32,
  k_h: u32, k_w: u32, s_h: u32, s_w: u32, p_h: u32, p_w: u32,
  count_include_pad: u32,
  col_blocks: u32,
}

@group(0) @binding(0) var<uniform> pool: PoolParams;
@group(0) @binding(1) var<storage, read> px: array<f32>;        // [planes, in_h, in_w]
@group(0) @binding(2) var<storage, read_write> py: array<f32>;  // [planes, out_h, out_w]

// Window [start, end) of output o along one axis: the padded extent and the clipped one.
struct Span { lo: i32, hi: i32, padded: i32 }

fn span(o: u32, k: u32, s: u32, pad: u32, n_in: u32) -> Span {
  let start = i32(o * s) - i32(pad);
  let end = min(start + i32(k), i32(n_in + pad));
  return Span(max(start, 0), min(end, i32(n_in)), end - start);
}

@compute @workgroup_size(WG)
fn avg_pool(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = pool;
  if (i >= p.n) { return; }
  let ow0 = (i % p.col_blocks) * COLS;
  let t = i / p.col_blocks;
  let oh = t % p.out_h;
  let plane = t / p.out_h;
  let r = span(oh, p.k_h, p.s_h, p.p_h, p.in_h);
  let base = plane * p.in_h * p.in_w;
  for (var c = 0u; c < COLS; c++) {
    let ow = ow0 + c;
    if (ow >= p.out_w) { break; }
    let q = span(ow, p.k_w, p.s_w, p.p_w, p.in_w);
    var sum = 0.0;
    for (var ih = r.lo; ih < r.hi; ih++) {
      let row = base + u32(ih) * p.in_w;
      for (var iw = q.lo; iw < q.hi; iw++) { sum += px[row + u32(iw)]; }
    }
    var count = (r.hi - r.lo) * (q.hi - q.lo);
    if (p.count_include_pad != 0u) { count = r.padded * q.padded; }
    py[(plane * p.out_h + oh) * p.out_w + ow] = sum / f32(count);
  }
}
