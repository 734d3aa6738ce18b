// STFT helpers around the FFT family (src/ops/stft.ts composes them with kernels/fft.wgsl,
// whose rfft_lines frames, windows and pads the signal while loading).
//   ola:      frames [B, F, n_fft] (inverse FFTs) -> signals [B, len]: windowed overlap-add
//             gathered per output sample, divided by the window-square envelope (torch.istft).
//   spec_map: complex [N, 2] -> real [N] (|z|, |z|^p, angle) or real -> real, then an optional
//             scale * log(max(v, eps)).
//   polar:    (magnitude, phase) [N] -> complex [N, 2].
// #import math

override WG: u32 = 256;

struct OlaParams {
  count: u32,       // B * len
  len: u32,         // output samples per signal
  start: u32,       // first output sample in the overlap-added timeline (n_fft / 2 when centred)
  frames: u32, n_fft: u32, hop: u32,
  win_off: u32, win_len: u32, has_win: u32,
}

@group(0) @binding(0) var<uniform> olp: OlaParams;
@group(0) @binding(1) var<storage, read> oframes: array<f32>;
@group(0) @binding(2) var<storage, read> owin: array<f32>;
@group(0) @binding(3) var<storage, read_write> oout: array<f32>;

fn ola_window(m: u32) -> f32 {
  if (m < olp.win_off || m >= olp.win_off + olp.win_len) { return 0.0; }
  return select(1.0, owin[m - olp.win_off], olp.has_win != 0u);
}

@compute @workgroup_size(WG)
fn ola(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= olp.count) { return; }
  let b = i / olp.len;
  let t = i - b * olp.len + olp.start;
  // Frames f with f*hop <= t < f*hop + n_fft.
  let f_hi = min(t / olp.hop, olp.frames - 1u);
  var f_lo = 0u;
  if (t >= olp.n_fft) { f_lo = (t - olp.n_fft) / olp.hop + 1u; }
  var acc = 0.0;
  var env = 0.0;
  for (var f = f_lo; f <= f_hi; f++) {
    let m = t - f * olp.hop;
    let w = ola_window(m);
    acc += oframes[(b * olp.frames + f) * olp.n_fft + m] * w;
    env += w * w;
  }
  // torch.istft raises where the envelope is below 1e-11; here those samples are 0.
  oout[i] = select(0.0, acc / env, env > 1e-11);
}

struct MapParams {
  count: u32,
  src_complex: u32, // 1: input [N, 2]
  mode: u32,        // complex input: 0 |z|, 1 |z|^power, 2 angle; real input: identity
  power: f32,
  do_log: u32,
  eps: f32,         // log(max(v, eps))
  log_scale: f32,   // 1 (ln), 1/ln 10 (log10), 10/ln 10 (dB of power), ...
}

@group(0) @binding(0) var<uniform> mp: MapParams;
@group(0) @binding(1) var<storage, read> mx: array<f32>;
@group(0) @binding(2) var<storage, read_write> my: array<f32>;

// atan(u) for |u| <= tan(pi/8): odd Taylor series to u^21 (remainder < 4e-10).
fn atan_small(u: f32) -> f32 {
  let u2 = u * u;
  var s = 1.0 / 21.0;
  s = 1.0 / 19.0 - u2 * s;
  s = 1.0 / 17.0 - u2 * s;
  s = 1.0 / 15.0 - u2 * s;
  s = 1.0 / 13.0 - u2 * s;
  s = 1.0 / 11.0 - u2 * s;
  s = 1.0 / 9.0 - u2 * s;
  s = 1.0 / 7.0 - u2 * s;
  s = 1.0 / 5.0 - u2 * s;
  s = 1.0 / 3.0 - u2 * s;
  return u * (1.0 - u2 * s);
}

// atan2 to a few ulp (WGSL's atan2 only promises 4096 ulp): reduce to t = min/max in [0, 1],
// then t > tan(pi/8) via atan(t) = pi/4 + atan((t - 1)/(t + 1)), then fix the octant.
fn precise_atan2(y: f32, x: f32) -> f32 {
  let ax = abs(x);
  let ay = abs(y);
  let hi = max(ax, ay);
  if (hi == 0.0) { return 0.0; }
  let t = min(ax, ay) / hi;
  var a: f32;
  if (t > 0.41421356) { a = 0.78539816339745 + atan_small((t - 1.0) / (t + 1.0)); } else { a = atan_small(t); }
  if (ay > ax) { a = 1.57079632679490 - a; }
  if (x < 0.0) { a = 3.14159265358979 - a; }
  return select(a, -a, y < 0.0);
}

@compute @workgroup_size(WG)
fn spec_map(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= mp.count) { return; }
  var v: f32;
  if (mp.src_complex == 0u) {
    v = mx[i];
  } else {
    let re = mx[2u * i];
    let im = mx[2u * i + 1u];
    let p2 = re * re + im * im;
    if (mp.mode == 0u) {
      v = sqrt(p2);
    } else if (mp.mode == 1u) {
      if (mp.power == 2.0) { v = p2; } else if (mp.power == 1.0) { v = sqrt(p2); } else { v = select(pow(p2, 0.5 * mp.power), 0.0, p2 == 0.0); }
    } else {
      v = precise_atan2(im, re);
    }
  }
  if (mp.do_log != 0u) { v = mp.log_scale * log(max(v, mp.eps)); }
  my[i] = v;
}

struct PolarParams { count: u32 }

@group(0) @binding(0) var<uniform> pp: PolarParams;
@group(0) @binding(1) var<storage, read> pmag: array<f32>;
@group(0) @binding(2) var<storage, read> pphase: array<f32>;
@group(0) @binding(3) var<storage, read_write> pz: array<f32>;

@compute @workgroup_size(WG)
fn polar(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= pp.count) { return; }
  let r = pmag[i];
  let ph = pphase[i];
  pz[2u * i] = r * precise_cos(ph);
  pz[2u * i + 1u] = r * precise_sin(ph);
}
