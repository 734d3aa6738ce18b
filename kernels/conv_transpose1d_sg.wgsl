// conv_transpose1d v3 window_sg (src/ops/conv_transpose1d.ts): the v2 'window' kernel of
// kernels/conv_transpose1d.wgsl with its weight loads shared through subgroupBroadcast (lane l
// of each subgroup loads rows l and 4 + l; all lanes of a workgroup use the same weights).
// Separate because `enable subgroups` fails to compile without the feature; the helpers are
// copies of conv_transpose1d.wgsl's. All lanes stay active until the stores (uniform control
// flow for subgroupBroadcast); threads past the end compute a clamped tile and store nothing.
enable subgroups;
// #import math

override WG: u32 = 64;
override KU: u32 = 2;            // v2: taps unrolled per chunk, 1..8
override ACT: u32 = 0;           // 0 none, 1 relu, 2 leaky_relu(slope), 3 tanh, 4 sigmoid
override HAS_BIAS: bool = false;
override HAS_RES: bool = false;

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

fn activate(v: f32) -> f32 {
  if (ACT == 1u) { return max(v, 0.0); }
  if (ACT == 2u) { return select(params.slope * v, v, v >= 0.0); }
  if (ACT == 3u) { return stable_tanh(v); }
  if (ACT == 4u) { return sigmoid(v); }
  return v;
}

fn epilogue(acc: f32, co: u32, o: u32) -> f32 {
  var v = acc;
  if (HAS_BIAS) { v += bias[co]; }
  v = activate(v);
  if (HAS_RES) { v += res[o]; }
  return v;
}

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

fn outer(wv: vec4<f32>, xv: vec4<f32>) -> mat4x4<f32> {
  return mat4x4<f32>(wv * xv.x, wv * xv.y, wv * xv.z, wv * xv.w);
}

struct Acc { a00: mat4x4<f32>, a01: mat4x4<f32>, a10: mat4x4<f32>, a11: mat4x4<f32> }

fn fma_tap(acc: ptr<function, Acc>, w0: vec4<f32>, w1: vec4<f32>, xa: vec4<f32>, xb: vec4<f32>) {
  (*acc).a00 += outer(w0, xa); (*acc).a01 += outer(w0, xb);
  (*acc).a10 += outer(w1, xa); (*acc).a11 += outer(w1, xb);
}

// Window element j..j+3 of (W0, W1, W2, W3) for a constant j (0..12).
fn pick(W0: vec4<f32>, W1: vec4<f32>, W2: vec4<f32>, W3: vec4<f32>, j: u32) -> vec4<f32> {
  switch (j) {
    case 0u: { return W0; }
    case 1u: { return vec4<f32>(W0.yzw, W1.x); }
    case 2u: { return vec4<f32>(W0.zw, W1.xy); }
    case 3u: { return vec4<f32>(W0.w, W1.xyz); }
    case 4u: { return W1; }
    case 5u: { return vec4<f32>(W1.yzw, W2.x); }
    case 6u: { return vec4<f32>(W1.zw, W2.xy); }
    case 7u: { return vec4<f32>(W1.w, W2.xyz); }
    case 8u: { return W2; }
    case 9u: { return vec4<f32>(W2.yzw, W3.x); }
    case 10u: { return vec4<f32>(W2.zw, W3.xy); }
    case 11u: { return vec4<f32>(W2.w, W3.xyz); }
    default: { return W3; }
  }
}

// Input index i -> itself, or -1 outside [0, tin) (no contribution).
fn in_range4(i: vec4<i32>) -> vec4<i32> {
  let n = i32(params.tin);
  return select(vec4<i32>(-1), i, (i >= vec4<i32>(0)) & (i < vec4<i32>(n)));
}

fn ldx(row: u32, m: i32) -> f32 {
  return select(0.0, x[row + u32(max(m, 0))], m >= 0);
}

fn ldx4(row: u32, m: vec4<i32>) -> vec4<f32> {
  return vec4<f32>(ldx(row, m.x), ldx(row, m.y), ldx(row, m.z), ldx(row, m.w));
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

// Lane i's value of v, for i = 0..3, in every lane.
fn bcast4(v: f32) -> vec4<f32> {
  return vec4<f32>(subgroupBroadcast(v, 0u), subgroupBroadcast(v, 1u), subgroupBroadcast(v, 2u), subgroupBroadcast(v, 3u));
}

// Tap mc + j (j constant; tap m is kernel index kf + m*P, zero weight past the last tap).
fn win_tap(acc: ptr<function, Acc>, j: u32, W0: vec4<f32>, W1: vec4<f32>, W2: vec4<f32>, W3: vec4<f32>, wl0: u32, wl1: u32, woff: u32, ph: Phase, mc: u32) {
  let m = mc + j;
  let on = m < ph.m;
  let k = ph.kf + min(m, ph.m - 1u) * ph.p;
  let w0 = select(vec4<f32>(), bcast4(w[wl0 + woff + k]), on);
  let w1 = select(vec4<f32>(), bcast4(w[wl1 + woff + k]), on);
  // Output j' of tap mc + j reads window element j' - j + KU - 1 (the chunk base is tap mc + KU - 1's).
  fma_tap(acc, w0, w1, pick(W0, W1, W2, W3, KU - 1u - j), pick(W0, W1, W2, W3, KU + 3u - j));
}

// v3: v2 with subgroup-shared weights.
@compute @workgroup_size(WG)
fn window_sg(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let blk = block_of(wid.x);
  let ph = phase_of(blk.phase);
  let idx = wid.y * WG + li;
  let e = params.e;
  let r0 = (idx / e) * 8u * e + idx % e;
  let live = idx < params.threads && r0 < ph.n;
  // Input index of output r0 under tap kf; tap m shifts it by -m*e.
  let i0 = (i32(ph.t0 + r0 * params.stride + params.pad) - i32(ph.kf * params.dil)) / i32(params.stride);
  let lane = sl & 3u;     // subgroup lane, not li: WGSL does not tie the two together
  let wbase = blk.ci0 * params.cout_g + blk.col0;
  let wl0 = (wbase + min(lane, blk.rows - 1u)) * params.k;
  let wl1 = (wbase + min(lane + 4u, blk.rows - 1u)) * params.k;
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
      let W0 = ldx4(row, m0);
      let W1 = ldx4(row, m1);
      var W2 = vec4<f32>();
      var W3 = vec4<f32>();
      if (KU > 1u) { W2.x = ldx(row, m2.x); }
      if (KU > 2u) { W2.y = ldx(row, m2.y); }
      if (KU > 3u) { W2.z = ldx(row, m2.z); }
      if (KU > 4u) { W2.w = ldx(row, m2.w); }
      if (KU > 5u) { W3.x = ldx(row, m3.x); }
      if (KU > 6u) { W3.y = ldx(row, m3.y); }
      if (KU > 7u) { W3.z = ldx(row, m3.z); }
      let woff = c * params.cout_g * params.k;
      win_tap(&acc, 0u, W0, W1, W2, W3, wl0, wl1, woff, ph, mc);
      if (KU > 1u) { win_tap(&acc, 1u, W0, W1, W2, W3, wl0, wl1, woff, ph, mc); }
      if (KU > 2u) { win_tap(&acc, 2u, W0, W1, W2, W3, wl0, wl1, woff, ph, mc); }
      if (KU > 3u) { win_tap(&acc, 3u, W0, W1, W2, W3, wl0, wl1, woff, ph, mc); }
      if (KU > 4u) { win_tap(&acc, 4u, W0, W1, W2, W3, wl0, wl1, woff, ph, mc); }
      if (KU > 5u) { win_tap(&acc, 5u, W0, W1, W2, W3, wl0, wl1, woff, ph, mc); }
      if (KU > 6u) { win_tap(&acc, 6u, W0, W1, W2, W3, wl0, wl1, woff, ph, mc); }
      if (KU > 7u) { win_tap(&acc, 7u, W0, W1, W2, W3, wl0, wl1, woff, ph, mc); }
    }
  }
  if (live) { store_tile(blk, ph, r0, acc); }
}
