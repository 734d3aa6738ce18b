// The fused prologue and epilogue of the convolution kernels (conv1d, conv_transpose1d and their
// subgroup twins): y = act(conv(in_act(x)) + bias) + residual (+ residual2). Each kernel's Params
// struct has a `slope` field; bias, res, res2 and x are its bindings.
// #import math

override ACT: u32 = 0;           // 0 none, 1 relu, 2 leaky_relu(params.slope), 3 tanh, 4 sigmoid
override HAS_BIAS: bool = false;
override HAS_RES: bool = false;
override HAS_RES2: bool = false; // a second residual (e.g. a running sum of parallel branches)
override IN_ACT: u32 = 0;        // input activation, applied as x is loaded: 0 none, 1 relu, 2 leaky_relu(IN_SLOPE)
override IN_SLOPE: f32 = 0.01;

fn activate(v: f32) -> f32 {
  if (ACT == 1u) { return max(v, 0.0); }
  if (ACT == 2u) { return select(params.slope * v, v, v >= 0.0); }
  if (ACT == 3u) { return stable_tanh(v); }
  if (ACT == 4u) { return sigmoid(v); }
  return v;
}

// act(acc + bias[co]) + res[o] + res2[o], o = flat output index.
fn epilogue(acc: f32, co: u32, o: u32) -> f32 {
  var v = acc;
  if (HAS_BIAS) { v += bias[co]; }
  v = activate(v);
  if (HAS_RES) { v += res[o]; }
  if (HAS_RES2) { v += res2[o]; }
  return v;
}

// The input activation of one loaded element (zero padding stays zero: both activations keep 0).
fn in_act(v: f32) -> f32 {
  if (IN_ACT == 1u) { return max(v, 0.0); }
  if (IN_ACT == 2u) { return select(IN_SLOPE * v, v, v >= 0.0); }
  return v;
}

// in_act(x[row + m]), or 0 where m < 0 (zero padding / no contribution).
fn ldx(row: u32, m: i32) -> f32 {
  return select(0.0, in_act(x[row + u32(max(m, 0))]), m >= 0);
}

fn ldx4(row: u32, m: vec4<i32>) -> vec4<f32> {
  return vec4<f32>(ldx(row, m.x), ldx(row, m.y), ldx(row, m.z), ldx(row, m.w));
}
