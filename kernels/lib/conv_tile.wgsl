// The 8-row x 8-step register tile of the window convolution kernels (conv1d v3/v4,
// conv_transpose1d v2/v3): four 4x4 accumulators, outer-product taps, one input channel's
// window of up to 16 elements held in four vec4s, and the weight rows of the 8 output channels.
// Each kernel also imports how its weights are loaded: tile_weights (plain loads) or
// subgroup_bcast (loaded once per subgroup), both defining tap_w(rows, k).

fn outer(wv: vec4<f32>, xv: vec4<f32>) -> mat4x4<f32> {
  return mat4x4<f32>(wv * xv.x, wv * xv.y, wv * xv.z, wv * xv.w);
}

struct Acc { a00: mat4x4<f32>, a01: mat4x4<f32>, a10: mat4x4<f32>, a11: mat4x4<f32> }

// One tap for rows 0-3 (w0) and 4-7 (w1) against steps 0-3 (xa) and 4-7 (xb).
fn fma_tap(acc: ptr<function, Acc>, w0: vec4<f32>, w1: vec4<f32>, xa: vec4<f32>, xb: vec4<f32>) {
  (*acc).a00 += outer(w0, xa); (*acc).a01 += outer(w0, xb);
  (*acc).a10 += outer(w1, xa); (*acc).a11 += outer(w1, xb);
}

// One input channel's window: element v at mapped position m[v] (ldx: -1 reads as zero). Only the
// first 8 + KU - 1 elements are loaded (KU: the including kernel's taps per chunk); the rest stay 0.
struct Window { v0: vec4<f32>, v1: vec4<f32>, v2: vec4<f32>, v3: vec4<f32> }

fn load_window(row: u32, m0: vec4<i32>, m1: vec4<i32>, m2: vec4<i32>, m3: vec4<i32>) -> Window {
  var win = Window(ldx4(row, m0), ldx4(row, m1), vec4<f32>(), vec4<f32>());
  if (KU > 1u) { win.v2.x = ldx(row, m2.x); }
  if (KU > 2u) { win.v2.y = ldx(row, m2.y); }
  if (KU > 3u) { win.v2.z = ldx(row, m2.z); }
  if (KU > 4u) { win.v2.w = ldx(row, m2.w); }
  if (KU > 5u) { win.v3.x = ldx(row, m3.x); }
  if (KU > 6u) { win.v3.y = ldx(row, m3.y); }
  if (KU > 7u) { win.v3.z = ldx(row, m3.z); }
  return win;
}

// Window elements j..j+3 for a constant j (0..12).
fn pick(win: Window, j: u32) -> vec4<f32> {
  switch (j) {
    case 0u: { return win.v0; }
    case 1u: { return vec4<f32>(win.v0.yzw, win.v1.x); }
    case 2u: { return vec4<f32>(win.v0.zw, win.v1.xy); }
    case 3u: { return vec4<f32>(win.v0.w, win.v1.xyz); }
    case 4u: { return win.v1; }
    case 5u: { return vec4<f32>(win.v1.yzw, win.v2.x); }
    case 6u: { return vec4<f32>(win.v1.zw, win.v2.xy); }
    case 7u: { return vec4<f32>(win.v1.w, win.v2.xyz); }
    case 8u: { return win.v2; }
    case 9u: { return vec4<f32>(win.v2.yzw, win.v3.x); }
    case 10u: { return vec4<f32>(win.v2.zw, win.v3.xy); }
    case 11u: { return vec4<f32>(win.v2.w, win.v3.xyz); }
    default: { return win.v3; }
  }
}

// Offsets in w of the weights of output rows 0-3 (r0) and 4-7 (r1) of the tile, before the tap
// offset; for subgroup_bcast, lane l's own rows l and 4 + l in every component.
struct WRows { r0: vec4<u32>, r1: vec4<u32> }

// Tap weights w0 (rows 0-3) and w1 (rows 4-7) at offset k, or zero when !on.
fn tap_weights(rows: WRows, k: u32, on: bool) -> mat2x4<f32> {
  let t = tap_w(rows, k);
  return mat2x4<f32>(select(vec4<f32>(), t[0], on), select(vec4<f32>(), t[1], on));
}
