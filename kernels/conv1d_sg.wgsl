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
  let rows = WRows(vec4<u32>((blk.co0 + min(lane, blk.rows - 1u)) * s), vec4<u32>((blk.co0 + min(lane + 4u, blk.rows - 1u)) * s));
  let acc = window_tile(blk, t0, rows);
  if (live) { store_window(blk, t0, q, acc); }
}
