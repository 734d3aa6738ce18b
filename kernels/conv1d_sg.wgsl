// conv1d v4 window_sg (src/ops/conv1d.ts): the v3 'window' kernel of kernels/conv1d.wgsl with
// its weight loads shared through subgroups. Every weight is the same for all threads of a
// workgroup (one 8-row block), so subgroup lane l (l = 0..3) loads rows l and 4 + l and
// subgroupBroadcast hands all 8 to every lane: 2 loads per tap instead of 8. Correct for any
// subgroup size >= 4 (WebGPU's minimum). On SwiftShader each load with a computed index is a
// 4-lane gather (~40 cycles) while a broadcast is a few vector instructions.
// This file is separate because `enable subgroups` fails to compile on devices without the
// feature; everything but the weight loads is shared through kernels/lib/conv1d_common.wgsl.
// All lanes stay active to the end (subgroupBroadcast needs uniform control flow): threads
// past the end compute a clamped tile and skip the stores.
enable subgroups;
// #import conv1d_common  (overrides, Params, bindings, padding, epilogue, Block, store4x4, tile)
// #import subgroup_bcast

fn win_tap(acc: ptr<function, Acc>, j: u32, W0: vec4<f32>, W1: vec4<f32>, W2: vec4<f32>, W3: vec4<f32>, wl0: u32, wl1: u32, off: u32, kv: u32) {
  let kj = off + min(j, kv - 1u);
  let on = j < kv;
  let w0 = select(vec4<f32>(), bcast4(w[wl0 + kj]), on);
  let w1 = select(vec4<f32>(), bcast4(w[wl1 + kj]), on);
  fma_tap(acc, w0, w1, pick(W0, W1, W2, W3, j), pick(W0, W1, W2, W3, j + 4u));
}

// v4: as v3 (kernels/conv1d.wgsl) with subgroup-shared weights.
@compute @workgroup_size(WG)
fn window_sg(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let live = wid.y * WG + li < params.threads;
  let idx = min(wid.y * WG + li, params.threads - 1u);
  let blk = block_of(wid.x);
  let q = params.q;
  let t0 = (idx / q) * 8u * q + idx % q;
  let lane = sl & 3u;     // subgroup lane, not li: WGSL does not tie the two together
  let s = params.cin_g * params.k;
  let wl0 = (blk.co0 + min(lane, blk.rows - 1u)) * s;
  let wl1 = (blk.co0 + min(lane + 4u, blk.rows - 1u)) * s;
  let d = i32(params.dil);
  let dv = vec4<i32>(0, d, 2 * d, 3 * d);
  var acc: Acc;
  for (var kc = 0u; kc < params.k; kc += KU) {
    let p = i32(t0 * params.stride + kc * params.dil) - params.pad_left;
    let m0 = map_pos4(p + dv);
    let m1 = map_pos4(p + 4 * d + dv);
    let m2 = map_pos4(p + 8 * d + dv);
    let m3 = map_pos4(p + 12 * d + dv);
    let kv = params.k - kc;
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
      let off = c * params.k + kc;
      win_tap(&acc, 0u, W0, W1, W2, W3, wl0, wl1, off, kv);
      if (KU > 1u) { win_tap(&acc, 1u, W0, W1, W2, W3, wl0, wl1, off, kv); }
      if (KU > 2u) { win_tap(&acc, 2u, W0, W1, W2, W3, wl0, wl1, off, kv); }
      if (KU > 3u) { win_tap(&acc, 3u, W0, W1, W2, W3, wl0, wl1, off, kv); }
      if (KU > 4u) { win_tap(&acc, 4u, W0, W1, W2, W3, wl0, wl1, off, kv); }
      if (KU > 5u) { win_tap(&acc, 5u, W0, W1, W2, W3, wl0, wl1, off, kv); }
      if (KU > 6u) { win_tap(&acc, 6u, W0, W1, W2, W3, wl0, wl1, off, kv); }
      if (KU > 7u) { win_tap(&acc, 7u, W0, W1, W2, W3, wl0, wl1, off, kv); }
    }
  }
  if (!live) { return; }
  let ta = t0 + vec4<u32>(0u, 1u, 2u, 3u) * q;
  store4x4(blk, 0u, acc.a00, ta); store4x4(blk, 0u, acc.a01, ta + 4u * q);
  store4x4(blk, 4u, acc.a10, ta); store4x4(blk, 4u, acc.a11, ta + 4u * q);
}
