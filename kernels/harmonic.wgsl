// Harmonic (additive) oscillator bank, the synthesiser of DDSP:
//   y[b, t] = amp(t) * sum_k dist_k(t) * sin(2 pi k phi(t)),   k = 1..H, k f(t) < sr/2
// Frame-rate controls (frame j sits at sample j*hop) are interpolated linearly to samples, so
// f(t) is piecewise linear and its phase integral phi(t) = (1/sr) * int_0^t f is piecewise
// quadratic: phi(t) = phi0[j] + (hop/sr) * (f_j u + (f_{j+1} - f_j) u^2 / 2), u = (t - j hop)/hop.
// phase0 (one thread per stream, a sequential pass over frames) stores phi0[j] mod 1 in cycles.
// #import math

override WG: u32 = 128;

struct Params { batch: u32, frames: u32, hop: u32, harmonics: u32, sample_rate: f32, normalize: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> f0: array<f32>;        // [B, F] Hz
@group(0) @binding(2) var<storage, read> amp: array<f32>;       // [B, F]
@group(0) @binding(3) var<storage, read> dist: array<f32>;      // [B, F, H]
@group(0) @binding(4) var<storage, read_write> phase: array<f32>; // [B, F] cycles in [0, 1)
@group(0) @binding(5) var<storage, read_write> audio: array<f32>; // [B, F * hop]

// Trapezoid increment of frame j -> j+1 is exact for linear f: (f_j + f_{j+1})/2 * hop / sr.
@compute @workgroup_size(1)
fn phase0(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= params.batch) { return; }
  let scale = f32(params.hop) / params.sample_rate;
  var acc = 0.0;
  for (var j = 0u; j < params.frames; j++) {
    let i = b * params.frames + j;
    phase[i] = acc;
    let next = f0[min(i + 1u, b * params.frames + params.frames - 1u)];
    acc = fract(acc + 0.5 * (f0[i] + next) * scale);
  }
}

fn lerp_frame(base: u32, j: u32, last: u32, u: f32, stride: u32, k: u32) -> f32 {
  let a = dist[(base + j) * stride + k];
  let c = dist[(base + min(j + 1u, last)) * stride + k];
  return a + (c - a) * u;
}

@compute @workgroup_size(WG)
fn synth(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * WG;
  let n = params.frames * params.hop;
  if (idx >= params.batch * n) { return; }
  let b = idx / n;
  let t = idx % n;
  let j = t / params.hop;
  let last = params.frames - 1u;
  let u = f32(t % params.hop) / f32(params.hop);
  let base = b * params.frames;
  let fa = f0[base + j];
  let fb = f0[base + min(j + 1u, last)];
  let f = fa + (fb - fa) * u;
  let phi = fract(phase[base + j] + f32(params.hop) / params.sample_rate * (fa * u + 0.5 * (fb - fa) * u * u));
  let a = amp[base + j] + (amp[base + min(j + 1u, last)] - amp[base + j]) * u;
  let nyquist = 0.5 * params.sample_rate;
  var total = 0.0;
  var norm = 0.0;
  for (var k = 0u; k < params.harmonics; k++) {
    if (f * f32(k + 1u) >= nyquist) { break; }
    let d = lerp_frame(base, j, last, u, params.harmonics, k);
    norm += d;
    total += d * precise_sin(6.283185307179586 * fract(f32(k + 1u) * phi));
  }
  if (params.normalize == 1u) { total = select(0.0, total / norm, norm > 0.0); }
  audio[idx] = a * total;
}
