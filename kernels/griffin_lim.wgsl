// Griffin-Lim phase reconstruction steps (src/ops/griffin_lim.ts loops them with istft/stft).
//   gl_init:   X = |S| e^{i phi}, phi = 2 pi u with u a counter-based hash of (seed, index)
//              (PCG output permutation; scripts/fixtures/griffin_lim.py reproduces it), or 0.
//   gl_update: fast Griffin-Lim (Perraudin et al. 2013) as torchaudio.functional.griffinlim
//              writes it: A = R - m/(1+m) R_prev, then X = |S| A / (|A| + 1e-16).
// Spectrograms: magnitudes [N], complex [N, 2].
// #import math

override WG: u32 = 256;

struct InitParams { count: u32, random: u32, seed: u32 }

@group(0) @binding(0) var<uniform> ip: InitParams;
@group(0) @binding(1) var<storage, read> imag_: array<f32>;
@group(0) @binding(2) var<storage, read_write> ispec: array<vec2<f32>>;

fn pcg_hash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(WG)
fn gl_init(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= ip.count) { return; }
  let m = imag_[i];
  if (ip.random == 0u) {
    ispec[i] = vec2<f32>(m, 0.0);
    return;
  }
  // u in [0, 1) with 24 bits, exact in f32.
  let u = f32(pcg_hash(i + pcg_hash(ip.seed)) >> 8u) * (1.0 / 16777216.0);
  let phi = 6.283185307179586 * u;
  ispec[i] = m * vec2<f32>(precise_cos(phi), precise_sin(phi));
}

struct UpdateParams { count: u32, beta: f32 }

@group(0) @binding(0) var<uniform> up: UpdateParams;
@group(0) @binding(1) var<storage, read> umag: array<f32>;
@group(0) @binding(2) var<storage, read> urebuilt: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> uprev: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read_write> uspec: array<vec2<f32>>;

@compute @workgroup_size(WG)
fn gl_update(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= up.count) { return; }
  let a = urebuilt[i] - up.beta * uprev[i];
  uspec[i] = umag[i] * a / (length(a) + 1e-16);
}

// gl_root: |S| = (|S|^power)^(1/power) for a power spectrogram input.
struct RootParams { count: u32, inv_power: f32 }

@group(0) @binding(0) var<uniform> rp: RootParams;
@group(0) @binding(1) var<storage, read> rsrc: array<f32>;
@group(0) @binding(2) var<storage, read_write> rdst: array<f32>;

@compute @workgroup_size(WG)
fn gl_root(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= rp.count) { return; }
  let v = max(rsrc[i], 0.0);
  rdst[i] = select(pow(v, rp.inv_power), 0.0, v == 0.0);
}
