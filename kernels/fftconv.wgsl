// FFT convolution helpers (src/ops/fftconv.ts runs the real FFTs of kernels/fft.wgsl between
// them). Overlap-add: the signal is cut into J segments of L samples, each zero-padded to N
// (N >= L + K - 1, so circular convolution of a block with the padded filter is linear), and
// the blocks' products are added back at offsets j L.
//   split:       x [B, T] -> blocks [B, J, N], block j = x[j L .. j L + L) then zeros.
//   spec_mul:    block spectra [B, J, bins, 2] times the filter's [Bh, bins, 2] (Bh = 1 or B).
//   overlap_add: blocks [B, J, N] -> y [B, len], y[t] = full[t + start] = sum_j block_j[t + start - j L].

override WG: u32 = 256;

struct SplitParams { count: u32, n: u32, seg: u32, blocks: u32, length: u32 }

@group(0) @binding(0) var<uniform> sp: SplitParams;
@group(0) @binding(1) var<storage, read> sx: array<f32>;
@group(0) @binding(2) var<storage, read_write> sblocks: array<f32>;

@compute @workgroup_size(WG)
fn split(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= sp.count) { return; }
  let m = i % sp.n;
  let bj = i / sp.n;
  let b = bj / sp.blocks;
  let t = (bj - b * sp.blocks) * sp.seg + m;
  var v = 0.0;
  if (m < sp.seg && t < sp.length) { v = sx[b * sp.length + t]; }
  sblocks[i] = v;
}

struct MulParams { count: u32, bins: u32, blocks: u32, h_batched: u32 }

@group(0) @binding(0) var<uniform> mp: MulParams;
@group(0) @binding(1) var<storage, read> mx: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> mh: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> my: array<vec2<f32>>;

@compute @workgroup_size(WG)
fn spec_mul(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= mp.count) { return; }
  let k = i % mp.bins;
  let b = i / (mp.bins * mp.blocks);
  let a = mx[i];
  let h = mh[select(0u, b, mp.h_batched != 0u) * mp.bins + k];
  my[i] = vec2<f32>(a.x * h.x - a.y * h.y, a.x * h.y + a.y * h.x);
}

struct OlaParams { count: u32, len: u32, start: u32, n: u32, seg: u32, blocks: u32 }

@group(0) @binding(0) var<uniform> op_: OlaParams;
@group(0) @binding(1) var<storage, read> oblocks: array<f32>;
@group(0) @binding(2) var<storage, read_write> oy: array<f32>;

@compute @workgroup_size(WG)
fn overlap_add(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= op_.count) { return; }
  let b = i / op_.len;
  let t = i - b * op_.len + op_.start;
  // Blocks j with j L <= t < j L + N.
  let j_hi = min(t / op_.seg, op_.blocks - 1u);
  var j_lo = 0u;
  if (t >= op_.n) { j_lo = (t - op_.n) / op_.seg + 1u; }
  var acc = 0.0;
  for (var j = j_lo; j <= j_hi; j++) {
    acc += oblocks[(b * op_.blocks + j) * op_.n + t - j * op_.seg];
  }
  oy[i] = acc;
}
