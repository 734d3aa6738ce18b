// Polyphase rational resampling by up/down (filter designed on the CPU: src/dsp/resample_design.ts).
//   y[b, m] = sum_r poly[phase, r] * x[b, i0 - r]          (x = 0 outside [0, n_in))
// where m * down + L = i0 * up + phase (L: the filter's centre), and poly[p, r] = up * h[p + r up]
// (the zero-inserted upsampled signal only meets every up-th tap). i0 and phase are formed from
// m = a * up + c as i0 = a * down + (c * down + L) / up, so nothing overflows u32 for long inputs.
// One thread per output sample; index = gid.x + gid.y * nwg.x * WG.

override WG: u32 = 256;

struct ResampleParams {
  n: u32,          // rows * n_out
  n_in: u32,
  n_out: u32,
  up: u32,
  down: u32,
  half_len: u32,   // L
  per_phase: u32,  // R taps per phase
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: ResampleParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;      // [rows, n_in]
@group(0) @binding(2) var<storage, read> poly: array<f32>;   // [up, R]
@group(0) @binding(3) var<storage, read_write> y: array<f32>; // [rows, n_out]

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) { return; }
  let b = i / params.n_out;
  let m = i % params.n_out;
  let a = m / params.up;
  let v = (m % params.up) * params.down + params.half_len;
  let i0 = i32(a * params.down + v / params.up);
  let phase = v % params.up;
  // r from max(0, i0 - n_in + 1) to min(R - 1, i0): only taps that meet input samples
  let r_lo = max(0, i0 - i32(params.n_in) + 1);
  let r_hi = min(i32(params.per_phase) - 1, i0);
  let xrow = b * params.n_in;
  let prow = phase * params.per_phase;
  var acc = 0.0;
  for (var r = r_lo; r <= r_hi; r++) {
    acc += poly[prow + u32(r)] * x[xrow + u32(i0 - r)];
  }
  y[i] = acc;
}
