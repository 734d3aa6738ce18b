// DDSP decoder helpers (magenta's tone-transfer graph; src/ops/ddsp.ts). Activations are
// channels-first [C, T] (one batch; conv1d's [1, C, T]).
//
//   features    x[0, t] = ld[t] * ld_scale + ld_shift                       (scaled loudness)
//               x[1, t] = (f0 <= 0 ? 0 : (ln(f0) log2e - log2_440) semitones + midi_a4) * midi_scale
//   norm_stats  per thread, over its slice of h (n values): count, mean and
//               M2 = sum (h - mean_slice)^2 (two passes over the slice: no cancellation)
//   norm_merge  one thread merges the slices (Chan et al.) -> [mean, 1/sqrt(var + eps)]
//   norm_apply  y = x + gamma[c] (h - mean) rstd + beta[c];  r = relu(y)
//               (DDSP's Normalize('layer'): one group over all of [T, C], so every output frame
//               depends on the whole 5 s; then the residual add of the dilated conv stack)
//   controls    one thread per frame from the dense head d [T, 1 + H + NB] (+ bias):
//               exp_sigmoid(v) = vmax * sigmoid(v)^exponent + eps   (pow written as exp of the
//               log-sigmoid, finite for every v)
//               amp[t]      = exp_sigmoid(d[t, 0])
//               harm[t, k]  = amp * dist_k / sum_k' dist_k', dist_k = exp_sigmoid(d[t, 1 + k]), zero
//                             where f0[t] * hn[k] >= nyquist (k < H)
//               mags[t, b]  = exp_sigmoid(d[t, 1 + H + b] + noise_bias), written as complex (re, 0)
//                             for the inverse real FFT of the filtered-noise impulse response

override WG: u32 = 256;

struct FeatParams { frames: u32, ld_scale: f32, ld_shift: f32, log2e: f32, log2_440: f32, semitones: f32, midi_a4: f32, midi_scale: f32 }

@group(0) @binding(0) var<uniform> fparams: FeatParams;
@group(0) @binding(1) var<storage, read> f0: array<f32>;            // [T] Hz
@group(0) @binding(2) var<storage, read> ld: array<f32>;            // [T] dB
@group(0) @binding(3) var<storage, read_write> feat: array<f32>;    // [2, T]

@compute @workgroup_size(WG)
fn features(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * WG;
  let p = fparams;
  if (t >= p.frames) { return; }
  feat[t] = ld[t] * p.ld_scale + p.ld_shift;
  let f = f0[t];
  var midi = 0.0;
  if (f > 0.0) { midi = (log(f) * p.log2e - p.log2_440) * p.semitones + p.midi_a4; }
  feat[p.frames + t] = midi * p.midi_scale;
}

// ---- normalisation --------------------------------------------------------------------------

struct StatsParams { n: u32, per_slice: u32, slices: u32, eps: f32 }

@group(0) @binding(0) var<uniform> sparams: StatsParams;
@group(0) @binding(1) var<storage, read> h: array<f32>;                 // [n]
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;     // [slices, 3]: count, mean, M2
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;       // [2]: mean, rstd

// One thread per contiguous slice, no workgroup barriers (they are costly on CPU Vulkan): a
// Kahan-compensated sum for the slice mean, then M2 around it.
@compute @workgroup_size(64)
fn norm_stats(@builtin(global_invocation_id) gid: vec3<u32>) {
  let p = sparams;
  let i = gid.x;
  if (i >= p.slices) { return; }
  let lo = i * p.per_slice;
  let hi = min(lo + p.per_slice, p.n);      // the op sizes slices so that none is empty
  var s = 0.0;
  var comp = 0.0;
  for (var k = lo; k < hi; k++) {
    let y = h[k] - comp;
    let t = s + y;
    comp = (t - s) - y;
    s = t;
  }
  let count = f32(hi - lo);
  let mean = s / count;
  var q = 0.0;
  for (var k = lo; k < hi; k++) { let d = h[k] - mean; q += d * d; }
  partial[i * 3u] = count;
  partial[i * 3u + 1u] = mean;
  partial[i * 3u + 2u] = q;
}

// One thread: Chan et al.'s merge of the slice statistics, then mean and 1 / sqrt(var + eps).
@compute @workgroup_size(1)
fn norm_merge() {
  let p = sparams;
  var c = 0.0; var m = 0.0; var q = 0.0;
  for (var g = 0u; g < p.slices; g++) {
    let cb = partial[g * 3u];
    let tot = c + cb;
    let d = partial[g * 3u + 1u] - m;
    m += d * (cb / tot);
    q += partial[g * 3u + 2u] + d * d * (c * cb / tot);
    c = tot;
  }
  stats[0] = m;
  stats[1] = inverseSqrt(q / c + p.eps);
}

struct ApplyParams { n: u32, frames: u32 }

@group(0) @binding(0) var<uniform> aparams: ApplyParams;
@group(0) @binding(1) var<storage, read> ax: array<f32>;        // [C, T] residual stream
@group(0) @binding(2) var<storage, read> ah: array<f32>;        // [C, T] conv output
@group(0) @binding(3) var<storage, read> astats: array<f32>;    // [2] mean, rstd
@group(0) @binding(4) var<storage, read> gamma: array<f32>;     // [C]
@group(0) @binding(5) var<storage, read> beta: array<f32>;      // [C]
@group(0) @binding(6) var<storage, read_write> ay: array<f32>;  // [C, T]
@group(0) @binding(7) var<storage, read_write> ar: array<f32>;  // [C, T] relu(y)

@compute @workgroup_size(WG)
fn norm_apply(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= aparams.n) { return; }
  let c = i / aparams.frames;
  let v = (ax[i] + (ah[i] - astats[0]) * astats[1] * gamma[c]) + beta[c];
  ay[i] = v;
  ar[i] = max(v, 0.0);
}

// ---- controls -------------------------------------------------------------------------------

struct CtrlParams {
  frames: u32, harmonics: u32, bands: u32, width: u32,
  nyquist: f32, noise_bias: f32,
  amp_max: f32, amp_exp: f32, amp_eps: f32,
  dist_max: f32, dist_exp: f32, dist_eps: f32,
  noise_max: f32, noise_exp: f32, noise_eps: f32,
}

@group(0) @binding(0) var<uniform> cparams: CtrlParams;
@group(0) @binding(1) var<storage, read> dense: array<f32>;        // [T, width] (no bias)
@group(0) @binding(2) var<storage, read> bias: array<f32>;         // [width]
@group(0) @binding(3) var<storage, read> cf0: array<f32>;          // [T] Hz
@group(0) @binding(4) var<storage, read> hn: array<f32>;           // [H] harmonic numbers
@group(0) @binding(5) var<storage, read_write> amp: array<f32>;    // [T]
@group(0) @binding(6) var<storage, read_write> harm: array<f32>;   // [T, H]
@group(0) @binding(7) var<storage, read_write> mags: array<f32>;   // [T, NB, 2]

// vmax * sigmoid(v)^e + eps, with sigmoid(v)^e = exp(-e * softplus(-v)).
fn exp_sigmoid(v: f32, vmax: f32, e: f32, eps: f32) -> f32 {
  let sp = max(-v, 0.0) + log(1.0 + exp(-abs(v)));
  return vmax * exp(-e * sp) + eps;
}

@compute @workgroup_size(64)
fn controls(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * 64u;
  let p = cparams;
  if (t >= p.frames) { return; }
  let row = t * p.width;
  let a = exp_sigmoid(dense[row] + bias[0], p.amp_max, p.amp_exp, p.amp_eps);
  amp[t] = a;
  let f = cf0[t];
  var total = 0.0;
  for (var k = 0u; k < p.harmonics; k++) {
    var d = exp_sigmoid(dense[row + 1u + k] + bias[1u + k], p.dist_max, p.dist_exp, p.dist_eps);
    if (f * hn[k] >= p.nyquist) { d = 0.0; }
    harm[t * p.harmonics + k] = d;
    total += d;
  }
  for (var k = 0u; k < p.harmonics; k++) {
    let i = t * p.harmonics + k;
    harm[i] = select(0.0, a * (harm[i] / total), total > 0.0);
  }
  let nb = 1u + p.harmonics;
  for (var b = 0u; b < p.bands; b++) {
    let m = exp_sigmoid(dense[row + nb + b] + bias[nb + b] + p.noise_bias, p.noise_max, p.noise_exp, p.noise_eps);
    mags[(t * p.bands + b) * 2u] = m;
    mags[(t * p.bands + b) * 2u + 1u] = 0.0;
  }
}
