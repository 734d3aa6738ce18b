// Shared by kernels/conv1d.wgsl and kernels/conv1d_sg.wgsl (which needs its own module for
// `enable subgroups`): override constants, parameters, bindings and the fused epilogue.

override WG: u32 = 64;
override KU: u32 = 3;            // v3: taps unrolled per chunk, 1..8
override ACT: u32 = 0;           // 0 none, 1 relu, 2 leaky_relu(slope), 3 tanh, 4 sigmoid
override HAS_BIAS: bool = false;
override HAS_RES: bool = false;
override PAD_MODE: u32 = 0;      // 0 zeros, 1 reflect, 2 replicate, 3 circular

struct Conv1dParams {
  cin: u32, cout: u32, tin: u32, tout: u32,         // per batch item
  k: u32, stride: u32, dil: u32, pad_left: i32,
  cin_g: u32, cout_g: u32, row_blocks: u32, groups: u32, // row_blocks: 8-row blocks per group
  q: u32, threads: u32, n: u32, slope: f32,         // q: v3 step; threads per (b, row block); n: outputs (v1)
}

@group(0) @binding(0) var<uniform> params: Conv1dParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;        // [B, Cin, Tin]
@group(0) @binding(2) var<storage, read> w: array<f32>;        // [Cout, Cin/groups, K]
@group(0) @binding(3) var<storage, read> bias: array<f32>;     // [Cout] (any buffer if !HAS_BIAS)
@group(0) @binding(4) var<storage, read> res: array<f32>;      // [B, Cout, Tout] (any if !HAS_RES)
@group(0) @binding(5) var<storage, read_write> y: array<f32>;  // [B, Cout, Tout]

// Padded position -> index into the unpadded row, or -1 for a zero. Always in [-1, tin).
fn map_pos(pos: i32) -> i32 {
  let n = i32(params.tin);
  if (PAD_MODE == 1u) { return clamp((n - 1) - abs((n - 1) - abs(pos)), 0, n - 1); }
  if (PAD_MODE == 2u) { return clamp(pos, 0, n - 1); }
  if (PAD_MODE == 3u) { return clamp(((pos % n) + n) % n, 0, n - 1); }
  return select(-1, pos, pos >= 0 && pos < n);
}

fn map_pos4(p: vec4<i32>) -> vec4<i32> {
  return vec4<i32>(map_pos(p.x), map_pos(p.y), map_pos(p.z), map_pos(p.w));
}

// x[row + m], or 0 where m < 0 (zero padding).
fn ldx(row: u32, m: i32) -> f32 {
  return select(0.0, x[row + u32(max(m, 0))], m >= 0);
}

fn ldx4(row: u32, m: vec4<i32>) -> vec4<f32> {
  return vec4<f32>(ldx(row, m.x), ldx(row, m.y), ldx(row, m.z), ldx(row, m.w));
}

fn activate(v: f32) -> f32 {
  if (ACT == 1u) { return max(v, 0.0); }
  if (ACT == 2u) { return select(params.slope * v, v, v >= 0.0); }
  if (ACT == 3u) { return stable_tanh(v); }
  if (ACT == 4u) { return sigmoid(v); }
  return v;
}

// act(acc + bias[co]) + res[o], o = flat output index.
fn epilogue(acc: f32, co: u32, o: u32) -> f32 {
  var v = acc;
  if (HAS_BIAS) { v += bias[co]; }
  v = activate(v);
  if (HAS_RES) { v += res[o]; }
  return v;
}
