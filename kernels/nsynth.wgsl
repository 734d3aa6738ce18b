// Whole-sequence pieces of the WaveNet autoencoders (NSynth, Universal Music Translation) that
// conv1d does not cover (src/ops/nsynth.ts). Both decoders condition every layer on an encoding
// that runs at frame rate (one frame per `hop` samples, repeated: magenta's _condition,
// music-translation's _upsample_cond), so the kernels read the frame-rate projection
//   c [B, Ctot, F]   (all layers' 1x1 conditioning convs stacked along channels)
// at channel offset c_off and frame min(t / hop, F - 1) instead of materialising it per sample.
//
//   gate_cond  a[b, i, t] = sigmoid(z[b, i, t] + c[b, c_off + i, f]) * tanh(z[b, R + i, t] + c[b, c_off + R + i, f])
//              (z: the dilated conv output [B, 2R, T]; the FIRST half goes through the sigmoid,
//              as in both models' code)
//   cond_relu  y[b, i, t] = relu(x[b, i, t] + c[b, c_off + i, f])   (the decoders' head)
//
// One thread per output element; index = gid.x + gid.y * nwg.x * WG (grid() folding).
// #import math

override WG: u32 = 256;

struct CondParams {
  batch: u32, ch: u32, t_len: u32, hop: u32,
  frames: u32, c_total: u32, c_off: u32, n: u32,
}

@group(0) @binding(0) var<uniform> params: CondParams;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> c: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn cond_at(b: u32, ch: u32, t: u32) -> f32 {
  let f = min(t / params.hop, params.frames - 1u);
  return c[(b * params.c_total + params.c_off + ch) * params.frames + f];
}

@compute @workgroup_size(WG)
fn gate_cond(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) { return; }
  let T = params.t_len;
  let R = params.ch;
  let t = i % T;
  let r = (i / T) % R;
  let b = i / (T * R);
  let zs = z[(b * 2u * R + r) * T + t] + cond_at(b, r, t);
  let zt = z[(b * 2u * R + R + r) * T + t] + cond_at(b, R + r, t);
  y[i] = sigmoid(zs) * stable_tanh(zt);
}

@compute @workgroup_size(WG)
fn cond_relu(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) { return; }
  let T = params.t_len;
  let t = i % T;
  let ch = (i / T) % params.ch;
  let b = i / (T * params.ch);
  y[i] = max(z[i] + cond_at(b, ch, t), 0.0);
}
