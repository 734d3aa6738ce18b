// peak (src/ops/peak.ts): the device's arithmetic ceiling, measured. Each thread runs `iters`
// steps of eight independent vec4 recurrences v = v * a + b held in registers (no memory traffic
// inside the loop; eight chains hide the FMA latency) and writes one sum, so a run does exactly
// n * iters * 8 * 4 * 2 FLOP. bench/cases/peak.ts times it as 'fma ceiling': the %peak column of
// every other row is against this figure (clpeak's idea), not against our best matmul.
//   out[i] = sum over chains c and lanes l of v_{c,l} after iters steps, v_{c,l}(0) = seed_i + c + l/4.
// `a` and `b` come from the uniform buffer so the compiler cannot fold the loop. Written as
// v * a + b rather than fma(): WGSL's fma() may be emulated where the hardware has no fused
// multiply-add (on SwiftShader it measured ~20% slower), and the ceiling is what plain code gets.

override WG: u32 = 64;

struct PeakParams { n: u32, iters: u32, a: f32, b: f32, seed_step: f32 }

@group(0) @binding(0) var<uniform> params: PeakParams;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;   // [n]

@compute @workgroup_size(WG)
fn fma_peak(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) { return; }
  let a = vec4<f32>(params.a);
  let b = vec4<f32>(params.b);
  let s = vec4<f32>(f32(i) * params.seed_step) + vec4<f32>(0.0, 0.25, 0.5, 0.75);
  var v0 = s;       var v1 = s + 1.0; var v2 = s + 2.0; var v3 = s + 3.0;
  var v4 = s + 4.0; var v5 = s + 5.0; var v6 = s + 6.0; var v7 = s + 7.0;
  for (var it = 0u; it < params.iters; it++) {
    v0 = v0 * a + b; v1 = v1 * a + b; v2 = v2 * a + b; v3 = v3 * a + b;
    v4 = v4 * a + b; v5 = v5 * a + b; v6 = v6 * a + b; v7 = v7 * a + b;
  }
  let t = (v0 + v1) + (v2 + v3) + (v4 + v5) + (v6 + v7);
  out[i] = (t.x + t.y) + (t.z + t.w);
}
