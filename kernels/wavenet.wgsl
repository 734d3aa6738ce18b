// WaveNet-stack helpers around the gate layers (src/models/wavenet/kernels.ts):
//   pointwise: y[b, o, t] (+)= bias[o] + sum_i W[o, i] * f(x[b, i, t]),  f = relu or identity
//              (start conv from a scalar input, output heads, NAM rechannel/head 1x1s)
//   embed:     y[b, r, t] = bias[r] + W[r, q(x[b, t])]   one-hot start conv, q = round((v+1)(C-1)/2)
// Both read and write rings (step t at column (start + t) wrapped at len), like kernels/gate.wgsl.
// A thread computes 4 output rows x 4 steps (16 accumulators) from one vec4 weight load per
// input row; weights are packed transposed and padded: W^T [Cin][Coutp] (+ bias [Coutp]),
// offsets in vec4 units. No workgroup memory.

override WG: u32 = 64;

const NONE: u32 = 0xffffffffu;

struct PointwiseParams {
  batch: u32, cin: u32, cout: u32, coutp: u32,
  t_out: u32, relu_in: u32, acc: u32, x_len: u32,
  x_start: u32, y_len: u32, y_start: u32, o_w: u32,
  o_b: u32, _p0: u32, _p1: u32, _p2: u32,
}

@group(0) @binding(0) var<uniform> params: PointwiseParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn wrap(start: u32, t: u32, len: u32) -> u32 {
  let p = start + t;
  return select(p, p - len, p >= len);
}

fn store4(b: u32, o: u32, t: u32, v: vec4<f32>) {
  if (o >= params.cout) { return; }
  let base = (b * params.cout + o) * params.y_len;
  let ys = params.y_start;
  let yl = params.y_len;
  let acc = params.acc != 0u;
  for (var e = 0u; e < 4u; e++) {
    if (t + e < params.t_out) {
      let i = base + wrap(ys, t + e, yl);
      y[i] = select(v[e], y[i] + v[e], acc);
    }
  }
}

@compute @workgroup_size(WG)
fn pointwise(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let nq = params.coutp / 4u;
  let ntb = (params.t_out + 3u) / 4u;
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.batch * nq * ntb) { return; }
  let tb = i % ntb;
  let oq = (i / ntb) % nq;
  let b = i / (ntb * nq);
  let t = tb * 4u;
  let last = params.t_out - 1u;
  let xs = params.x_start;
  let xl = params.x_len;
  let c = vec4<u32>(wrap(xs, min(t, last), xl), wrap(xs, min(t + 1u, last), xl), wrap(xs, min(t + 2u, last), xl), wrap(xs, min(t + 3u, last), xl));
  var bo = vec4<f32>(0.0);
  if (params.o_b != NONE) { bo = w[params.o_b + oq]; }
  var a0 = vec4<f32>(bo.x); var a1 = vec4<f32>(bo.y); var a2 = vec4<f32>(bo.z); var a3 = vec4<f32>(bo.w);
  let relu = params.relu_in != 0u;
  var xrow = b * params.cin * xl;
  var wi = params.o_w + oq;
  for (var ci = 0u; ci < params.cin; ci++) {
    var xv = vec4<f32>(x[xrow + c.x], x[xrow + c.y], x[xrow + c.z], x[xrow + c.w]);
    if (relu) { xv = max(xv, vec4<f32>(0.0)); }
    let wv = w[wi];
    a0 += wv.x * xv; a1 += wv.y * xv; a2 += wv.z * xv; a3 += wv.w * xv;
    xrow += xl;
    wi += nq;
  }
  let o = oq * 4u;
  store4(b, o, t, a0); store4(b, o + 1u, t, a1); store4(b, o + 2u, t, a2); store4(b, o + 3u, t, a3);
}

struct EmbedParams {
  batch: u32, classes: u32, r: u32, rp: u32,
  t_out: u32, x_len: u32, y_len: u32, o_w: u32,
  o_b: u32, _p0: u32, _p1: u32, _p2: u32,
}

@group(0) @binding(0) var<uniform> eparams: EmbedParams;
@group(0) @binding(1) var<storage, read> ex: array<f32>;
@group(0) @binding(2) var<storage, read> ew: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> ey: array<f32>;

/** The class of a companded value v in [-1, 1]: bins = linspace(-1, 1, C). */
fn class_of(v: f32, classes: u32) -> u32 {
  let q = round((clamp(v, -1.0, 1.0) + 1.0) * 0.5 * f32(classes - 1u));
  return min(u32(q), classes - 1u);
}

@compute @workgroup_size(WG)
fn embed(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = eparams;
  let nq = p.rp / 4u;
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.batch * nq * p.t_out) { return; }
  let t = i % p.t_out;
  let rq = (i / p.t_out) % nq;
  let b = i / (p.t_out * nq);
  let q = class_of(ex[b * p.x_len + t], p.classes);
  var v = ew[p.o_w + q * nq + rq];
  if (p.o_b != NONE) { v += ew[p.o_b + rq]; }
  for (var e = 0u; e < 4u; e++) {
    let r = rq * 4u + e;
    if (r < p.r) { ey[(b * p.r + r) * p.y_len + t] = v[e]; }
  }
}
