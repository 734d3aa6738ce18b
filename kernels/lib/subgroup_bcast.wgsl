// For kernels that `enable subgroups`: lane i's value of v, for i = 0..3, in every lane (weights
// loaded once per subgroup and shared; all lanes must be active: uniform control flow).
fn bcast4(v: f32) -> vec4<f32> {
  return vec4<f32>(subgroupBroadcast(v, 0u), subgroupBroadcast(v, 1u), subgroupBroadcast(v, 2u), subgroupBroadcast(v, 3u));
}

// Weight loads of the window convolution tile (kernels/lib/conv_tile.wgsl) with subgroups: lane
// l (0..3) loads rows l and 4 + l (WRows holds its own offsets), and the 8 weights are
// broadcast to every lane: 2 loads per tap instead of 8.
fn tap_w(rows: WRows, k: u32) -> mat2x4<f32> {
  return mat2x4<f32>(bcast4(w[rows.r0.x + k]), bcast4(w[rows.r1.x + k]));
}
