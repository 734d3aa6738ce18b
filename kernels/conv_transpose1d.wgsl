// conv_transpose1d (src/ops/conv_transpose1d.ts), written as a gather (no atomics):
//   y[b, co, t] = act(bias[co] + sum_{c < Cin/groups} sum_{k : t + pad = i*stride + k*dil, 0 <= i < Tin}
//                     x[b, g*Cin/groups + c, i] * w[g*Cin/groups + c, co - g*Cout/groups, k]) + res[b, co, t]
//   x [B, Cin, Tin], w [Cin, Cout/groups, K] (torch layout), y [B, Cout, Tout],
//   Tout = (Tin - 1)*stride - 2*pad + dil*(K - 1) + output_padding + 1.
//
// Polyphase view: output t only meets taps k with k*dil = t + pad (mod stride). Outputs of one
// phase phi = (t + pad) mod stride share that tap set {kf, kf + P, kf + 2P, ...}
// (P = stride / gcd(stride, dil)), and tap kf + m*P of output t reads input
// i = (t + pad - kf*dil)/stride - m*e (e = dil / gcd(stride, dil); 1 when dil = 1).
//
// Versions (checked against src/ref/conv_transpose1d.ts by test/conv_transpose1d.test.ts):
//  v1 naive: one output per thread, every (c, k) tested for divisibility. One weight and one
//     input load per multiply-add, and K/stride of the taps do work: ~0.3 GFLOP/s at best.
//  v2 window: a workgroup takes one (batch, group, 8-channel block, phase); a thread computes 8
//     channels x 8 outputs of that phase spaced stride*e apart, so tap m of its output j reads
//     element j - m of one input window on a step-e grid: 8 + M - 1 input loads per channel
//     serve all M taps of the phase (taps unrolled KU at a time) and no thread tests a tap that
//     misses. The same register tile as conv1d's window kernel (kernels/conv1d.wgsl).
//  v3 window_sg (kernels/conv_transpose1d_sg.wgsl, needs 'subgroups'): v2 with subgroup-shared
//     weight loads.
//  The workgroup size drops to 32/16 when a phase has few outputs (HiFi-GAN's first upsampler:
//  256 inputs -> 32 threads per phase; 1.1 -> 1.9 GFLOP/cpu-s).
//  Measured (Node/Dawn/SwiftShader, robustness off, GFLOP per CPU-second, busy 2-core box):
//    64->32 k16 s8 T=256: v1 0.02, v2 1.52, v3 1.43 (noise: equal); MelGAN 256->128 k16 s8
//    T=1024: 1.62; HiFi-GAN 512->256 k16 s8 T=256: 1.90; 64->32 k4 s2 T=16384: 1.58.
// #import conv_transpose1d_common  (overrides, Params, bindings, epilogue, Block, Phase, stores, tile)

// v1: one output per thread.
@compute @workgroup_size(WG)
fn naive(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = gid.x + gid.y * nwg.x * WG;
  if (o >= params.n) { return; }
  let t = o % params.tout;
  let co = (o / params.tout) % params.cout;
  let b = o / (params.tout * params.cout);
  let g = co / params.cout_g;
  let col = co - g * params.cout_g;
  let u = i32(t + params.pad);
  var acc = 0.0;
  for (var c = 0u; c < params.cin_g; c++) {
    let ci = g * params.cin_g + c;
    for (var k = 0u; k < params.k; k++) {
      let num = u - i32(k * params.dil);
      let i = num / i32(params.stride);
      if (num >= 0 && num % i32(params.stride) == 0 && i < i32(params.tin)) {
        acc += in_act(x[(b * params.cin + ci) * params.tin + u32(i)]) * w[(ci * params.cout_g + col) * params.k + k];
      }
    }
  }
  y[o] = epilogue(acc, co, o);
}

// Weight offsets of w[ci0, col0 + r, 0] for rows r0..r0+3 (clamped into the block).
fn wcols(blk: Block, r0: u32) -> vec4<u32> {
  let last = blk.rows - 1u;
  let base = blk.ci0 * params.cout_g + blk.col0;
  return (base + vec4<u32>(min(r0, last), min(r0 + 1u, last), min(r0 + 2u, last), min(r0 + 3u, last))) * params.k;
}

fn ldw4(cols: vec4<u32>, off: u32) -> vec4<f32> {
  return vec4<f32>(w[cols.x + off], w[cols.y + off], w[cols.z + off], w[cols.w + off]);
}

// Tap mc + j (j constant; tap m is kernel index kf + m*P, zero weight past the last tap).
fn win_tap(acc: ptr<function, Acc>, j: u32, W0: vec4<f32>, W1: vec4<f32>, W2: vec4<f32>, W3: vec4<f32>, wc0: vec4<u32>, wc1: vec4<u32>, woff: u32, ph: Phase, mc: u32) {
  let m = mc + j;
  let on = m < ph.m;
  let k = ph.kf + min(m, ph.m - 1u) * ph.p;
  let w0 = select(vec4<f32>(), ldw4(wc0, woff + k), on);
  let w1 = select(vec4<f32>(), ldw4(wc1, woff + k), on);
  // Output j' of tap mc + j reads window element j' - j + KU - 1 (the chunk base is tap mc + KU - 1's).
  fma_tap(acc, w0, w1, pick(W0, W1, W2, W3, KU - 1u - j), pick(W0, W1, W2, W3, KU + 3u - j));
}

// v2: see the header.
@compute @workgroup_size(WG)
fn window(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let blk = block_of(wid.x);
  let ph = phase_of(blk.phase);
  let idx = wid.y * WG + li;
  let e = params.e;
  let r0 = (idx / e) * 8u * e + idx % e;
  if (idx >= params.threads || r0 >= ph.n) { return; }
  // Input index of output r0 under tap kf; tap m shifts it by -m*e.
  let i0 = (i32(ph.t0 + r0 * params.stride + params.pad) - i32(ph.kf * params.dil)) / i32(params.stride);
  let wc0 = wcols(blk, 0u);
  let wc1 = wcols(blk, 4u);
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
      win_tap(&acc, 0u, W0, W1, W2, W3, wc0, wc1, woff, ph, mc);
      if (KU > 1u) { win_tap(&acc, 1u, W0, W1, W2, W3, wc0, wc1, woff, ph, mc); }
      if (KU > 2u) { win_tap(&acc, 2u, W0, W1, W2, W3, wc0, wc1, woff, ph, mc); }
      if (KU > 3u) { win_tap(&acc, 3u, W0, W1, W2, W3, wc0, wc1, woff, ph, mc); }
      if (KU > 4u) { win_tap(&acc, 4u, W0, W1, W2, W3, wc0, wc1, woff, ph, mc); }
      if (KU > 5u) { win_tap(&acc, 5u, W0, W1, W2, W3, wc0, wc1, woff, ph, mc); }
      if (KU > 6u) { win_tap(&acc, 6u, W0, W1, W2, W3, wc0, wc1, woff, ph, mc); }
      if (KU > 7u) { win_tap(&acc, 7u, W0, W1, W2, W3, wc0, wc1, woff, ph, mc); }
    }
  }
  store_tile(blk, ph, r0, acc);
}
