// Pitch and loudness features for tone transfer, one workgroup per frame.
//
// yin: YIN (de Cheveigne & Kawahara 2002, steps 1-5) on a window of W samples centred on
// sample j*hop (zeros outside the signal):
//   d(tau)  = sum_{i<W} (x[s+i] - x[s+i+tau])^2                  (step 2, difference function)
//   d'(tau) = d(tau) * tau / sum_{k=1..tau} d(k),  d'(0) = 1     (step 3, cumulative mean norm.)
//   tau*    = first tau in [tau_min, tau_max] with d' < threshold, walked down to its local
//             minimum (step 4), else the global minimum (unvoiced);
//   refined by parabolic interpolation of the raw d around tau* (step 5).
// Outputs f0 = sr / tau* and confidence = 1 - d'(tau*) (clamped to [0, 1]).
// Cost: W * tau_max multiply-adds per frame; the window plus lags sit in workgroup memory.
//
// rms_db: loudness as magenta-js computes it: RMS over a window of W samples centred on j*hop,
// 20 log10(max(1e-20, rms)) + offset, floored at min_db.

override WG: u32 = 256;
const MAX_SPAN: u32 = 6144u; // W + tau_max must fit (24 KiB of the 32 KiB workgroup storage)
const MAX_LAG: u32 = 2048u;

struct YinParams { frames: u32, n: u32, hop: u32, win: u32, tau_min: u32, tau_max: u32, threshold: f32, sample_rate: f32 }

@group(0) @binding(0) var<uniform> params: YinParams;
@group(0) @binding(1) var<storage, read> audio: array<f32>;        // [n]
@group(0) @binding(2) var<storage, read_write> f0: array<f32>;     // [frames]
@group(0) @binding(3) var<storage, read_write> conf: array<f32>;   // [frames]

var<workgroup> span: array<f32, MAX_SPAN>;
var<workgroup> diff: array<f32, MAX_LAG>;

fn sample_at(i: i32) -> f32 {
  if (i < 0 || i >= i32(params.n)) { return 0.0; }
  return audio[u32(i)];
}

@compute @workgroup_size(WG)
fn yin(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let frame = wid.x + wid.y * nwg.x;
  if (frame >= params.frames) { return; } // uniform per workgroup
  let start = i32(frame * params.hop) - i32(params.win / 2u);
  let len = params.win + params.tau_max;
  for (var i = lid; i < len; i += WG) { span[i] = sample_at(start + i32(i)); }
  workgroupBarrier();
  for (var tau = lid; tau <= params.tau_max; tau += WG) {
    var acc = 0.0;
    for (var i = 0u; i < params.win; i++) {
      let e = span[i] - span[i + tau];
      acc += e * e;
    }
    diff[tau] = acc;
  }
  workgroupBarrier();
  if (lid != 0u) { return; }
  // Step 3: d' into span (the window is no longer needed), raw d kept in diff for step 5.
  var running = 0.0;
  span[0] = 1.0;
  for (var tau = 1u; tau <= params.tau_max; tau++) {
    running += diff[tau];
    span[tau] = select(1.0, diff[tau] * f32(tau) / running, running > 0.0);
  }
  // Step 4: first dip under the threshold, followed down to its minimum; else the global minimum.
  var best = params.tau_min;
  var found = false;
  for (var tau = params.tau_min; tau <= params.tau_max; tau++) {
    if (!found && span[tau] < params.threshold) {
      var t = tau;
      while (t + 1u <= params.tau_max && span[t + 1u] < span[t]) { t++; }
      best = t;
      found = true;
    }
  }
  if (!found) {
    for (var tau = params.tau_min; tau <= params.tau_max; tau++) { if (span[tau] < span[best]) { best = tau; } }
  }
  // Step 5: parabolic interpolation of the raw difference function around best.
  var shift = 0.0;
  if (best > params.tau_min && best < params.tau_max) {
    let a = diff[best - 1u]; let b = diff[best]; let c = diff[best + 1u];
    let den = a - 2.0 * b + c;
    if (den > 0.0) { shift = clamp(0.5 * (a - c) / den, -0.5, 0.5); }
  }
  f0[frame] = params.sample_rate / (f32(best) + shift);
  conf[frame] = clamp(1.0 - span[best], 0.0, 1.0);
}

struct RmsParams { frames: u32, n: u32, hop: u32, win: u32, offset_db: f32, min_db: f32 }

@group(0) @binding(0) var<uniform> rparams: RmsParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn rms_db(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let frame = wid.x + wid.y * nwg.x;
  if (frame >= rparams.frames) { return; }
  let start = i32(frame * rparams.hop) - i32(rparams.win / 2u);
  var acc = 0.0;
  for (var i = lid; i < rparams.win; i += WG) {
    let k = start + i32(i);
    if (k >= 0 && k < i32(rparams.n)) { let v = x[u32(k)]; acc += v * v; }
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] += partial[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let rms = sqrt(partial[0] / f32(rparams.win));
    db[frame] = max(20.0 * log(max(rms, 1e-20)) / log(10.0) + rparams.offset_db, rparams.min_db);
  }
}
