// Normalisations. eps is added to the biased variance (divide by N), as torch does.
//
//   group_norm  one kernel for layer, instance and group norm: the input is M groups of N
//               contiguous values (layer norm: rows of the normalised trailing dims; instance
//               norm: one (b, c) plane; group norm: one (b, group) block of C/G planes) and
//               y = (x - mean) / sqrt(var + eps) * gamma[a] + beta[a], where a is the element's
//               position in the group (layer norm, `affine` 1) or its channel (`affine` 2:
//               a = (m % G) * C/G + i / spatial).
//               Reduction: `lanes` threads (a power of two dividing WG) share a group, so a
//               workgroup holds WG / lanes groups; with lanes = WG it is one workgroup per group.
//               Each thread sums a strided slice, then a tree in workgroup memory (log2(lanes)
//               barrier steps) combines them. The op (normLanes) uses few lanes when there are
//               many groups: each barrier step is expensive on CPU back ends. Two passes for accuracy: the mean first (of x - x0,
//               x0 the group's first value, so a large common offset does not inflate the f32
//               partial sums), then the sum of squared deviations from it; a third pass writes.
//   pixel_norm  y = x / sqrt(mean_c x^2 + eps) over the channels of each (b, position) of
//               [B, C, S] (ProGAN / GANSynth): one thread per position walks its C values
//               (stride S, so neighbouring threads read neighbouring addresses); C is small
//               and positions many, so a serial sum beats a workgroup tree here.
//
// Work: group_norm reads x three times and writes y once: bytes = 4*(3|x| + |y| + |gamma| + |beta|),
// FLOPs ~ 8 per element; pixel_norm reads x twice: bytes = 4*(2|x| + |y|), FLOPs ~ 4 per element.
// Index = gid.x + gid.y * nwg.x * WG (grid() folds > 65,535 workgroups into y).

override WG: u32 = 256;

struct NormParams {
  n_groups: u32,        // M
  group_size: u32,      // N
  lanes: u32,           // threads per group (power of two, divides WG)
  affine: u32,          // 0: none, 1: per element of the group, 2: per channel
  spatial: u32,         // values per channel (affine 2)
  ch_per_group: u32,    // channels per group (affine 2)
  groups: u32,          // groups per sample G (affine 2)
  has_weight: u32,
  has_bias: u32,
  eps: f32,
}

@group(0) @binding(0) var<uniform> params: NormParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;      // [M, N]
@group(0) @binding(2) var<storage, read> gamma: array<f32>;  // per element or channel (x when unused)
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>; // [M, N]

var<workgroup> partial: array<f32, 256>;   // WG <= 256

// Sum of v over the `lanes` threads seg .. seg + lanes - 1; every one of them gets it.
fn segment_sum(lid: u32, seg: u32, lt: u32, v: f32) -> f32 {
  partial[lid] = v;
  workgroupBarrier();
  for (var s = params.lanes >> 1u; s > 0u; s = s >> 1u) {
    if (lt < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  let total = partial[seg];
  workgroupBarrier();   // partial is reused by the next call
  return total;
}

fn affine_index(m: u32, i: u32) -> u32 {
  if (params.affine == 1u) { return i; }
  return (m % params.groups) * params.ch_per_group + i / params.spatial;
}

@compute @workgroup_size(WG)
fn group_norm(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = params;
  let lt = lid % p.lanes;
  let seg = lid - lt;
  let m = (wid.x + wid.y * nwg.x) * (WG / p.lanes) + lid / p.lanes;
  let live = m < p.n_groups;
  let n = p.group_size;
  let base = m * n;
  var x0 = 0.0;
  var s = 0.0;
  if (live) {
    x0 = x[base];
    for (var i = lt; i < n; i += p.lanes) { s += x[base + i] - x0; }
  }
  let mean = x0 + segment_sum(lid, seg, lt, s) / f32(n);
  var q = 0.0;
  if (live) {
    for (var i = lt; i < n; i += p.lanes) { let d = x[base + i] - mean; q += d * d; }
  }
  let inv = 1.0 / sqrt(segment_sum(lid, seg, lt, q) / f32(n) + p.eps);
  if (!live) { return; }
  for (var i = lt; i < n; i += p.lanes) {
    var v = (x[base + i] - mean) * inv;
    if (p.affine != 0u) {
      let a = affine_index(m, i);
      if (p.has_weight != 0u) { v = v * gamma[a]; }
      if (p.has_bias != 0u) { v = v + beta[a]; }
    }
    y[base + i] = v;
  }
}

struct PixelNormParams { n: u32, channels: u32, spatial: u32, eps: f32 }

@group(0) @binding(0) var<uniform> pparams: PixelNormParams;
@group(0) @binding(1) var<storage, read> px: array<f32>;        // [B, C, S]
@group(0) @binding(2) var<storage, read_write> py: array<f32>;  // [B, C, S]

@compute @workgroup_size(WG)
fn pixel_norm(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = pparams;
  if (i >= p.n) { return; }
  let base = (i / p.spatial) * p.channels * p.spatial + i % p.spatial;
  var q = 0.0;
  for (var c = 0u; c < p.channels; c++) { let v = px[base + c * p.spatial]; q += v * v; }
  let inv = 1.0 / sqrt(q / f32(p.channels) + p.eps);
  for (var c = 0u; c < p.channels; c++) { py[base + c * p.spatial] = px[base + c * p.spatial] * inv; }
}
