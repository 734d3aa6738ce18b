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

// v3: v2 with subgroup-shared weights.
@compute @workgroup_size(WG)
fn window_sg(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32, @builtin(subgroup_invocation_id) sl: u32) {
  let blk = block_of(wid.x);
  let ph = phase_of(blk.phase);
  let idx = wid.y * WG + li;
  let e = params.e;
  let r0 = (idx / e) * 8u * e + idx % e;
  let live = idx < params.threads && r0 < ph.n;
  let lane = sl & 3u;     // subgroup lane, not li: WGSL does not tie the two together
  let wbase = blk.ci0 * params.cout_g + blk.col0;
  let rows = WRows(vec4<u32>((wbase + min(lane, blk.rows - 1u)) * params.k), vec4<u32>((wbase + min(lane + 4u, blk.rows - 1u)) * params.k));
  let acc = window_tile(blk, ph, r0, rows);
  if (live) { store_tile(blk, ph, r0, acc); }
}
