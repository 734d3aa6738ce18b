// Runtime helpers used by the Gpu object itself.
// fill: dst[i] = bits (as raw 32-bit words: NaN poison 0x7fc00000, zero, or any f32/i32 pattern).

struct FillParams { n: u32, bits: u32 }

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> params: FillParams;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(WG)
fn fill(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i < params.n) { dst[i] = params.bits; }
}
