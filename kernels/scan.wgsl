// Scans along one axis of a tensor viewed as [outer, n, inner]. A "row" is one (outer, inner)
// pair; its n elements sit `inner` apart, starting at (r / inner) * n * inner + r % inner.
// Modes (src/ops/scan.ts MODES mirrors them):
//   M_SUM:    v[i] = scale * x[i],  y[i] = v[0] + ... + v[i]                      (cumsum)
//   M_UNWRAP: v[i] = the 2 pi jumps numpy.unwrap removes between x[i-1] and x[i], as a
//             negated integer count (v[0] = 0); y[i] = x[i] + 2 pi (v[0] + ... + v[i]).
//             Integer counts sum exactly, so the output is x[i] + an exact multiple of 2 pi.
// Kernels:
//   scan_serial: one thread per row, Kahan-compensated running sum (short or strided rows).
//   scan_block:  one workgroup per block of WG*K elements of a row: coalesced load to workgroup
//                memory, a K-element serial scan per thread, then one thread scans the WG thread
//                totals (raking: 3 barriers). With one block per row it writes the result;
//                otherwise it writes block-local prefixes and the block totals to `sums`, the op
//                scans `sums` (recursively) and scan_add adds each block's offset.
//   inst_freq:   GANSynth's instantaneous frequency, diff(unwrap(x)) / pi with the first element
//                kept as x[0] / pi. Elementwise: the unwrapped difference is the wrapped diff.
// Every serial sum is Kahan-compensated and the levels (K elements, WG threads, blocks, recursive
// levels of blocks) nest, so the f32 error stays at a few eps sum|v| per level, not n eps sum|v|.

override WG: u32 = 64;      // scan_block: WG * K <= 1024 (tile size)
const K: u32 = 16u;         // elements per thread in scan_block (block = WG * K)

const M_SUM: u32 = 0u;
const M_UNWRAP: u32 = 1u;

const PI: f32 = 3.14159265358979;
const TWO_PI: f32 = 6.28318530717959;
const PI_HI: f32 = 3.140625;                    // 201/64: m * PI_HI is exact for |m| < 2^16
const PI_LO: f32 = 9.67653589793e-4;            // pi - PI_HI
const TWO_PI_HI: f32 = 6.28125;
const TWO_PI_LO: f32 = 1.93530717958647692e-3;
const INV_PI: f32 = 0.318309886183790672;

struct ScanParams {
  rows: u32, n: u32, inner: u32, nblocks: u32,
  block: u32, mode: u32, scale: f32, discont_hi: f32, discont_lo: f32,
}

@group(0) @binding(0) var<uniform> params: ScanParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

fn row_base(r: u32) -> u32 {
  return (r / params.inner) * params.n * params.inner + r % params.inner;
}

// The difference a - b exactly, as hi + lo (Knuth's two-sum on a + (-b)).
fn two_diff(a: f32, b: f32) -> vec2<f32> {
  let s = a - b;
  let bv = s - a;
  let av = s - bv;
  return vec2<f32>(s, (a - av) - (b + bv));
}

// dd - m pi for an odd integer m, with dd = d.x + d.y exact: near zero, d.x - m PI_HI is exact
// (Sterbenz) and the two small terms keep the sign right.
fn minus_odd_pi(d: vec2<f32>, m: f32) -> f32 {
  return ((d.x - m * PI_HI) + d.y) - m * PI_LO;
}

// numpy.unwrap's correction between consecutive phases, as the integer k with
// ddmod - dd = -2 pi k: k = floor((dd + pi) / 2 pi), none when |dd| < discont. The estimate is
// settled with the exact residual dd + pi - 2 pi k = dd - (2k - 1) pi, so decisions match the
// float64 definition for f32 inputs (numpy's +pi tie needs dd = (2k-1) pi exactly: never in f32).
fn jump_count(d: vec2<f32>) -> f32 {
  let s = select(-1.0, 1.0, d.x >= 0.0);
  if ((abs(d.x) - params.discont_hi) + (s * d.y - params.discont_lo) < 0.0) { return 0.0; }
  var k = floor((d.x + PI) / TWO_PI);
  if (minus_odd_pi(d, 2.0 * k - 1.0) < 0.0) { k -= 1.0; }
  else if (minus_odd_pi(d, 2.0 * k + 1.0) >= 0.0) { k += 1.0; }
  return k;
}

fn load(base: u32, i: u32) -> f32 {
  let v = x[base + i * params.inner];
  if (params.mode == M_UNWRAP) {
    if (i == 0u) { return 0.0; }
    return -jump_count(two_diff(v, x[base + (i - 1u) * params.inner]));
  }
  return v * params.scale;
}

fn finish(base: u32, i: u32, prefix: f32) -> f32 {
  if (params.mode == M_UNWRAP) {
    return (x[base + i * params.inner] + prefix * TWO_PI_HI) + prefix * TWO_PI_LO;
  }
  return prefix;
}

@compute @workgroup_size(WG)
fn scan_serial(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = gid.x + gid.y * nwg.x * WG;
  if (r >= params.rows) { return; }
  let base = row_base(r);
  var s = 0.0;
  var c = 0.0;   // Kahan compensation
  for (var i = 0u; i < params.n; i++) {
    let v = load(base, i) - c;
    let t = s + v;
    c = (t - s) - v;
    s = t;
    y[base + i * params.inner] = finish(base, i, s);
  }
}

@group(0) @binding(3) var<storage, read_write> sums: array<f32>;

var<workgroup> tile: array<f32, 1024>;   // WG * K <= 1024
var<workgroup> part: array<f32, 64>;     // per-thread totals (WG <= 64), then their exclusive prefixes
var<workgroup> block_total: f32;

// Kahan-compensated running sum over tile[lo..lo+count), in place (inclusive); returns the total.
fn scan_tile(lo: u32, count: u32) -> f32 {
  var s = 0.0;
  var c = 0.0;
  for (var k = 0u; k < count; k++) {
    let v = tile[lo + k] - c;
    let t = s + v;
    c = (t - s) - v;
    s = t;
    tile[lo + k] = s;
  }
  return s;
}

// Raking scan: three barriers per block, whatever WG (barriers are what a CPU-emulated GPU pays
// for; a Blelloch tree needs 2 log2 WG of them). Work stays O(n).
@compute @workgroup_size(WG)
fn scan_block(@builtin(local_invocation_id) lid3: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let lid = lid3.x;
  let g = wid.x + wid.y * nwg.x;
  let row = g / params.nblocks;
  if (row >= params.rows) { return; }
  let blk = g % params.nblocks;
  let base = row_base(row);
  let start = blk * WG * K;
  for (var k = 0u; k < K; k++) {           // coalesced load of the block
    let i = start + k * WG + lid;
    tile[k * WG + lid] = select(0.0, load(base, min(i, params.n - 1u)), i < params.n);
  }
  workgroupBarrier();
  part[lid] = scan_tile(lid * K, K);       // each thread: its K consecutive elements
  workgroupBarrier();
  if (lid == 0u) {                         // one thread: exclusive prefixes of the WG totals
    var s = 0.0;
    var c = 0.0;
    for (var j = 0u; j < WG; j++) {
      let total = part[j];
      part[j] = s;
      let v = total - c;
      let t = s + v;
      c = (t - s) - v;
      s = t;
    }
    block_total = s;
  }
  workgroupBarrier();
  let off = part[lid];
  for (var k = 0u; k < K; k++) {
    let i = start + lid * K + k;
    if (i < params.n) {
      let prefix = tile[lid * K + k] + off;
      y[base + i * params.inner] = select(prefix, finish(base, i, prefix), params.nblocks == 1u);
    }
  }
  if (lid == 0u && params.nblocks > 1u) { sums[row * params.nblocks + blk] = block_total; }
}

@group(0) @binding(3) var<storage, read> offsets: array<f32>;

// y[i] = finish(prefix of block + inclusive total of the blocks before it); one thread per element.
@compute @workgroup_size(WG)
fn scan_add(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * WG;
  if (g >= params.rows * params.n) { return; }
  let row = g / params.n;
  let i = g % params.n;
  let blk = i / params.block;   // scan_block's WG * K
  let base = row_base(row);
  var prefix = y[base + i * params.inner];
  if (blk > 0u) { prefix += offsets[row * params.nblocks + blk - 1u]; }
  y[base + i * params.inner] = finish(base, i, prefix);
}

// One thread per element of [outer, n, inner].
@compute @workgroup_size(WG)
fn inst_freq(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * WG;
  if (g >= params.rows * params.n) { return; }
  let i = (g / params.inner) % params.n;
  let v = x[g];
  if (i == 0u) { y[g] = v * INV_PI; return; }
  let d = two_diff(v, x[g - params.inner]);
  let k = jump_count(d);
  y[g] = (((d.x - k * TWO_PI_HI) + d.y) - k * TWO_PI_LO) * INV_PI;
}
