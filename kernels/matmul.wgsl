// Batched matrix multiply with optional transposes, batch broadcasting and a bias row:
//   C[z, i, j] = sum_k opA(A)[z, i, k] * opB(B)[z, k, j] (+ bias[j])
//   A: [Ba, M, K] (or [Ba, K, M] transposed), B: [Bb, K, N] (or [Bb, N, K]), C: [batch, M, N].
// The host folds transposes and broadcasting into strides (src/ops/matmul.ts), so one kernel serves
// every case: opA(A)[z, i, k] = a[z * a_bs + i * a_rs + k * a_cs] (a_bs = 0 broadcasts a batch-1 A),
// opB(B)[z, k, j] = b[z * b_bs + k * b_rs + j * b_cs]. The batch index is workgroup_id.z.
//
// Versions (each checked against src/ref/matmul.ts in test/matmul.test.ts; timed side by side by
// bench/cases/matmul.ts; GFLOP/s measured on SwiftShader are listed under "Measured" below):
//   v1 `naive`:   one thread per C element, the K loop reads A and B straight from storage
//                 (`gemv4`: the same over 16-byte words, for linear layers with M <= 4).
//   v2 `tiled`:   16x16 tiles of opA(A) and opB(B) staged in workgroup memory, one C element per
//                 thread; each staged value is reused 16 times.
//   v3 `blocked`: a 64x64 C tile per 64-thread workgroup, each thread owns an 8x8 block of C in
//                 16 vec4 registers; K advances in steps of 16 staged in workgroup memory as vec4
//                 quads, so each k costs 4 vec4 reads from workgroup memory for 64 FMAs. The tuned
//                 version: the bench's device ceiling ('matmul ceiling 1024^3').
//
// Measured 2026-11-21, Node + Dawn + SwiftShader, 2-core VM shared with other jobs (load ~15-19),
// square f32 matrices, versions interleaved, best of 3; GFLOP per CPU-second of this process
// (SwiftShader's workers run in it) is the load-independent figure, wall GFLOP/s is what we got:
//            256^3 wall / per cpu-s    512^3            1024^3
//   v1 naive   0.12 / 0.33             0.12 / 0.30      -
//   v2 tiled   0.02 / 0.06             -                -      (a barrier pair per 16 k: barriers
//                                                              are very costly on SwiftShader)
//   v3 blocked 0.22 / 0.58             0.37 / 0.85      0.37 / 0.93  (so ~1.9 GFLOP/s expected on
//                                                                    two otherwise idle cores)
// Chromium (bench harness, same load): 256^3 v1 0.45, v2 0.04, v3 1.02 GFLOP/s.
// A 4x4-per-thread, 256-thread variant of v3 measured 0.35 GFLOP/cpu-s, about 0.6x of the 8x8.

struct MatmulParams {
  m: u32, n: u32, k: u32, has_bias: u32,
  a_bs: u32, a_rs: u32, a_cs: u32, _pad0: u32,
  b_bs: u32, b_rs: u32, b_cs: u32, _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: MatmulParams;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;   // [N]; any buffer when has_bias = 0
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

fn load_a(z: u32, i: u32, kk: u32) -> f32 {
  if (i >= params.m || kk >= params.k) { return 0.0; }
  return a[z * params.a_bs + i * params.a_rs + kk * params.a_cs];
}

fn load_b(z: u32, kk: u32, j: u32) -> f32 {
  if (kk >= params.k || j >= params.n) { return 0.0; }
  return b[z * params.b_bs + kk * params.b_rs + j * params.b_cs];
}

fn store_c(z: u32, i: u32, j: u32, v: f32) {
  if (i >= params.m || j >= params.n) { return; }
  var out = v;
  if (params.has_bias != 0u) { out += bias[j]; }
  c[(z * params.m + i) * params.n + j] = out;
}

// ---- v1: naive ---------------------------------------------------------------------------------
override WG_X: u32 = 16;
override WG_Y: u32 = 16;

@compute @workgroup_size(WG_X, WG_Y)
fn naive(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let i = gid.y;
  if (i >= params.m || j >= params.n) { return; }
  let a0 = gid.z * params.a_bs + i * params.a_rs;
  let b0 = gid.z * params.b_bs + j * params.b_cs;
  var acc = 0.0;
  for (var kk = 0u; kk < params.k; kk++) {
    acc += a[a0 + kk * params.a_cs] * b[b0 + kk * params.b_rs];
  }
  store_c(gid.z, i, j, acc);
}

// GEMV companion of v1 for a linear layer's rows (M <= 4, A rows and B^T rows contiguous, K a
// multiple of 4): the dot product runs over 16-byte words, 4 partial sums summed at the end.
@group(0) @binding(1) var<storage, read> a4: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> b4: array<vec4<f32>>;

@compute @workgroup_size(WG_X, WG_Y)
fn gemv4(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let i = gid.y;
  if (i >= params.m || j >= params.n) { return; }
  let a0 = (gid.z * params.a_bs + i * params.a_rs) / 4u;
  let b0 = (gid.z * params.b_bs + j * params.b_cs) / 4u;
  var acc = vec4<f32>(0.0);
  for (var kk = 0u; kk < params.k / 4u; kk++) { acc += a4[a0 + kk] * b4[b0 + kk]; }
  store_c(gid.z, i, j, (acc.x + acc.y) + (acc.z + acc.w));
}

// ---- v2: workgroup tiles -----------------------------------------------------------------------
const T2: u32 = 16u;
var<workgroup> a_t2: array<f32, 256>;   // [T2 rows i][T2 cols k]
var<workgroup> b_t2: array<f32, 256>;   // [T2 rows k][T2 cols j]

@compute @workgroup_size(16, 16)
fn tiled(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let i = wid.y * T2 + lid.y;
  let j = wid.x * T2 + lid.x;
  var acc = 0.0;
  for (var k0 = 0u; k0 < params.k; k0 += T2) {
    a_t2[lid.y * T2 + lid.x] = load_a(wid.z, i, k0 + lid.x);
    b_t2[lid.y * T2 + lid.x] = load_b(wid.z, k0 + lid.y, j);
    workgroupBarrier();
    for (var kk = 0u; kk < T2; kk++) {
      acc += a_t2[lid.y * T2 + kk] * b_t2[kk * T2 + lid.x];
    }
    workgroupBarrier();
  }
  store_c(wid.z, i, j, acc);
}

// ---- v3: register blocking ---------------------------------------------------------------------
// 64 threads (8 x 8), each owning an 8 x 8 block of C as 16 vec4 accumulators; the workgroup's
// 64 x 64 C tile advances through K in steps of BK staged in workgroup memory as vec4 quads.
// Compile time: WebGPU zero-fills workgroup memory at entry, and SwiftShader's pipeline compile
// time grows with that size (measured: ~1.5 s per 8 KiB here, on top of ~1 s); BK = 16 (8 KiB in
// all) ran as fast as BK = 32 and compiles in about half the time.
const BM: u32 = 64u;    // C rows per workgroup
const BN: u32 = 64u;    // C columns per workgroup
const BK: u32 = 16u;    // K step staged per barrier pair (see the note on compile time above)
// a_t3[kk * 16 + q] = opA(A)[row0 + 4q .. 4q + 3, k0 + kk]; b_t3[kk * 16 + q] = opB(B)[k0 + kk, col0 + 4q .. 4q + 3]
var<workgroup> a_t3: array<vec4<f32>, 256>;   // BK * BM / 4
var<workgroup> b_t3: array<vec4<f32>, 256>;   // BK * BN / 4

// Stages the BK x BM slice of opA(A) and the BK x BN slice of opB(B) at k0: 4 quads each per thread.
fn stage_blocked(z: u32, row0: u32, col0: u32, k0: u32, tid: u32) {
  for (var e = tid; e < 256u; e += 64u) {
    let kk = k0 + e / 16u;
    let q = (e % 16u) * 4u;
    a_t3[e] = vec4<f32>(load_a(z, row0 + q, kk), load_a(z, row0 + q + 1u, kk),
                        load_a(z, row0 + q + 2u, kk), load_a(z, row0 + q + 3u, kk));
    b_t3[e] = vec4<f32>(load_b(z, kk, col0 + q), load_b(z, kk, col0 + q + 1u),
                        load_b(z, kk, col0 + q + 2u), load_b(z, kk, col0 + q + 3u));
  }
}

fn store_quad(z: u32, i: u32, j: u32, v: vec4<f32>) {
  store_c(z, i, j, v.x);
  store_c(z, i, j + 1u, v.y);
  store_c(z, i, j + 2u, v.z);
  store_c(z, i, j + 3u, v.w);
}

// The 8 x 8 block is written out by hand (r = row, l/h = column quads 0-3 / 4-7): SwiftShader keeps
// named vec4 values in registers, while a dynamically indexed private array would live in memory.
@compute @workgroup_size(8, 8)
fn blocked(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let tid = lid.y * 8u + lid.x;
  let row0 = wid.y * BM;
  let col0 = wid.x * BN;
  var c0l = vec4<f32>(0.0); var c0h = vec4<f32>(0.0); var c1l = vec4<f32>(0.0); var c1h = vec4<f32>(0.0);
  var c2l = vec4<f32>(0.0); var c2h = vec4<f32>(0.0); var c3l = vec4<f32>(0.0); var c3h = vec4<f32>(0.0);
  var c4l = vec4<f32>(0.0); var c4h = vec4<f32>(0.0); var c5l = vec4<f32>(0.0); var c5h = vec4<f32>(0.0);
  var c6l = vec4<f32>(0.0); var c6h = vec4<f32>(0.0); var c7l = vec4<f32>(0.0); var c7h = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < params.k; k0 += BK) {
    stage_blocked(wid.z, row0, col0, k0, tid);
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let al = a_t3[kk * 16u + lid.y * 2u];        // rows 8ty + 0..3
      let ah = a_t3[kk * 16u + lid.y * 2u + 1u];   // rows 8ty + 4..7
      let bl = b_t3[kk * 16u + lid.x * 2u];        // columns 8tx + 0..3
      let bh = b_t3[kk * 16u + lid.x * 2u + 1u];   // columns 8tx + 4..7
      c0l += al.x * bl; c0h += al.x * bh; c1l += al.y * bl; c1h += al.y * bh;
      c2l += al.z * bl; c2h += al.z * bh; c3l += al.w * bl; c3h += al.w * bh;
      c4l += ah.x * bl; c4h += ah.x * bh; c5l += ah.y * bl; c5h += ah.y * bh;
      c6l += ah.z * bl; c6h += ah.z * bh; c7l += ah.w * bl; c7h += ah.w * bh;
    }
    workgroupBarrier();
  }
  let i = row0 + lid.y * 8u;
  let j = col0 + lid.x * 8u;
  store_quad(wid.z, i, j, c0l); store_quad(wid.z, i, j + 4u, c0h);
  store_quad(wid.z, i + 1u, j, c1l); store_quad(wid.z, i + 1u, j + 4u, c1h);
  store_quad(wid.z, i + 2u, j, c2l); store_quad(wid.z, i + 2u, j + 4u, c2h);
  store_quad(wid.z, i + 3u, j, c3l); store_quad(wid.z, i + 3u, j + 4u, c3h);
  store_quad(wid.z, i + 4u, j, c4l); store_quad(wid.z, i + 4u, j + 4u, c4h);
  store_quad(wid.z, i + 5u, j, c5l); store_quad(wid.z, i + 5u, j + 4u, c5h);
  store_quad(wid.z, i + 6u, j, c6l); store_quad(wid.z, i + 6u, j + 4u, c6h);
  store_quad(wid.z, i + 7u, j, c7l); store_quad(wid.z, i + 7u, j + 4u, c7h);
}
