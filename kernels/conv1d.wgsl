// conv1d (src/ops/conv1d.ts):
//   y[b, co, t] = act(sum_{c < Cin/groups, k < K} w[co, c, k] * xp[b, g*Cin/groups + c, t*stride + k*dil - pad_left]
//                     + bias[co]) + res[b, co, t]                      (g = co / (Cout/groups))
//   x [B, Cin, Tin], w [Cout, Cin/groups, K], bias [Cout], res/y [B, Cout, Tout]. xp is x padded
//   on the fly (PAD_MODE: zeros, reflect, replicate, circular); act/bias/res are the fused epilogue.
//
// The layer that matters (issue 2's benchmark, a 16-layer stack): Conv1d(64, 64, k=3, pad 1) on
// [1, 64, 16384].
//   FLOPs: 2 * 64*64*3 * 16384 = 402.7 MFLOP per layer (6.44 GFLOP for the stack).
//   Bytes: x 4 MiB read + y 4 MiB written + w 48 KiB = 8.4 MB; intensity ~48 FLOP/byte.
//   Floor on SwiftShader (2 CPU cores, ../shared/docs/environment.md): memory at 3-6 GB/s is 1.4-2.8 ms,
//   compute at 3-5 GFLOP/s (register-blocked matmul) is 80-135 ms. Compute-bound by ~50x, so
//   every version below is about instructions per multiply-add. onnxruntime-web's WebGPU
//   backend runs the stack at ~0.6 GFLOP/s (~10.7 s); 3x faster means >= 1.8 GFLOP/s.
//   What SwiftShader makes expensive: each load whose index is computed at run time is a
//   per-lane gather (4 scalar loads with a branch each, ~40 cycles for 4 lanes) while a
//   multiply-add on registers is ~2 instructions; loop-carried values are re-stored under the
//   lane mask every iteration; workgroup memory is zero-filled element by element at pipeline
//   creation and barriers are coroutine switches. So: big per-thread register tiles, loads
//   shared through registers (and subgroups), no workgroup memory, taps unrolled.
//
// Versions (each checked against src/ref/conv1d.ts by test/conv1d.test.ts; the op's `version`
// option forces one). Loads below are gathers per thread per input channel, for K taps.
//  v1 naive: one output per thread; 2K loads per K multiply-adds. Expect ~0.3 GFLOP/s.
//  v2 tiled: 8 output channels x 8 consecutive steps per thread (four mat4x4 accumulators);
//     8 inputs + 8 weights per tap for 64 multiply-adds: ~4x v1. Any stride and dilation.
//  v3 window: 8 channels x 8 steps spaced q apart with q*stride == dil, so tap k of step s reads
//     element s + k of one strided input window: 8 + K - 1 input loads per channel instead of
//     8K, taps unrolled KU at a time (override; padding indices mapped once per chunk, outside
//     the channel loop): ~1.5x v2. Used whenever dilation % stride == 0.
//  v4 window_sg (kernels/conv1d_sg.wgsl, needs 'subgroups'): v3 with each weight load shared
//     by 4 lanes through subgroupBroadcast (2K weight loads instead of 8K): ~1.4x v3.
//  v5 thin: for Cout/groups <= 2 (depthwise convs, 1-channel output layers), where the 8-row
//     tile wastes most of its work: 1 channel x 32 steps per thread, all lanes of a workgroup
//     on the same channel (one weight load per 32 multiply-adds), window of 32 + KU - 1.
//  The grid is [row blocks (b, group, 8 channels), step tiles / WG]: x-fastest, so the 8 row
//  blocks that read the same input steps run back to back and share them in cache (-6%).
//  Measured 2026-11 on the 2-core dev box, shared with other jobs (load 10-18, so wall times
//  are 2-4x CPU time; GFLOP per CPU-second of the process is the figure that carries over;
//  SwiftShader spreads workgroups over the cores it gets). Node/Dawn, robustness off, 64->64 k3:
//    T=4096 layer   v1 naive 0.16   v2 tiled 0.64   v3 window 1.66   v4 window_sg 2.19 GFLOP/cpu-s
//    16-layer stack T=16384 (v4): 3.0-3.3 s CPU (1.9-2.2 GFLOP/cpu-s); robustness on: ~15% more.
//    Output layer 32->1 k7 T=65536: v4 0.27, v5 thin 1.39 GFLOP/cpu-s; depthwise 256 k7: 0.26.
//  Chromium, same page as onnxruntime-web 1.30 (bench/peers/conv_stack.ts, robustness on, load ~16):
//  the stack upload+run+read 4.7 s vs onnxruntime-web WebGPU 67.6 s (14x) and WASM 1.9 s (0.4x).

// #import conv1d_common  (overrides, Params, bindings, padding, epilogue, Block, store4x4, tile)
// #import tile_weights

// v1: one output per thread.
@compute @workgroup_size(WG)
fn naive(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) { return; }
  let t = i % params.tout;
  let co = (i / params.tout) % params.cout;
  let b = i / (params.tout * params.cout);
  let ci0 = (co / params.cout_g) * params.cin_g;
  var acc = 0.0;
  for (var c = 0u; c < params.cin_g; c++) {
    let row = (b * params.cin + ci0 + c) * params.tin;
    let wrow = (co * params.cin_g + c) * params.k;
    for (var k = 0u; k < params.k; k++) {
      let m = map_pos(i32(t * params.stride + k * params.dil) - params.pad_left);
      acc += w[wrow + k] * ldx(row, m);
    }
  }
  y[i] = epilogue(acc, co, i);
}

// Weight rows co0 + r (clamped into the block), as offsets of w[co, 0, 0].
fn wrows(blk: Block, r0: u32) -> vec4<u32> {
  let last = blk.rows - 1u;
  let s = params.cin_g * params.k;
  return vec4<u32>(blk.co0 + min(r0, last), blk.co0 + min(r0 + 1u, last), blk.co0 + min(r0 + 2u, last), blk.co0 + min(r0 + 3u, last)) * s;
}

// v2: 8 channels x 8 consecutive steps per thread, any stride/dilation.
@compute @workgroup_size(WG)
fn tiled(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let idx = wid.y * WG + li;
  if (idx >= params.threads) { return; }
  let blk = block_of(wid.x);
  let t0 = idx * 8u;
  let wr0 = wrows(blk, 0u);
  let wr1 = wrows(blk, 4u);
  let st = i32(params.stride);
  var a00 = mat4x4<f32>(); var a01 = mat4x4<f32>(); var a10 = mat4x4<f32>(); var a11 = mat4x4<f32>();
  for (var c = 0u; c < params.cin_g; c++) {
    let row = (blk.b * params.cin + blk.ci0 + c) * params.tin;
    for (var k = 0u; k < params.k; k++) {
      let p = i32(t0 * params.stride + k * params.dil) - params.pad_left;
      let xa = ldx4(row, map_pos4(vec4<i32>(p, p + st, p + 2 * st, p + 3 * st)));
      let xb = ldx4(row, map_pos4(vec4<i32>(p + 4 * st, p + 5 * st, p + 6 * st, p + 7 * st)));
      let off = c * params.k + k;
      let w0 = ldw4(wr0, off);
      let w1 = ldw4(wr1, off);
      a00 += outer(w0, xa); a01 += outer(w0, xb); a10 += outer(w1, xa); a11 += outer(w1, xb);
    }
  }
  let ta = vec4<u32>(t0, t0 + 1u, t0 + 2u, t0 + 3u);
  store4x4(blk, 0u, a00, ta); store4x4(blk, 0u, a01, ta + 4u);
  store4x4(blk, 4u, a10, ta); store4x4(blk, 4u, a11, ta + 4u);
}

// v3: 8 channels x 8 steps t0 + s*q (q*stride == dil): tap k of step s reads window element
// s + k of the strided input window, so one window load per input channel serves KU taps.
@compute @workgroup_size(WG)
fn window(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let idx = wid.y * WG + li;
  if (idx >= params.threads) { return; }
  let blk = block_of(wid.x);
  let q = params.q;
  let t0 = (idx / q) * 8u * q + idx % q;
  store_window(blk, t0, q, window_tile(blk, t0, WRows(wrows(blk, 0u), wrows(blk, 4u))));
}

// ---- v5 thin: one output channel x 32 steps per thread, for Cout/groups <= 2 ----
// (depthwise convs, the 1-channel output layer of a vocoder). The 8-row tile would waste 7/8
// of its multiply-adds there; here every lane of a workgroup shares (b, co), so the one weight
// per tap is a single load for 32 multiply-adds and the input window (32 + KU - 1 values) is
// loaded once per channel.
struct Thin { acc: array<vec4<f32>, 8>, win: array<f32, 40> }

// Tap j (constant) for all 32 steps: acc[i] += wt * win[j + 4i .. j + 4i + 3].
fn thin_tap(s: ptr<function, Thin>, wt: f32, j: u32) {
  (*s).acc[0] += wt * vec4<f32>((*s).win[j], (*s).win[j + 1u], (*s).win[j + 2u], (*s).win[j + 3u]);
  (*s).acc[1] += wt * vec4<f32>((*s).win[j + 4u], (*s).win[j + 5u], (*s).win[j + 6u], (*s).win[j + 7u]);
  (*s).acc[2] += wt * vec4<f32>((*s).win[j + 8u], (*s).win[j + 9u], (*s).win[j + 10u], (*s).win[j + 11u]);
  (*s).acc[3] += wt * vec4<f32>((*s).win[j + 12u], (*s).win[j + 13u], (*s).win[j + 14u], (*s).win[j + 15u]);
  (*s).acc[4] += wt * vec4<f32>((*s).win[j + 16u], (*s).win[j + 17u], (*s).win[j + 18u], (*s).win[j + 19u]);
  (*s).acc[5] += wt * vec4<f32>((*s).win[j + 20u], (*s).win[j + 21u], (*s).win[j + 22u], (*s).win[j + 23u]);
  (*s).acc[6] += wt * vec4<f32>((*s).win[j + 24u], (*s).win[j + 25u], (*s).win[j + 26u], (*s).win[j + 27u]);
  (*s).acc[7] += wt * vec4<f32>((*s).win[j + 28u], (*s).win[j + 29u], (*s).win[j + 30u], (*s).win[j + 31u]);
}

// Window elements 4v..4v+3 (v constant) of input row `row`, at mapped indices m.
fn thin_load4(s: ptr<function, Thin>, row: u32, m: vec4<i32>, v: u32) {
  let x4 = ldx4(row, m);
  (*s).win[4u * v] = x4.x; (*s).win[4u * v + 1u] = x4.y; (*s).win[4u * v + 2u] = x4.z; (*s).win[4u * v + 3u] = x4.w;
}

// Tap j of a chunk: weight w[co, c, kc + j], zero past the last tap (kv taps left).
fn thin_w(wrow: u32, j: u32, kv: u32) -> f32 {
  return select(0.0, w[wrow + min(j, kv - 1u)], j < kv);
}

@compute @workgroup_size(WG)
fn thin(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let idx = wid.y * WG + li;
  if (idx >= params.threads) { return; }
  let co = wid.x % params.cout;
  let b = wid.x / params.cout;
  let ci0 = (co / params.cout_g) * params.cin_g;
  let q = params.q;
  let t0 = (idx / q) * 32u * q + idx % q;
  let d = i32(params.dil);
  let dv = vec4<i32>(0, d, 2 * d, 3 * d);
  var s: Thin;
  for (var kc = 0u; kc < params.k; kc += KU) {
    let p = i32(t0 * params.stride + kc * params.dil) - params.pad_left;
    var m: array<vec4<i32>, 10>;
    for (var v = 0; v < 10; v++) { m[v] = map_pos4(p + 4 * v * d + dv); }
    let m0 = m[0]; let m1 = m[1]; let m2 = m[2]; let m3 = m[3]; let m4 = m[4];
    let m5 = m[5]; let m6 = m[6]; let m7 = m[7]; let m8 = m[8]; let m9 = m[9];
    let kv = params.k - kc;
    for (var c = 0u; c < params.cin_g; c++) {
      let row = (b * params.cin + ci0 + c) * params.tin;
      thin_load4(&s, row, m0, 0u); thin_load4(&s, row, m1, 1u); thin_load4(&s, row, m2, 2u); thin_load4(&s, row, m3, 3u);
      thin_load4(&s, row, m4, 4u); thin_load4(&s, row, m5, 5u); thin_load4(&s, row, m6, 6u); thin_load4(&s, row, m7, 7u);
      if (KU > 1u) { thin_load4(&s, row, m8, 8u); }
      if (KU > 5u) { thin_load4(&s, row, m9, 9u); }
      let wrow = (co * params.cin_g + c) * params.k + kc;
      thin_tap(&s, thin_w(wrow, 0u, kv), 0u);
      if (KU > 1u) { thin_tap(&s, thin_w(wrow, 1u, kv), 1u); }
      if (KU > 2u) { thin_tap(&s, thin_w(wrow, 2u, kv), 2u); }
      if (KU > 3u) { thin_tap(&s, thin_w(wrow, 3u, kv), 3u); }
      if (KU > 4u) { thin_tap(&s, thin_w(wrow, 4u, kv), 4u); }
      if (KU > 5u) { thin_tap(&s, thin_w(wrow, 5u, kv), 5u); }
      if (KU > 6u) { thin_tap(&s, thin_w(wrow, 6u, kv), 6u); }
      if (KU > 7u) { thin_tap(&s, thin_w(wrow, 7u, kv), 7u); }
    }
  }
  let base = (b * params.cout + co) * params.tout;
  thin_store(base, co, t0, q, s.acc[0]); thin_store(base, co, t0 + 4u * q, q, s.acc[1]);
  thin_store(base, co, t0 + 8u * q, q, s.acc[2]); thin_store(base, co, t0 + 12u * q, q, s.acc[3]);
  thin_store(base, co, t0 + 16u * q, q, s.acc[4]); thin_store(base, co, t0 + 20u * q, q, s.acc[5]);
  thin_store(base, co, t0 + 24u * q, q, s.acc[6]); thin_store(base, co, t0 + 28u * q, q, s.acc[7]);
}

// Steps t, t + q, t + 2q, t + 3q of row `base` (those before tout).
fn thin_store(base: u32, co: u32, t: u32, q: u32, a: vec4<f32>) {
  for (var i = 0u; i < 4u; i++) {
    let ti = t + i * q;
    if (ti < params.tout) { y[base + ti] = epilogue(a[i], co, base + ti); }
  }
}
