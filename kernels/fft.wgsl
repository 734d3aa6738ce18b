// Fast Fourier transforms on interleaved complex data: element k of a line is vec2(re, im).
// Twiddles come from `table`: table[j] = exp(-2 pi i j / T), computed in float64 on the host
// (WGSL sin/cos promise only 2^-11), T a multiple of every length used; dir = +1 forward,
// -1 inverse (conjugated twiddles).
//
// Lines of L <= TILE points live in workgroup memory for all their stages: loaded in
// bit-reversed order, then in-place decimation-in-time stages (radix-2 once when log2 L is odd,
// then radix-2^2). A workgroup holds TILE / L lines.
// Versions: v1 was Stockham radix-4 (autosort, no bit reversal); out of place it needs two
// tiles, so at 32 KiB it staged each stage's outputs in registers (read, barrier, write,
// barrier). v2 (this one) is in place: a butterfly writes the slots it read, one barrier per
// stage, no staging; the bit reversal costs nothing extra as the scatter of the load. Both
// agree with the float64 reference to ~1.5e-7; v2 ran 1.5x faster on SwiftShader (256 threads).
// Entries differ in how lines are loaded and stored:
//   fft_lines:   complex -> complex, strided, so one entry serves both passes of the four-step
//                split used for L > TILE (N = N1 N2, src/ops/fft_plan.ts):
//                element m of line (item, q) is src[item * item_stride + q * in_q + m * in_m],
//                output k goes to dst[item * item_stride + q * out_q + k * out_k] times w_N^(k q)
//                (post_step != 0) and times scale.
//   rfft_lines:  real n-point FFTs as n/2-point complex FFTs of (x_2m, x_2m+1). Loads frames of
//                a signal (frame f of row b starts at f hop - pad; reflect or zero padding;
//                times a window): a plain rfft is one frame per row. Stores the half spectrum
//                X_k = E_k + w_n^k O_k, E_k = (z_k + conj z_{n/2-k}) / 2,
//                O_k = (z_k - conj z_{n/2-k}) / 2i, at free strides ([B, bins, frames] for
//                STFT); bins above n/2 come from Hermitian symmetry (two-sided).
//   irfft_lines: the inverse: gathers Z_k = E_k + i O_k from a strided half spectrum (imaginary
//                parts of X_0 and X_{n/2} ignored, as numpy/torch irfft), inverse FFT, stores
//                the real samples interleaved.
// real_frames, rfft_post and irfft_pre are the same loads and stores as separate passes, for
// n/2 > TILE where the complex FFT itself is split.

override WG: u32 = 256;
override TILE: u32 = 4096;   // complex values in workgroup memory (32 KiB at 4096)

@group(0) @binding(2) var<storage, read> ltable: array<vec2<f32>>;

var<workgroup> tile: array<vec2<f32>, TILE>;

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

// Twiddle exp(-dir * 2 pi i j / T).
fn tw(j: u32, dir: f32) -> vec2<f32> {
  let t = ltable[j];
  return vec2<f32>(t.x, dir * t.y);
}

fn bit_reverse(m: u32, bits: u32) -> u32 {
  return select(0u, reverseBits(m) >> (32u - bits), bits > 0u);
}

// Slot of element m of tile line `e >> bits` in bit-reversed order.
fn reversed_slot(e: u32, bits: u32) -> u32 {
  let mask = (1u << bits) - 1u;
  return (e & ~mask) | bit_reverse(e & mask, bits);
}

// ---- stages (every butterfly reads and writes the same slots: one barrier per stage) --------

// Radix-2 (sub-transforms of length 1 -> 2): (a, b) at (2j, 2j+1) -> (a + b, a - b).
fn radix2_stage(lid: u32) {
  for (var t = lid; t < TILE / 2u; t += WG) {
    let a = tile[2u * t];
    let b = tile[2u * t + 1u];
    tile[2u * t] = a + b;
    tile[2u * t + 1u] = a - b;
  }
  workgroupBarrier();
}

// Radix-2^2: two radix-2 DIT stages (lengths m -> 2m -> 4m) fused on the four slots j, j+m,
// j+2m, j+3m of each 4m block (j < m); twiddles w_2m^j = (w_4m^j)^2 and w_4m^(j+m).
fn radix4_stage(lid: u32, m: u32, step: u32, dir: f32) {
  for (var t = lid; t < TILE / 4u; t += WG) {
    let j = t & (m - 1u);
    let o = (t - j) * 4u + j;
    let w4 = tw(j * step, dir);
    let w2 = tw(2u * j * step, dir);
    let a = tile[o];
    let b = cmul(tile[o + m], w2);
    let c = tile[o + 2u * m];
    let d = cmul(tile[o + 3u * m], w2);
    let a1 = a + b;
    let b1 = a - b;
    let c1 = cmul(c + d, w4);
    let e = cmul(c - d, w4);
    // w_4m^(j+m) = w_4m^j w_4 with w_4 = -dir i: (x + iy)(-dir i) = dir (y - ix)
    let d1 = vec2<f32>(dir * e.y, -dir * e.x);
    tile[o] = a1 + c1;
    tile[o + 2u * m] = a1 - c1;
    tile[o + m] = b1 + d1;
    tile[o + 3u * m] = b1 - d1;
  }
  workgroupBarrier();
}

// All stages of the tile's lines of 2^bits points; tw_step = T / L.
fn run_stages(lid: u32, bits: u32, tw_step: u32, dir: f32) {
  let len = 1u << bits;
  var m = 1u;
  if ((bits & 1u) == 1u) {
    radix2_stage(lid);
    m = 2u;
  }
  for (; m < len; m *= 4u) { radix4_stage(lid, m, (len / (4u * m)) * tw_step, dir); }
}

fn group_index(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x;
}

// ---- complex lines ------------------------------------------------------------------------

struct LinesParams {
  lines: u32, len: u32, log2_len: u32, per_item: u32, item_stride: u32,
  in_q: u32, in_m: u32, out_q: u32, out_k: u32,
  tw_step: u32,    // T / L
  post_step: u32,  // T / N for the four-step twiddle w_N^(k q); 0 = none
  dir: f32, scale: f32,
}

@group(0) @binding(0) var<uniform> lp: LinesParams;
@group(0) @binding(1) var<storage, read> lsrc: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> ldst: array<vec2<f32>>;

fn line_addr(line: u32, m: u32, q_stride: u32, m_stride: u32) -> u32 {
  let item = line / lp.per_item;
  let q = line - item * lp.per_item;
  return item * lp.item_stride + q * q_stride + m * m_stride;
}

@compute @workgroup_size(WG)
fn fft_lines(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let first = group_index(wid, nwg) * (TILE >> lp.log2_len);
  let mask = lp.len - 1u;
  for (var e = lid; e < TILE; e += WG) {
    let line = first + (e >> lp.log2_len);
    if (line < lp.lines) { tile[reversed_slot(e, lp.log2_len)] = lsrc[line_addr(line, e & mask, lp.in_q, lp.in_m)]; }
  }
  workgroupBarrier();
  run_stages(lid, lp.log2_len, lp.tw_step, lp.dir);
  for (var e = lid; e < TILE; e += WG) {
    let line = first + (e >> lp.log2_len);
    if (line < lp.lines) {
      let k = e & mask;
      var v = tile[e] * lp.scale;
      if (lp.post_step != 0u) { v = cmul(v, tw(k * (line % lp.per_item) * lp.post_step, lp.dir)); }
      ldst[line_addr(line, k, lp.out_q, lp.out_k)] = v;
    }
  }
}

// ---- real input: framed loads, half-spectrum stores ----------------------------------------

struct RealParams {
  lines: u32,      // rows * frames
  half: u32, log2_half: u32,
  tw_step: u32,    // T / (n/2): stage twiddles; T / n for w_n^k is tw_step / 2
  frames: u32, length: u32, hop: u32, pad: u32,
  pad_mode: u32,   // 0 reflect, 1 zeros
  win_off: u32, win_len: u32, has_win: u32,
  bins: u32, out_outer: u32, out_frame: u32, out_bin: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> rp: RealParams;
@group(0) @binding(1) var<storage, read> rsrc: array<f32>;              // [rows, length]
@group(0) @binding(3) var<storage, read_write> rdst: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read> rwin: array<f32>;              // [win_len]

// Sample j of frame `line`: signal row line / frames at (line % frames) hop + j - pad, padded,
// times the window (win_len values centred at win_off; 1 when there is none).
fn framed(line: u32, j: u32) -> f32 {
  var w = 1.0;
  if (rp.has_win != 0u) {
    if (j < rp.win_off || j >= rp.win_off + rp.win_len) { return 0.0; }
    w = rwin[j - rp.win_off];
  }
  let row = line / rp.frames;
  let n = i32(rp.length);
  var p = i32((line - row * rp.frames) * rp.hop + j) - i32(rp.pad);
  if (rp.pad_mode == 0u) {
    p = abs(p);
    if (p >= n) { p = 2 * (n - 1) - p; }
  } else if (p < 0 || p >= n) {
    return 0.0;
  }
  return rsrc[row * rp.length + u32(p)] * w;
}

// X_k of a line whose n/2-point FFT z sits at tile[base ..]: the real-FFT split.
fn half_spectrum(base: u32, k: u32) -> vec2<f32> {
  let two_sided = k > rp.half;
  let kk = select(k, 2u * rp.half - k, two_sided);
  let hm = rp.half - 1u;
  let a = tile[base + (kk & hm)];
  let c = tile[base + ((rp.half - kk) & hm)];
  let b = vec2<f32>(c.x, -c.y);
  let d = a - b;
  var x = 0.5 * (a + b) + cmul(ltable[kk * (rp.tw_step / 2u)], vec2<f32>(0.5 * d.y, -0.5 * d.x));
  if (two_sided) { x.y = -x.y; }
  return x * rp.scale;
}

fn spectrum_addr(line: u32, k: u32) -> u32 {
  let row = line / rp.frames;
  return row * rp.out_outer + (line - row * rp.frames) * rp.out_frame + k * rp.out_bin;
}

@compute @workgroup_size(WG)
fn rfft_lines(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let per_tile = TILE >> rp.log2_half;
  let first = group_index(wid, nwg) * per_tile;
  for (var e = lid; e < TILE; e += WG) {
    let line = first + (e >> rp.log2_half);
    let m = e & (rp.half - 1u);
    if (line < rp.lines) { tile[reversed_slot(e, rp.log2_half)] = vec2<f32>(framed(line, 2u * m), framed(line, 2u * m + 1u)); }
  }
  workgroupBarrier();
  run_stages(lid, rp.log2_half, rp.tw_step, 1.0);
  for (var o = lid; o < per_tile * rp.bins; o += WG) {
    let l = o / rp.bins;
    let k = o - l * rp.bins;
    if (first + l < rp.lines) { rdst[spectrum_addr(first + l, k)] = half_spectrum(l * rp.half, k); }
  }
}

// Frames as rows of real samples [lines, n] (pairs), for the split path.
@compute @workgroup_size(WG)
fn real_frames(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= rp.lines * rp.half) { return; }
  let line = i / rp.half;
  let m = i - line * rp.half;
  rdst[i] = vec2<f32>(framed(line, 2u * m), framed(line, 2u * m + 1u));
}

struct PostParams {
  count: u32,      // lines * bins
  half: u32, bins: u32, frames: u32,
  out_outer: u32, out_frame: u32, out_bin: u32,
  tw_step: u32,    // T / n
  scale: f32,
}

@group(0) @binding(0) var<uniform> pp: PostParams;
@group(0) @binding(1) var<storage, read> pz: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> pout: array<vec2<f32>>;

// The real-FFT split of rfft_lines' store, from a global z [lines, n/2].
@compute @workgroup_size(WG)
fn rfft_post(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= pp.count) { return; }
  let line = i / pp.bins;
  let k = i - line * pp.bins;
  let two_sided = k > pp.half;
  let kk = select(k, 2u * pp.half - k, two_sided);
  let hm = pp.half - 1u;
  let a = pz[line * pp.half + (kk & hm)];
  let c = pz[line * pp.half + ((pp.half - kk) & hm)];
  let b = vec2<f32>(c.x, -c.y);
  let d = a - b;
  var x = 0.5 * (a + b) + cmul(ltable[kk * pp.tw_step], vec2<f32>(0.5 * d.y, -0.5 * d.x));
  if (two_sided) { x.y = -x.y; }
  let row = line / pp.frames;
  pout[row * pp.out_outer + (line - row * pp.frames) * pp.out_frame + k * pp.out_bin] = x * pp.scale;
}

// ---- inverse real FFT ---------------------------------------------------------------------

struct InvParams {
  lines: u32, half: u32, log2_half: u32,
  tw_step: u32,    // T / (n/2)
  frames: u32, in_outer: u32, in_frame: u32, in_bin: u32,
  scale: f32,
}

@group(0) @binding(0) var<uniform> qp: InvParams;
@group(0) @binding(1) var<storage, read> qx: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> qz: array<vec2<f32>>;

// Z_k = E_k + i O_k from the half spectrum of `line`, E_k = (X_k + conj X_{n/2-k}) / 2,
// O_k = (X_k - conj X_{n/2-k}) conj(w_n^k) / 2.
fn gather_z(line: u32, k: u32) -> vec2<f32> {
  let row = line / qp.frames;
  let base = row * qp.in_outer + (line - row * qp.frames) * qp.in_frame;
  var a = qx[base + k * qp.in_bin];
  var c = qx[base + (qp.half - k) * qp.in_bin];
  if (k == 0u) { a.y = 0.0; c.y = 0.0; }
  let b = vec2<f32>(c.x, -c.y);
  let w = ltable[k * (qp.tw_step / 2u)];
  let o = cmul(0.5 * (a - b), vec2<f32>(w.x, -w.y));
  return 0.5 * (a + b) + vec2<f32>(-o.y, o.x);
}

@compute @workgroup_size(WG)
fn irfft_lines(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let first = group_index(wid, nwg) * (TILE >> qp.log2_half);
  for (var e = lid; e < TILE; e += WG) {
    let line = first + (e >> qp.log2_half);
    if (line < qp.lines) { tile[reversed_slot(e, qp.log2_half)] = gather_z(line, e & (qp.half - 1u)); }
  }
  workgroupBarrier();
  run_stages(lid, qp.log2_half, qp.tw_step, -1.0);
  for (var e = lid; e < TILE; e += WG) {
    if (first + (e >> qp.log2_half) < qp.lines) { qz[first * qp.half + e] = tile[e] * qp.scale; }
  }
}

// gather_z as a separate pass into z [lines, n/2] (the split path).
@compute @workgroup_size(WG)
fn irfft_pre(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= qp.lines * qp.half) { return; }
  let line = i / qp.half;
  qz[i] = gather_z(line, i - line * qp.half);
}
