// Mel projection: a banded matrix product over the frequency axis of spectrograms,
//   y[b, r, f] = sum_{c in [lo_r, hi_r)} w[r, c] * v(x[b, c, f])
// where [lo_r, hi_r) is row r's nonzero support (a mel filter covers a few bins; the
// transpose of a filterbank covers a few mels; a dense matrix passes the full range), and
// v = x for real input or |x|^power for complex input [B, C, F, 2] (fusing the power
// spectrogram), then optionally log_scale * log(max(y, eps)) (log-mel).
// One thread per output; consecutive threads walk frames, so input rows are read contiguously
// and the weight row is shared.

override WG: u32 = 256;

struct BandParams {
  count: u32,      // B * R * F
  rows: u32,       // R
  cols: u32,       // C
  frames: u32,     // F
  in_complex: u32,
  power: f32,
  do_log: u32,
  eps: f32,
  log_scale: f32,
}

@group(0) @binding(0) var<uniform> bp: BandParams;
@group(0) @binding(1) var<storage, read> bw: array<f32>;      // [R, C]
@group(0) @binding(2) var<storage, read> branges: array<u32>; // [R, 2]
@group(0) @binding(3) var<storage, read> bx: array<f32>;      // [B, C, F] or [B, C, F, 2]
@group(0) @binding(4) var<storage, read_write> by: array<f32>; // [B, R, F]

fn band_value(j: u32) -> f32 {
  if (bp.in_complex == 0u) { return bx[j]; }
  let re = bx[2u * j];
  let im = bx[2u * j + 1u];
  let p2 = re * re + im * im;
  if (bp.power == 2.0) { return p2; }
  if (bp.power == 1.0) { return sqrt(p2); }
  return select(pow(p2, 0.5 * bp.power), 0.0, p2 == 0.0);
}

@compute @workgroup_size(WG)
fn band_matmul(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= bp.count) { return; }
  let f = i % bp.frames;
  let br = i / bp.frames;
  let r = br % bp.rows;
  let b = br / bp.rows;
  let lo = branges[2u * r];
  let hi = branges[2u * r + 1u];
  let xbase = b * bp.cols * bp.frames + f;
  var acc = 0.0;
  for (var c = lo; c < hi; c++) {
    acc += bw[r * bp.cols + c] * band_value(xbase + c * bp.frames);
  }
  if (bp.do_log != 0u) { acc = bp.log_scale * log(max(acc, bp.eps)); }
  by[i] = acc;
}
