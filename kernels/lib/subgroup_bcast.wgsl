// For kernels that `enable subgroups`: lane i's value of v, for i = 0..3, in every lane (weights
// loaded once per subgroup and shared; all lanes must be active: uniform control flow).
fn bcast4(v: f32) -> vec4<f32> {
  return vec4<f32>(subgroupBroadcast(v, 0u), subgroupBroadcast(v, 1u), subgroupBroadcast(v, 2u), subgroupBroadcast(v, 3u));
}
