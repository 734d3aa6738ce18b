// Shared by kernels/conv1d.wgsl and kernels/conv1d_sg.wgsl (which needs its own module for
// `enable subgroups`): override constants, parameters, bindings, padding, the fused
// prologue/epilogue, and the 8-row output block with its stores.

override WG: u32 = 64;
override KU: u32 = 3;            // v3: taps unrolled per chunk, 1..8
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
@group(0) @binding(6) var<storage, read> res2: array<f32>;     // [B, Cout, Tout] (any if !HAS_RES2)

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

// #import conv_epilogue  (ACT/HAS_BIAS/HAS_RES/IN_ACT, epilogue, ldx/ldx4 with the input activation)
// #import conv_tile  (Acc, outer, fma_tap, pick)

// The 8-row block of workgroup row `wy`: batch item, first input channel of its group, first
// output channel, and how many of its 8 rows exist (the last block of a group may be short).
struct Block { b: u32, ci0: u32, co0: u32, rows: u32 }

fn block_of(wy: u32) -> Block {
  let rb = wy % params.row_blocks;
  let g = (wy / params.row_blocks) % params.groups;
  let b = wy / (params.row_blocks * params.groups);
  let r0 = rb * 8u;
  return Block(b, g * params.cin_g, g * params.cout_g + r0, min(8u, params.cout_g - r0));
}

// Stores a 4-row x 4-step accumulator: column c is step t[c], row r is channel co + r.
fn store4x4(blk: Block, r0: u32, a: mat4x4<f32>, t: vec4<u32>) {
  for (var c = 0u; c < 4u; c++) {
    if (t[c] >= params.tout) { continue; }
    for (var r = 0u; r < 4u; r++) {
      if (r0 + r >= blk.rows) { break; }
      let co = blk.co0 + r0 + r;
      let o = (blk.b * params.cout + co) * params.tout + t[c];
      y[o] = epilogue(a[c][r], co, o);
    }
  }
}

// Tap j (constant) of a chunk: weights w[rows, c, kc + j] at offset off = c*K + kc (zero past
// the last tap, kv taps left); step s reads window element s + j.
fn win_tap(acc: ptr<function, Acc>, j: u32, win: Window, rows: WRows, off: u32, kv: u32) {
  let ws = tap_weights(rows, off + min(j, kv - 1u), j < kv);
  fma_tap(acc, ws[0], ws[1], pick(win, j), pick(win, j + 4u));
}

// The KU taps of one chunk against one input channel's window (v3 and v4).
fn window_taps(acc: ptr<function, Acc>, win: Window, rows: WRows, off: u32, kv: u32) {
  win_tap(acc, 0u, win, rows, off, kv);
  if (KU > 1u) { win_tap(acc, 1u, win, rows, off, kv); }
  if (KU > 2u) { win_tap(acc, 2u, win, rows, off, kv); }
  if (KU > 3u) { win_tap(acc, 3u, win, rows, off, kv); }
  if (KU > 4u) { win_tap(acc, 4u, win, rows, off, kv); }
  if (KU > 5u) { win_tap(acc, 5u, win, rows, off, kv); }
  if (KU > 6u) { win_tap(acc, 6u, win, rows, off, kv); }
  if (KU > 7u) { win_tap(acc, 7u, win, rows, off, kv); }
}

// The v3/v4 tile: 8 channels x 8 steps t0 + s*q (q*stride == dil), all input channels and taps.
fn window_tile(blk: Block, t0: u32, rows: WRows) -> Acc {
  let d = i32(params.dil);
  let dv = vec4<i32>(0, d, 2 * d, 3 * d);
  var acc: Acc;
  for (var kc = 0u; kc < params.k; kc += KU) {
    // Window element m sits at padded position p + m*dil; map the 8 + KU - 1 of them once.
    let p = i32(t0 * params.stride + kc * params.dil) - params.pad_left;
    let m0 = map_pos4(p + dv);
    let m1 = map_pos4(p + 4 * d + dv);
    let m2 = map_pos4(p + 8 * d + dv);
    let m3 = map_pos4(p + 12 * d + dv);
    let kv = params.k - kc;
    for (var c = 0u; c < params.cin_g; c++) {
      let row = (blk.b * params.cin + blk.ci0 + c) * params.tin;
      window_taps(&acc, load_window(row, m0, m1, m2, m3), rows, c * params.k + kc, kv);
    }
  }
  return acc;
}

fn store_window(blk: Block, t0: u32, q: u32, acc: Acc) {
  let ta = t0 + vec4<u32>(0u, 1u, 2u, 3u) * q;
  store4x4(blk, 0u, acc.a00, ta); store4x4(blk, 0u, acc.a01, ta + 4u * q);
  store4x4(blk, 4u, acc.a10, ta); store4x4(blk, 4u, acc.a11, ta + 4u * q);
}
