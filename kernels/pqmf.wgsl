// PQMF analysis and synthesis (filters designed on the CPU: src/dsp/pqmf_design.ts).
//   analysis:  y[b, k, n] = s_k(n) sum_j h_k[j] x[b, n M + j - pad]                (x = 0 outside)
//   synthesis: y[b, t] = M sum_k sum_m s_k(m) bands[b, k, m] g_k[m M - t + pad]
// with s_k(n) = -1 for odd k at even n when `flip` is set (RAVE), else 1.
//
// The banks are cosine-modulated, h_k[j] = env[j] cos(w_k (j - c) + phi_k), w_k = (2k+1) pi/(2M),
// and w_k 2M = (2k+1) pi, so h_k[r + 2M q] = (-1)^q env[r + 2M q] C[k, r] with
// C[k, r] = cos(w_k (r - c) + phi_k), r < 2M. Each frame then costs L + 2M^2 multiply-adds instead
// of M L (RAVE, M = 16, L = 377: 889 instead of 6,032):
//   analysis  = ana_fold (v[b, n, r] = sum_q (-1)^q env[r + 2Mq] x[b, n M + r + 2Mq - pad])
//             + ana_mod  (y[b, k, n] = s_k(n) sum_r C[k, r] v[b, n, r])
//   synthesis = syn_mod  (w[b, m, r] = sum_k C[k, r] s_k(m) bands[b, k, m])
//             + syn_fold (y[b, t] = M sum_m (-1)^q env[j] w[b, m, j mod 2M], j = m M - t + pad,
//                         q = j div 2M: only the L/M taps that meet band samples)
// `coef` holds env ([L]) for the fold kernels and C ([M, 2M]) for the modulation kernels.
// One thread per output element; index = gid.x + gid.y * nwg.x * WG.

override WG: u32 = 256;

struct PqmfParams {
  n: u32,        // output elements of this kernel
  t_in: u32,     // samples per row (analysis input, synthesis output)
  frames: u32,   // frames per row (analysis output, synthesis input)
  bands: u32,    // M
  taps: u32,     // L (trimmed to the envelope's support)
  pad: u32,
  flip: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: PqmfParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> coef: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

fn band_sign(k: u32, n: u32) -> f32 {
  return select(1.0, -1.0, params.flip != 0u && (k & 1u) == 1u && (n & 1u) == 0u);
}

// src: x [B, T]; dst: v [B, F, 2M]
@compute @workgroup_size(WG)
fn ana_fold(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) { return; }
  let M2 = 2u * params.bands;
  let r = i % M2;
  let bn = i / M2;
  let n = bn % params.frames;
  let b = bn / params.frames;
  let start = i32(n * params.bands + r) - i32(params.pad);   // x index at q = 0
  let T = i32(params.t_in);
  var acc = 0.0;
  var sgn = 1.0;
  for (var j = r; j < params.taps; j += M2) {
    let xi = start + i32(j - r);
    if (xi >= 0 && xi < T) { acc += sgn * coef[j] * src[b * params.t_in + u32(xi)]; }
    sgn = -sgn;
  }
  dst[i] = acc;
}

// src: v [B, F, 2M]; coef: C [M, 2M]; dst: bands [B, M, F]
@compute @workgroup_size(WG)
fn ana_mod(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) { return; }
  let M2 = 2u * params.bands;
  let n = i % params.frames;
  let bk = i / params.frames;
  let k = bk % params.bands;
  let b = bk / params.bands;
  let vrow = (b * params.frames + n) * M2;
  var acc = 0.0;
  for (var r = 0u; r < M2; r++) { acc += coef[k * M2 + r] * src[vrow + r]; }
  dst[i] = band_sign(k, n) * acc;
}

// src: bands [B, M, N]; coef: C [M, 2M]; dst: w [B, N, 2M]
@compute @workgroup_size(WG)
fn syn_mod(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) { return; }
  let M = params.bands;
  let M2 = 2u * M;
  let r = i % M2;
  let bm = i / M2;
  let m = bm % params.frames;
  let b = bm / params.frames;
  var acc = 0.0;
  for (var k = 0u; k < M; k++) {
    acc += coef[k * M2 + r] * band_sign(k, m) * src[(b * M + k) * params.frames + m];
  }
  dst[i] = acc;
}

// src: w [B, N, 2M]; coef: env [L]; dst: y [B, N M]
@compute @workgroup_size(WG)
fn syn_fold(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.n) { return; }
  let M = i32(params.bands);
  let M2 = 2u * params.bands;
  let t = i % params.t_in;
  let b = i / params.t_in;
  let v = i32(t) - i32(params.pad);                             // tap j = m M - v
  let m_lo = max(0, (v + M - 1) / M);                           // v < 0 gives <= 0: clamped
  let m_hi = min(i32(params.frames) - 1, (v + i32(params.taps) - 1) / M);
  var acc = 0.0;
  for (var m = m_lo; m <= m_hi; m++) {
    let j = u32(m * M - v);
    let sgn = select(1.0, -1.0, ((j / M2) & 1u) == 1u);
    acc += sgn * coef[j] * src[(b * params.frames + u32(m)) * M2 + j % M2];
  }
  dst[i] = f32(params.bands) * acc;
}
