// Shared by kernels/conv_transpose1d.wgsl and kernels/conv_transpose1d_sg.wgsl (which needs its
// own module for `enable subgroups`): override constants, parameters, bindings, the fused
// prologue/epilogue, the (batch, group, 8-channel block, phase) decomposition and the tile stores.

override WG: u32 = 64;
override KU: u32 = 2;            // v2: taps unrolled per chunk, 1..8

struct ConvT1dParams {
  cin: u32, cout: u32, tin: u32, tout: u32,             // per batch item
  k: u32, stride: u32, dil: u32, pad: u32,
  cin_g: u32, cout_g: u32, row_blocks: u32, groups: u32, // row_blocks: 8-row blocks per group
  e: u32, threads: u32, n: u32, slope: f32,             // e: input step; threads per (block, phase); n: outputs (v1)
}

@group(0) @binding(0) var<uniform> params: ConvT1dParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;        // [B, Cin, Tin]
@group(0) @binding(2) var<storage, read> w: array<f32>;        // [Cin, Cout/groups, K]
@group(0) @binding(3) var<storage, read> bias: array<f32>;     // [Cout] (any buffer if !HAS_BIAS)
@group(0) @binding(4) var<storage, read> res: array<f32>;      // [B, Cout, Tout] (any if !HAS_RES)
@group(0) @binding(5) var<storage, read_write> y: array<f32>;  // [B, Cout, Tout]
@group(0) @binding(6) var<storage, read> res2: array<f32>;     // [B, Cout, Tout] (any if !HAS_RES2)

// #import conv_epilogue  (ACT/HAS_BIAS/HAS_RES/IN_ACT, epilogue, ldx/ldx4 with the input activation)
// #import conv_tile  (Acc, outer, fma_tap, pick)

// Workgroup column wx = ((b * groups + g) * row_blocks + rb) * stride + phase.
struct Block { b: u32, ci0: u32, co0: u32, col0: u32, rows: u32, phase: u32 }

fn block_of(wx: u32) -> Block {
  let phase = wx % params.stride;
  let r = wx / params.stride;
  let rb = r % params.row_blocks;
  let g = (r / params.row_blocks) % params.groups;
  let b = r / (params.row_blocks * params.groups);
  let col0 = rb * 8u;
  return Block(b, g * params.cin_g, g * params.cout_g + col0, col0, min(8u, params.cout_g - col0), phase);
}

// The phase's taps: first tap kf (or K when none), their count M, period P, first output t0.
struct Phase { kf: u32, m: u32, p: u32, t0: u32, n: u32 }

fn phase_of(ph: u32) -> Phase {
  let s = params.stride;
  var kf = params.k;
  for (var k = 0u; k < s; k++) {
    if ((k * params.dil) % s == ph) { kf = k; break; }
  }
  let p = s / gcd(s, params.dil);
  let m = select(0u, (params.k - kf + p - 1u) / p, kf < params.k);
  let t0 = (ph + s - params.pad % s) % s;               // first t >= 0 with (t + pad) % s == ph
  let n = select(0u, (params.tout - t0 + s - 1u) / s, t0 < params.tout);
  return Phase(kf, m, p, t0, n);
}

fn gcd(a0: u32, b0: u32) -> u32 {
  var a = a0;
  var b = b0;
  loop {
    if (b == 0u) { break; }
    let r = a % b;
    a = b;
    b = r;
  }
  return a;
}

// Input index i -> itself, or -1 outside [0, tin) (no contribution).
fn in_range4(i: vec4<i32>) -> vec4<i32> {
  let n = i32(params.tin);
  return select(vec4<i32>(-1), i, (i >= vec4<i32>(0)) & (i < vec4<i32>(n)));
}

// Stores a 4-row x 4-output accumulator: column c is output t[c] (valid when live[c]).
fn store4x4(blk: Block, r0: u32, a: mat4x4<f32>, t: vec4<u32>, live: vec4<bool>) {
  for (var c = 0u; c < 4u; c++) {
    if (!live[c]) { continue; }
    for (var r = 0u; r < 4u; r++) {
      if (r0 + r >= blk.rows) { break; }
      let co = blk.co0 + r0 + r;
      let o = (blk.b * params.cout + co) * params.tout + t[c];
      y[o] = epilogue(a[c][r], co, o);
    }
  }
}

// Tile outputs: the thread's 8 outputs are phase members r0 + j*e (j = 0..7), t = t0 + r*stride.
fn store_tile(blk: Block, ph: Phase, r0: u32, acc: Acc) {
  let e = params.e;
  let ra = r0 + vec4<u32>(0u, 1u, 2u, 3u) * e;
  let rb = ra + 4u * e;
  let s = params.stride;
  store4x4(blk, 0u, acc.a00, ph.t0 + ra * s, ra < vec4<u32>(ph.n));
  store4x4(blk, 0u, acc.a01, ph.t0 + rb * s, rb < vec4<u32>(ph.n));
  store4x4(blk, 4u, acc.a10, ph.t0 + ra * s, ra < vec4<u32>(ph.n));
  store4x4(blk, 4u, acc.a11, ph.t0 + rb * s, rb < vec4<u32>(ph.n));
}

// Tap mc + j (j constant; tap m is kernel index kf + m*P, zero weight past the last tap), weights
// at offset woff = c * Cout/groups * K. Output j' of tap mc + j reads window element
// j' - j + KU - 1 (the chunk's window starts at tap mc + KU - 1's input).
fn win_tap(acc: ptr<function, Acc>, j: u32, win: Window, rows: WRows, woff: u32, ph: Phase, mc: u32) {
  let m = mc + j;
  let ws = tap_weights(rows, woff + ph.kf + min(m, ph.m - 1u) * ph.p, m < ph.m);
  fma_tap(acc, ws[0], ws[1], pick(win, KU - 1u - j), pick(win, KU + 3u - j));
}

// The KU taps of one chunk against one input channel's window (v2 and v3).
fn window_taps(acc: ptr<function, Acc>, win: Window, rows: WRows, woff: u32, ph: Phase, mc: u32) {
  win_tap(acc, 0u, win, rows, woff, ph, mc);
  if (KU > 1u) { win_tap(acc, 1u, win, rows, woff, ph, mc); }
  if (KU > 2u) { win_tap(acc, 2u, win, rows, woff, ph, mc); }
  if (KU > 3u) { win_tap(acc, 3u, win, rows, woff, ph, mc); }
  if (KU > 4u) { win_tap(acc, 4u, win, rows, woff, ph, mc); }
  if (KU > 5u) { win_tap(acc, 5u, win, rows, woff, ph, mc); }
  if (KU > 6u) { win_tap(acc, 6u, win, rows, woff, ph, mc); }
  if (KU > 7u) { win_tap(acc, 7u, win, rows, woff, ph, mc); }
}

// The v2/v3 tile: 8 channels x the 8 phase outputs r0 + j*e, all input channels and taps.
fn window_tile(blk: Block, ph: Phase, r0: u32, rows: WRows) -> Acc {
  let e = params.e;
  // Input index of output r0 under tap kf; tap m shifts it by -m*e.
  let i0 = (i32(ph.t0 + r0 * params.stride + params.pad) - i32(ph.kf * params.dil)) / i32(params.stride);
  let ev = vec4<i32>(0, 1, 2, 3) * i32(e);
  var acc: Acc;
  for (var mc = 0u; mc < ph.m; mc += KU) {
    // Window element v (0 .. KU + 6) is input base + v*e, base = i0 - (mc + KU - 1)*e.
    let base = i0 - i32((mc + KU - 1u) * e);
    let m0 = in_range4(base + ev);
    let m1 = in_range4(base + 4 * i32(e) + ev);
    let m2 = in_range4(base + 8 * i32(e) + ev);
    let m3 = in_range4(base + 12 * i32(e) + ev);
    for (var c = 0u; c < params.cin_g; c++) {
      let row = (blk.b * params.cin + blk.ci0 + c) * params.tin;
      window_taps(&acc, load_window(row, m0, m1, m2, m3), rows, c * params.cout_g * params.k, ph, mc);
    }
  }
  return acc;
}
