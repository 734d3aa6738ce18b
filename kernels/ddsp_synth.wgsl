// DDSP synthesisers as magenta's tone-transfer graph computes them (src/ops/ddsp_synth.ts).
// F frames of `hop` samples, N = F * hop samples, H harmonics; f0 [F] Hz, hn [H] harmonic numbers.
//
// Harmonic synth (ddsp.core.harmonic_synthesis with DDSP's chunked angular cumsum):
//   f_k(t)   = bilinear resize of f0 * hn[k] from frames to samples (frame j at sample j*hop,
//              the last frame held): a + (b - a) u, u = (t mod hop) / hop, rounded once to f32
//              in the phase sums as TF.js rounds its float64 result (lerp_once)
//   w_k(t)   = f_k(t) * omega_scale                                    (2 pi / sample rate)
//   S_k(t)   = w_k(c L) + ... + w_k(t), a serial f32 sum inside chunk c = floor(t / L) of L samples
//   O_k(c)   = mod(sum_{c' < c} mod(S_k(end of c'), 2 pi), 2 pi)      (serial f32 sum over chunks)
//   phi_k(t) = mod(S_k(t) + O_k(c), 2 pi)
//   A_k(t)   = harm[j, k] win[u + hop] + harm[j + 1, k] win[u]  (hann overlap-add upsampling; frame
//              F is a copy of frame F-1), zero where f_k(t) >= nyquist
//   y(t)     = sum_k A_k(t) sin(phi_k(t))
// The serial sums and their order are the graph's (TF Cumsum over [80, 1000] chunks): with the
// same f32 increments they give the same f32 phases, which is what parity at high harmonics
// needs (a 1-ulp difference in an increment decorrelates the rounding of the rest of the chunk:
// ~2e-5 relative error in the output instead of ~1e-7).
// mod is floor-mod computed exactly: x - n 2pi with 2pi split in a 12-bit head (n * head exact)
// and its tail, so phases keep every bit TF keeps.
//   phase_chunks   one thread per (chunk, harmonic): S into phase [N, H], chunk ends mod 2 pi into ends
//   phase_offsets  one thread per harmonic: O [chunks, H]
//   harmonic       one thread per sample: y [N]
//
// Filtered noise (ddsp.synths.FilteredNoise + core.fft_convolve):
//   ir_j[n]  = win_n[(n + I/2) mod I] * zp[j, (n + I/2) mod I]    zp = irfft(mags_j) [F, I] (zero
//              phase), windowed and rolled to causal form (the graph's 'Roll' / fftshift)
//   e_j      = noise frame j: uni[j hop + m] * noise_scale + noise_min, m < hop
//   y(t)     = harmonic(t) + sum_j (e_j * ir_j)[t + crop - j hop]   (overlap-add of the per-frame
//              linear convolutions, cut by the graph's delay compensation `crop`)
//   noise    one thread per sample, direct convolution (~3 frames x hop taps)
// #import math

override WG: u32 = 64;

struct SynthParams {
  frames: u32, hop: u32, harmonics: u32, samples: u32,
  chunk: u32, chunks: u32, omega_scale: f32, nyquist: f32,
  two_pi: f32, two_pi_hi: f32, two_pi_lo: f32, inv_two_pi: f32,
}

// One binding set for the three harmonic entries (each binds the subset it uses).
@group(0) @binding(0) var<uniform> params: SynthParams;
@group(0) @binding(1) var<storage, read> f0: array<f32>;              // [F] Hz
@group(0) @binding(2) var<storage, read> hn: array<f32>;              // [H]
@group(0) @binding(3) var<storage, read_write> phase: array<f32>;     // [N, H] in-chunk sums S
@group(0) @binding(4) var<storage, read_write> ends: array<f32>;      // [chunks, H] mod(S at chunk end)
@group(0) @binding(5) var<storage, read_write> offsets: array<f32>;   // [chunks, H] O
@group(0) @binding(6) var<storage, read> harm: array<f32>;            // [F, H] frame amplitudes
@group(0) @binding(7) var<storage, read> win: array<f32>;             // [2 hop] hann window
@group(0) @binding(8) var<storage, read_write> audio: array<f32>;     // [N]

// Floor-mod by 2 pi (result in [0, 2 pi)), exact for |x| < 2^12 * 2 pi.
fn mod_two_pi(x: f32) -> f32 {
  let p = params;
  var n = floor(x * p.inv_two_pi);
  var r = (x - n * p.two_pi_hi) - n * p.two_pi_lo;
  if (r < 0.0) {
    n -= 1.0;
    r = (x - n * p.two_pi_hi) - n * p.two_pi_lo;
  } else if (r >= p.two_pi) {
    n += 1.0;
    r = (x - n * p.two_pi_hi) - n * p.two_pi_lo;
  }
  return r;
}

// Knuth's two-sum: x + y = s + e exactly (needs IEEE adds, no reassociation).
fn two_sum(x: f32, y: f32) -> vec2<f32> {
  let s = x + y;
  let yv = s - x;
  let xv = s - yv;
  return vec2<f32>(s, (x - xv) + (y - yv));
}

// a + (b - a) u with u = m / hop, rounded once to f32 as TF.js computes it (in float64), for a
// power-of-two hop: b - a as an exact pair (dh, dl); dh split into 12-bit halves so that the
// halves times m are exact; the pieces added with two-sums so only the last add rounds. The
// tiny dl * u term rounds on its own, far below the final rounding.
fn lerp_once(a: f32, b: f32, m: f32, inv_hop: f32) -> f32 {
  let d = two_sum(b, -a);
  let dhh = bitcast<f32>(bitcast<u32>(d.x) & 0xfffff000u);
  let p1 = dhh * m * inv_hop;
  let p2 = (d.x - dhh) * m * inv_hop;
  let s1 = two_sum(a, p1);
  let s2 = two_sum(s1.x, p2);
  return s2.x + ((s1.y + s2.y) + d.y * m * inv_hop);
}

// The frame index and the position in the frame advance incrementally (no integer division
// in the serial loop); the frequency is rounded once, as TF rounds it, so that the serial sums
// see TF's very f32 increments. (The harmonic kernel's Nyquist test uses the plain expression:
// it can differ from this one only within an ulp of 8 kHz.)
@compute @workgroup_size(WG)
fn phase_chunks(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = params;
  if (i >= p.chunks * p.harmonics) { return; }
  let k = i % p.harmonics;
  let c = i / p.harmonics;
  let t0 = c * p.chunk;
  let t1 = min(t0 + p.chunk, p.samples);
  let h = hn[k];
  let inv_hop = 1.0 / f32(p.hop);
  var j = t0 / p.hop;
  var m = t0 % p.hop;
  var a = f0[j] * h;
  var b = f0[min(j + 1u, p.frames - 1u)] * h;
  var s = 0.0;
  for (var t = t0; t < t1; t++) {
    s += lerp_once(a, b, f32(m), inv_hop) * p.omega_scale;
    phase[t * p.harmonics + k] = s;
    m++;
    if (m == p.hop) {
      m = 0u;
      j++;
      a = b;
      b = f0[min(j + 1u, p.frames - 1u)] * h;
    }
  }
  ends[i] = mod_two_pi(s);
}

@compute @workgroup_size(WG)
fn phase_offsets(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.x;
  let p = params;
  if (k >= p.harmonics) { return; }
  var acc = 0.0;
  for (var c = 0u; c < p.chunks; c++) {
    offsets[c * p.harmonics + k] = mod_two_pi(acc);
    acc += ends[c * p.harmonics + k];
  }
}

@compute @workgroup_size(WG)
fn harmonic(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * WG;
  let p = params;
  if (t >= p.samples) { return; }
  let j = t / p.hop;
  let j1 = min(j + 1u, p.frames - 1u);
  let m = t % p.hop;
  let u = f32(m) * (1.0 / f32(p.hop));
  let w0 = win[m + p.hop];
  let w1 = win[m];
  let ca = f0[j];
  let cb = f0[j1];
  let orow = (t / p.chunk) * p.harmonics;
  var y = 0.0;
  for (var k = 0u; k < p.harmonics; k++) {
    let a = ca * hn[k];
    let b = cb * hn[k];
    if (a + (b - a) * u >= p.nyquist) { continue; }
    let amp = harm[j * p.harmonics + k] * w0 + harm[j1 * p.harmonics + k] * w1;
    let phi = mod_two_pi(phase[t * p.harmonics + k] + offsets[orow + k]);
    y += amp * precise_sin(phi);
  }
  audio[t] = y;
}

// ---- filtered noise -------------------------------------------------------------------------

struct NoiseParams { frames: u32, hop: u32, samples: u32, ir: u32, crop: u32, noise_scale: f32, noise_min: f32 }

@group(0) @binding(9) var<uniform> nparams: NoiseParams;
@group(0) @binding(10) var<storage, read> uni: array<f32>;             // [N] uniform [0, 1)
@group(0) @binding(11) var<storage, read> zp: array<f32>;              // [F, I] zero-phase responses
@group(0) @binding(12) var<storage, read> nwin: array<f32>;            // [I] zero-phase window
@group(0) @binding(13) var<storage, read> nharm: array<f32>;           // [N] harmonic part
@group(0) @binding(14) var<storage, read_write> out: array<f32>;       // [N]

@compute @workgroup_size(WG)
fn noise(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * WG;
  let p = nparams;
  if (t >= p.samples) { return; }
  let s = t + p.crop;
  let span = p.hop + p.ir - 1u;                  // length of one frame's linear convolution
  let jmax = min(s / p.hop, p.frames - 1u);
  var jmin = 0u;
  if (s + 1u > span) { jmin = (s + 1u - span + p.hop - 1u) / p.hop; }
  let half = p.ir / 2u;
  var acc = 0.0;
  for (var j = jmin; j <= jmax; j++) {
    let q = s - j * p.hop;                       // index into frame j's convolution, < span
    let m0 = select(0u, q + 1u - p.ir, q + 1u > p.ir);
    let m1 = min(p.hop - 1u, q);
    let zrow = j * p.ir;
    for (var m = m0; m <= m1; m++) {
      let e = uni[j * p.hop + m] * p.noise_scale + p.noise_min;
      let n = (q - m + half) % p.ir;
      acc += e * (nwin[n] * zp[zrow + n]);
    }
  }
  out[t] = nharm[t] + acc;
}
