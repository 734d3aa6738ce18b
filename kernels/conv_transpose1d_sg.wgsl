// conv_transpose1d v3 window_sg (src/ops/conv_transpose1d.ts): the v2 'window' kernel of
// kernels/conv_transpose1d.wgsl with its weight loads shared through subgroupBroadcast (lane l
// of each subgroup loads rows l and 4 + l; all lanes of a workgroup use the same weights).
// Separate because `enable subgroups` fails to compile without the feature; everything but the
// weight loads is shared through kernels/lib/conv_transpose1d_common.wgsl. All lanes stay active
// until the stores (uniform control flow for subgroupBroadcast); threads past the end compute a
// clamped tile and store nothing.
enable subgroups;
// #import conv_transpose1d_common  (overrides, Params, bindings, epilogue, Block, Phase, stores, tile)
// #import subgroup_bcast

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
