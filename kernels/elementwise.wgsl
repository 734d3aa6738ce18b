// Elementwise maps.
//   unary:  y[i] = f(x[i])                          (op code and constants in params)
//   binary: y[i] = g(a[ia(i)], b[ib(i)])           (numpy broadcasting, rank <= 8)
// Every thread handles one output element; index = gid.x + gid.y * num_workgroups.x * WG so
// more than 65,535 workgroups fold into y.
// #import math

override WG: u32 = 256;

struct UnaryParams { n: u32, op: u32, alpha: f32, beta: f32 }

// Unary op codes (src/ops/elementwise.ts UNARY_CODES mirrors these).
const U_RELU: u32 = 0u;
const U_LEAKY_RELU: u32 = 1u;   // alpha = negative slope
const U_TANH: u32 = 2u;
const U_SIGMOID: u32 = 3u;
const U_SOFTPLUS: u32 = 4u;
const U_EXP: u32 = 5u;
const U_SIN: u32 = 6u;
const U_CLAMP: u32 = 7u;        // [alpha, beta]
const U_AFFINE: u32 = 8u;       // alpha * x + beta
const U_ABS: u32 = 9u;
const U_LOG: u32 = 10u;
const U_SQRT: u32 = 11u;
const U_COS: u32 = 12u;
const U_SQUARE: u32 = 13u;

@group(0) @binding(0) var<uniform> uparams: UnaryParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn apply_unary(v: f32) -> f32 {
  switch (uparams.op) {
    case U_RELU: { return max(v, 0.0); }
    case U_LEAKY_RELU: { return select(uparams.alpha * v, v, v >= 0.0); }
    case U_TANH: { return stable_tanh(v); }
    case U_SIGMOID: { return sigmoid(v); }
    case U_SOFTPLUS: { return max(v, 0.0) + log(1.0 + exp(-abs(v))); }
    case U_EXP: { return exp(v); }
    case U_SIN: { return precise_sin(v); }
    case U_CLAMP: { return clamp(v, uparams.alpha, uparams.beta); }
    case U_AFFINE: { return uparams.alpha * v + uparams.beta; }
    case U_ABS: { return abs(v); }
    case U_LOG: { return log(v); }
    case U_SQRT: { return sqrt(v); }
    case U_COS: { return precise_cos(v); }
    case U_SQUARE: { return v * v; }
    default: { return v; }
  }
}

@compute @workgroup_size(WG)
fn unary(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= uparams.n) { return; }
  y[i] = apply_unary(x[i]);
}

// Broadcasting binary op. Shapes are right-aligned to rank 8 on the host; a broadcast
// dimension has stride 0. dims/a_str/b_str hold dims 0-3 in lo and 4-7 in hi.
struct BinaryParams {
  n: u32, op: u32, rank: u32, _pad: u32,
  dims_lo: vec4<u32>, dims_hi: vec4<u32>,
  a_lo: vec4<u32>, a_hi: vec4<u32>,
  b_lo: vec4<u32>, b_hi: vec4<u32>,
}

const B_ADD: u32 = 0u;
const B_SUB: u32 = 1u;
const B_MUL: u32 = 2u;
const B_DIV: u32 = 3u;
const B_MAX: u32 = 4u;
const B_MIN: u32 = 5u;
const B_POW: u32 = 6u;

@group(0) @binding(0) var<uniform> bparams: BinaryParams;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

fn dim_at(lo: vec4<u32>, hi: vec4<u32>, k: u32) -> u32 {
  if (k < 4u) { return lo[k]; }
  return hi[k - 4u];
}

fn apply_binary(u: f32, v: f32) -> f32 {
  switch (bparams.op) {
    case B_ADD: { return u + v; }
    case B_SUB: { return u - v; }
    case B_MUL: { return u * v; }
    case B_DIV: { return u / v; }
    case B_MAX: { return max(u, v); }
    case B_MIN: { return min(u, v); }
    case B_POW: { return pow(u, v); }
    default: { return u; }
  }
}

@compute @workgroup_size(WG)
fn binary(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= bparams.n) { return; }
  var rem = i;
  var ia = 0u;
  var ib = 0u;
  // Walk dimensions from the innermost (7) outwards.
  for (var k = 0u; k < 8u; k++) {
    let d = 7u - k;
    let size = dim_at(bparams.dims_lo, bparams.dims_hi, d);
    let coord = rem % size;
    rem = rem / size;
    ia += coord * dim_at(bparams.a_lo, bparams.a_hi, d);
    ib += coord * dim_at(bparams.b_lo, bparams.b_hi, d);
  }
  out[i] = apply_binary(a[ia], b[ib]);
}
