// Row reductions along the last axis and seeded randomness.
//   softmax / log-softmax: dst = exp(src - max) / sum, or (src - max) - log(sum)   (max-subtracted)
//   argmax: first index of the row maximum (NaN counts as the maximum, as in torch)
//   sample: index drawn from softmax(src / temperature) by inverting the CDF at one uniform draw;
//           temperature 0 gives the argmax
//   random: uniform [a, b) or normal (mean a, std b) noise from Philox4x32-10
//   counter_add: counter[0] += add, so a recorded autoregressive step advances its own counter
//
// Row kernels: a workgroup is TPR x RPW threads; each RPW-slot handles one row, its TPR threads
// stride through the row and combine partial results with a tree in workgroup memory (TPR is a
// power of two, TPR * RPW <= 64). Row = (wid.x + wid.y * nwg.x) * RPW + lid.y, so more than
// 65,535 workgroups fold into y. Every thread reaches every barrier (rows past the end run with
// n = 0). With TPR = 1 (plenty of rows: one thread per row) the reductions are identities and
// no barrier runs; the host picks TPR (src/ops/softmax_sample.ts rowConfig).
//
// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a
// bijection of a 128-bit counter under a 64-bit key. wavegpu's draws (src/ref/softmax_sample.ts
// implements the same generator on the CPU, and the tests compare them bit for bit):
//   key = (seed mod 2^32, seed / 2^32)
//   random element g of a stream:  counter = (g/4 mod 2^32, g/4 / 2^32, stream, TAG), word g mod 4
//   sample row r at step s:         counter = (s, stream0 + r, 0, TAG_SAMPLE), word 0
//   a word w becomes u = (w >> 8) * 2^-24 in [0, 1): 24 bits, exact in f32.
// The draw depends only on (seed, counter), never on the dispatch shape.
// #import math

override TPR: u32 = 64;   // threads per row (power of two)
override RPW: u32 = 4;    // rows per workgroup
override WG: u32 = 256;   // for the 1-D kernels (random)

struct RowParams { rows: u32, n: u32, log: u32, _pad: u32 }
struct SampleParams {
  rows: u32, n: u32, seed_lo: u32, seed_hi: u32,
  step: u32, use_counter: u32, stream0: u32, temperature: f32,
}
struct RandomParams {
  n: u32, seed_lo: u32, seed_hi: u32, stream: u32,
  block_lo: u32, block_hi: u32, first: u32, tag: u32,
  a: f32, b: f32, normal: u32, _pad: u32,
}
struct CounterParams { add: u32, _pad0: u32, _pad1: u32, _pad2: u32 }

@group(0) @binding(0) var<uniform> params: RowParams;
@group(0) @binding(0) var<uniform> sparams: SampleParams;
@group(0) @binding(0) var<uniform> rparams: RandomParams;
@group(0) @binding(0) var<uniform> cparams: CounterParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;             // [rows, n]
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;       // [rows, n] or random [n]
@group(0) @binding(2) var<storage, read_write> idx: array<i32>;     // [rows]
@group(0) @binding(3) var<storage, read> counter: array<u32>;       // sample: step = counter[0]
@group(0) @binding(1) var<storage, read_write> counter_rw: array<u32>;

var<workgroup> red_f: array<f32, 64>;   // TPR * RPW <= 64
var<workgroup> red_u: array<u32, 64>;

const TAG_SAMPLE: u32 = 2u;

fn row_of(wid: vec3<u32>, nwg: vec3<u32>, lid: vec3<u32>) -> u32 {
  return (wid.x + wid.y * nwg.x) * RPW + lid.y;
}

fn is_nan(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

// Tree reductions over the TPR threads of one row; slot s = lid.y * TPR + lid.x, base = lid.y * TPR.
fn reduce_max(v: f32, s: u32, base: u32, lx: u32) -> f32 {
  if (TPR == 1u) { return v; }
  red_f[s] = v;
  workgroupBarrier();
  for (var w = TPR / 2u; w > 0u; w >>= 1u) {
    if (lx < w) { red_f[s] = max(red_f[s], red_f[s + w]); }
    workgroupBarrier();
  }
  let r = red_f[base];
  workgroupBarrier();
  return r;
}

fn reduce_sum(v: f32, s: u32, base: u32, lx: u32) -> f32 {
  if (TPR == 1u) { return v; }
  red_f[s] = v;
  workgroupBarrier();
  for (var w = TPR / 2u; w > 0u; w >>= 1u) {
    if (lx < w) { red_f[s] = red_f[s] + red_f[s + w]; }
    workgroupBarrier();
  }
  let r = red_f[base];
  workgroupBarrier();
  return r;
}

const NONE: u32 = 0xffffffffu;

// (v, i) beats (w, wi) when larger, NaN beating numbers, lower index on ties; NONE never wins.
fn arg_better(v: f32, i: u32, w: f32, wi: u32) -> bool {
  if (i == NONE) { return false; }
  if (wi == NONE) { return true; }
  if (is_nan(v) != is_nan(w)) { return is_nan(v); }
  if (is_nan(v) || v == w) { return i < wi; }
  return v > w;
}

// The row's (max value bits, first argmax index); index NONE for an empty row.
fn reduce_argmax(v: f32, i: u32, s: u32, base: u32, lx: u32) -> vec2<u32> {
  if (TPR == 1u) { return vec2<u32>(bitcast<u32>(v), i); }
  red_f[s] = v;
  red_u[s] = i;
  workgroupBarrier();
  for (var w = TPR / 2u; w > 0u; w >>= 1u) {
    if (lx < w && arg_better(red_f[s + w], red_u[s + w], red_f[s], red_u[s])) {
      red_f[s] = red_f[s + w];
      red_u[s] = red_u[s + w];
    }
    workgroupBarrier();
  }
  let r = vec2<u32>(bitcast<u32>(red_f[base]), red_u[base]);
  workgroupBarrier();
  return r;
}

fn reduce_min_u(v: u32, s: u32, base: u32, lx: u32) -> u32 {
  if (TPR == 1u) { return v; }
  red_u[s] = v;
  workgroupBarrier();
  for (var w = TPR / 2u; w > 0u; w >>= 1u) {
    if (lx < w) { red_u[s] = min(red_u[s], red_u[s + w]); }
    workgroupBarrier();
  }
  let r = red_u[base];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(TPR, RPW)
fn softmax(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = row_of(wid, nwg, lid);
  let live = row < params.rows;
  let n = select(0u, params.n, live);
  let off = row * params.n;
  let s = lid.y * TPR + lid.x;
  let base = lid.y * TPR;
  var m = -3.4028234663852886e38;
  for (var j = lid.x; j < n; j += TPR) { m = max(m, src[off + j]); }
  m = reduce_max(m, s, base, lid.x);
  // softmax parks exp(x - m) in dst and rescales it in place (each thread rereads only what it
  // wrote itself), so exp runs once per element.
  let keep = params.log == 0u;
  var sum = 0.0;
  for (var j = lid.x; j < n; j += TPR) {
    let e = exp(src[off + j] - m);
    sum += e;
    if (keep) { dst[off + j] = e; }
  }
  sum = reduce_sum(sum, s, base, lid.x);
  if (keep) {
    let inv = 1.0 / sum;
    for (var j = lid.x; j < n; j += TPR) { dst[off + j] = dst[off + j] * inv; }
  } else {
    let lse = log(sum);
    for (var j = lid.x; j < n; j += TPR) { dst[off + j] = (src[off + j] - m) - lse; }
  }
}

// Per-thread first maximum over the strided elements j = lx, lx + TPR, ... Indices only grow,
// so a later element wins only if strictly larger (or the first NaN); the tree then picks the
// lowest index among equal values.
fn thread_argmax(off: u32, n: u32, lx: u32) -> vec2<u32> {
  var best = -3.4028234663852886e38;
  var bi = NONE;
  for (var j = lx; j < n; j += TPR) {
    let v = src[off + j];
    if (bi == NONE || (!is_nan(best) && (v > best || is_nan(v)))) { best = v; bi = j; }
  }
  return vec2<u32>(bitcast<u32>(best), bi);
}

@compute @workgroup_size(TPR, RPW)
fn argmax(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = row_of(wid, nwg, lid);
  let live = row < params.rows;
  let t = thread_argmax(row * params.n, select(0u, params.n, live), lid.x);
  let r = reduce_argmax(bitcast<f32>(t.x), t.y, lid.y * TPR + lid.x, lid.y * TPR, lid.x);
  if (live && lid.x == 0u) { idx[row] = i32(r.y); }
}

// ---- Philox4x32-10 -------------------------------------------------------------------------------
const PHILOX_M0: u32 = 0xD2511F53u;
const PHILOX_M1: u32 = 0xCD9E8D57u;
const PHILOX_W0: u32 = 0x9E3779B9u;   // key schedule: golden ratio
const PHILOX_W1: u32 = 0xBB67AE85u;   // sqrt(3) - 1

// (high, low) words of the 64-bit product a * b, from 16-bit halves (WGSL has no 64-bit integers).
fn mul_hi_lo(a: u32, b: u32) -> vec2<u32> {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let lh = al * bh;
  let hl = ah * bl;
  let mid = ((al * bl) >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return vec2<u32>(ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u), a * b);
}

fn philox4x32_10(counter_in: vec4<u32>, key_in: vec2<u32>) -> vec4<u32> {
  var c = counter_in;
  var k = key_in;
  for (var r = 0u; r < 10u; r++) {
    let p0 = mul_hi_lo(PHILOX_M0, c.x);
    let p1 = mul_hi_lo(PHILOX_M1, c.z);
    c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
    k += vec2<u32>(PHILOX_W0, PHILOX_W1);
  }
  return c;
}

// Top 24 bits as a float in [0, 1); exact in f32.
fn unit_float(w: u32) -> f32 {
  return f32(w >> 8u) * (1.0 / 16777216.0);
}

// ---- categorical sampling --------------------------------------------------------------------
// Pass 1 finds the row's maximum and argmax (the answer at temperature 0). Pass 2 gives each
// thread a contiguous chunk, sums exp((x - max) / T) over it, and one thread turns the chunk
// sums into exclusive prefixes (sequentially, so the boundaries are consistent). Each thread
// then walks its chunk from its prefix and proposes the first index whose running sum passes
// u * total; the minimum proposal is the draw. If rounding leaves u * total at or past every
// running sum, the last index of positive weight is taken (proposals are coded so that one
// min-reduction handles both).
fn sample_claim(off: u32, j0: u32, j1: u32, start: f32, goal: f32, mx: f32, inv_t: f32) -> u32 {
  var c = start;
  var claim = NONE;
  var last = NONE;
  for (var j = j0; j < j1; j++) {
    let w = exp((src[off + j] - mx) * inv_t);
    c += w;
    if (w > 0.0) {
      last = j;
      if (claim == NONE && c > goal) { claim = j; }
    }
  }
  if (claim != NONE) { return claim; }
  if (last != NONE) { return 0x80000000u + (0x7fffffffu - last); }
  return NONE;
}

fn prefix_chunks(own: f32, s: u32, base: u32, lx: u32) -> vec2<f32> {
  if (TPR == 1u) { return vec2<f32>(0.0, own); }
  red_f[s] = own;
  workgroupBarrier();
  if (lx == 0u) {
    var acc = 0.0;
    for (var t = 0u; t < TPR; t++) {
      let v = red_f[base + t];
      red_f[base + t] = acc;
      acc += v;
    }
    red_u[base] = bitcast<u32>(acc);
  }
  workgroupBarrier();
  let r = vec2<f32>(red_f[s], bitcast<f32>(red_u[base]));   // (exclusive prefix, row total)
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(TPR, RPW)
fn sample(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = row_of(wid, nwg, lid);
  let live = row < sparams.rows;
  let n = select(0u, sparams.n, live);
  let off = row * sparams.n;
  let s = lid.y * TPR + lid.x;
  let base = lid.y * TPR;
  let t = thread_argmax(off, n, lid.x);
  let am = reduce_argmax(bitcast<f32>(t.x), t.y, s, base, lid.x);
  if (sparams.temperature <= 0.0) {
    if (live && lid.x == 0u) { idx[row] = i32(am.y); }
    return;
  }
  let mx = bitcast<f32>(am.x);
  let inv_t = 1.0 / sparams.temperature;
  let chunk = (n + TPR - 1u) / TPR;
  let j0 = min(lid.x * chunk, n);
  let j1 = min(j0 + chunk, n);
  var own = 0.0;
  for (var j = j0; j < j1; j++) { own += exp((src[off + j] - mx) * inv_t); }
  let pt = prefix_chunks(own, s, base, lid.x);
  let step = select(sparams.step, counter[0], sparams.use_counter != 0u);
  let u = unit_float(philox4x32_10(vec4<u32>(step, sparams.stream0 + row, 0u, TAG_SAMPLE), vec2<u32>(sparams.seed_lo, sparams.seed_hi)).x);
  let r = reduce_min_u(sample_claim(off, j0, j1, pt.x, u * pt.y, mx, inv_t), s, base, lid.x);
  if (live && lid.x == 0u) {
    var pick = 0u;
    if (r < 0x80000000u) { pick = r; } else if (r != NONE) { pick = 0x7fffffffu - (r - 0x80000000u); }
    idx[row] = i32(pick);
  }
}

// ---- noise -------------------------------------------------------------------------------------
// Thread t owns Philox block (block_lo, block_hi) + t, i.e. stream elements 4t + lane - first of the
// output (first = offset mod 4). Uniform: a + (b - a) u. Normal (Box-Muller on the lane pairs
// (0, 1) and (2, 3)): r = sqrt(-2 ln(1 - u_even)), theta = 2 pi u_odd, z = r cos theta (even
// lane) or r sin theta (odd lane); value a + b z.
fn noise_value(w: vec4<u32>, lane: u32) -> f32 {
  if (rparams.normal == 0u) { return rparams.a + (rparams.b - rparams.a) * unit_float(w[lane]); }
  let p = lane & 2u;
  let r = sqrt(-2.0 * log(1.0 - unit_float(w[p])));
  let theta = 6.283185307179586 * unit_float(w[p + 1u]);
  let z = select(r * precise_cos(theta), r * precise_sin(theta), (lane & 1u) == 1u);
  return rparams.a + rparams.b * z;
}

@compute @workgroup_size(WG)
fn random(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.x + gid.y * nwg.x * WG;
  if (t > (rparams.n + rparams.first - 1u) / 4u) { return; }
  let blo = rparams.block_lo + t;
  let bhi = rparams.block_hi + select(0u, 1u, blo < rparams.block_lo);
  let w = philox4x32_10(vec4<u32>(blo, bhi, rparams.stream, rparams.tag), vec2<u32>(rparams.seed_lo, rparams.seed_hi));
  for (var lane = 0u; lane < 4u; lane++) {
    let i = 4u * t + lane;
    if (i >= rparams.first && i - rparams.first < rparams.n) { dst[i - rparams.first] = noise_value(w, lane); }
  }
}

@compute @workgroup_size(1)
fn counter_add() {
  counter_rw[0] = counter_rw[0] + cparams.add;
}
