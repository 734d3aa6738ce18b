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
// #import tile_weights

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

// v2: see the header.
@compute @workgroup_size(WG)
fn window(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let blk = block_of(wid.x);
  let ph = phase_of(blk.phase);
  let idx = wid.y * WG + li;
  let e = params.e;
  let r0 = (idx / e) * 8u * e + idx % e;
  if (idx >= params.threads || r0 >= ph.n) { return; }
  store_tile(blk, ph, r0, window_tile(blk, ph, r0, WRows(wcols(blk, 0u), wcols(blk, 4u))));
}
