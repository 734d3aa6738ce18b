// 2-D convolution and transposed convolution, NCHW, zero padding, groups, bias.
//
//   conv2d            x [B, Cin, H, W], w [Cout, Cin/G, KH, KW] -> y [B, Cout, OH, OW]
//     y[b,co,oh,ow] = bias[co] + sum_{ci,kh,kw} x[b, g*Cig+ci, oh*sh-pt+kh*dh, ow*sw-pl+kw*dw] * w[co,ci,kh,kw]
//   conv_transpose2d  x [B, Cin, H, W], w [Cin, Cout/G, KH, KW] -> y [B, Cout, OH, OW]
//     y[b,co,oh,ow] = bias[co] + sum over (ci,kh,kw,ih,iw) with oh = ih*sh - pt + kh*dh and
//                     ow = iw*sw - pl + kw*dw of x[b,ci,ih,iw] * w[ci, co - g*Cog, kh, kw]
//   (g = the group of co; Cig = Cin/G, Cog = Cout/G; pt/pl = top/left padding; taps that fall
//   in the padding read zero.)
//
// Work per run (MAC = multiply-add = 2 FLOPs; K = Cig*KH*KW):
//   conv2d           FLOPs = 2*B*Cout*OH*OW*K          transpose: FLOPs = 2*B*Cin*H*W*Cog*KH*KW
//   minimum bytes    = 4*(|x| + |w| + |y| + Cout)      (each tensor read or written once)
//
// Versions (each tested against the reference; "loads" = 4-byte loads issued per MAC, the cost
// that matters on SwiftShader, where a per-lane load is an emulated gather and each basic
// block costs mask bookkeeping. Right column: GFLOP per CPU-second (process user+sys time, all
// SwiftShader threads) on the bench rows of bench/cases/conv2d.ts, 128 channels 3x3 at 32x32 and
// 128->64 4x4 s2 at 16x16, on the shared 2-core Debian box; on an idle one, wall-clock GFLOP/s
// can reach at most ~2x these, one SwiftShader worker per core):
//   conv2d_v1  one output per thread; 2 loads + 2 bounds tests per MAC.            0.14
//   conv2d_v2  4 output channels x 4 columns per thread (4 vec4 accumulators), any
//              stride/dilation: per (ci,kh,kw) 4 x + 4 w loads feed 16 MACs: 0.5.   0.47
//              (A version sliding a 4-column window inside the runtime kw loop measured
//              no faster: the loop's block overhead ate the saved loads.)
//   conv2d_v3  stride 1 and dilation 1 along W: 4 channels x 16 columns per thread, a
//              16-value window slid along the row with the first 4 taps unrolled, reading
//              a zero-padded copy of x (entry pad2d, one extra pass over x) so no load is
//              bounds-tested. Per (ci,kh): 16+KW-1 x + 4*KW w loads feed 64*KW MACs
//              (3x3: 0.16).                                                          1.34
//   conv_transpose2d_v1  one output per thread, tests all KH*KW taps for stride
//              divisibility (sh*sw - 1 wasted tests per useful tap); 2 loads per MAC. 0.03
//   conv_transpose2d_v2  4 channels x 4 columns of one stride phase per thread (columns
//              ow0 + j*sw share their taps and read consecutive inputs): 0.5 loads per
//              MAC, as conv2d_v2, plus the stride tests.                             0.16
//   conv_transpose2d_v3  dilation 1 along W: 4 channels x 16 columns of one phase, the
//              conv2d_v3 window with KT = ceil(KW/sw) taps run backwards, rows visited by
//              stepping kh over the taps of the row's phase (no divisibility tests), on a
//              padded copy of x. Per (ci, tap row): 16+KT-1 x + 4*KT w loads feed 64*KT
//              MACs (4x4 s2: 0.2).                                                   0.97
//
// Threads are numbered with the output column block fastest so neighbouring threads share the
// input row and the weights; index = gid.x + gid.y * nwg.x * WG (grid() folds > 65,535 groups).
// When there is no bias the op binds w again as b and sets has_bias = 0.

override WG: u32 = 64;

struct Conv2dParams {
  batch: u32, cin: u32, h: u32, w: u32,
  cout: u32, oh: u32, ow: u32, groups: u32,
  kh: u32, kw: u32, stride_h: u32, stride_w: u32,
  pad_h: i32, pad_w: i32, dil_h: u32, dil_w: u32,
  has_bias: u32, n: u32, co_blocks: u32, ow_blocks: u32,
  kstep_h: u32,   // transposed v3: sh / gcd(sh, dh), the kh step between taps of one output row
}

@group(0) @binding(0) var<uniform> params: Conv2dParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;   // [B, Cin, H, W]
@group(0) @binding(2) var<storage, read> w: array<f32>;   // conv: [Cout, Cig, KH, KW]; transpose: [Cin, Cog, KH, KW]
@group(0) @binding(3) var<storage, read> b: array<f32>;   // [Cout] (or w when has_bias = 0)
@group(0) @binding(4) var<storage, read_write> y: array<f32>; // [B, Cout, OH, OW]

fn bias_of(co: u32) -> f32 {
  if (params.has_bias != 0u) { return b[co]; }
  return 0.0;
}

// x[row + iw], or zero when iw is outside [0, W). The index is clamped so no read leaves the row.
fn x_at(row: u32, iw: i32) -> f32 {
  let last = i32(params.w) - 1;
  return select(0.0, x[row + u32(clamp(iw, 0, last))], iw >= 0 && iw <= last);
}

fn x4(row: u32, iw: i32, step: i32) -> vec4<f32> {
  return vec4<f32>(x_at(row, iw), x_at(row, iw + step), x_at(row, iw + 2 * step), x_at(row, iw + 3 * step));
}

// A thread's block: batch bb, group g, output channels co0..co0+nco-1, row oh, column block owb.
struct Block { bb: u32, g: u32, co0: u32, nco: u32, oh: u32, owb: u32 }

fn decode_block(i: u32) -> Block {
  let p = params;
  let owb = i % p.ow_blocks;
  var t = i / p.ow_blocks;
  let oh = t % p.oh;
  t = t / p.oh;
  let cb = t % p.co_blocks;
  t = t / p.co_blocks;
  let cog = p.cout / p.groups;
  let g = t % p.groups;
  return Block(t / p.groups, g, g * cog + cb * 4u, min(4u, cog - cb * 4u), oh, owb);
}

// Stores v + bias to columns ow0, ow0+step, ... of output row (bb, co, oh), dropping columns >= OW.
fn store4(k: Block, j: u32, ow0: u32, step: u32, v: vec4<f32>) {
  if (j >= k.nco) { return; }
  let co = k.co0 + j;
  let row = ((k.bb * params.cout + co) * params.oh + k.oh) * params.ow;
  let bv = bias_of(co);
  for (var c = 0u; c < 4u; c++) {
    let ow = ow0 + c * step;
    if (ow < params.ow) { y[row + ow] = v[c] + bv; }
  }
}

fn store_block(k: Block, ow0: u32, step: u32, a0: vec4<f32>, a1: vec4<f32>, a2: vec4<f32>, a3: vec4<f32>) {
  store4(k, 0u, ow0, step, a0);
  store4(k, 1u, ow0, step, a1);
  store4(k, 2u, ow0, step, a2);
  store4(k, 3u, ow0, step, a3);
}

@compute @workgroup_size(WG)
fn conv2d_v1(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = params;
  if (i >= p.n) { return; }
  let ow = i % p.ow;
  var t = i / p.ow;
  let oh = t % p.oh;
  t = t / p.oh;
  let co = t % p.cout;
  let bb = t / p.cout;
  let cig = p.cin / p.groups;
  let g = co / (p.cout / p.groups);
  var acc = 0.0;
  for (var ci = 0u; ci < cig; ci++) {
    let plane = (bb * p.cin + g * cig + ci) * p.h;
    let wbase = (co * cig + ci) * p.kh * p.kw;
    for (var kh = 0u; kh < p.kh; kh++) {
      let ih = i32(oh * p.stride_h + kh * p.dil_h) - p.pad_h;
      if (ih < 0 || ih >= i32(p.h)) { continue; }
      let row = (plane + u32(ih)) * p.w;
      for (var kw = 0u; kw < p.kw; kw++) {
        let iw = i32(ow * p.stride_w + kw * p.dil_w) - p.pad_w;
        if (iw < 0 || iw >= i32(p.w)) { continue; }
        acc += x[row + u32(iw)] * w[wbase + kh * p.kw + kw];
      }
    }
  }
  y[i] = acc + bias_of(co);
}

@compute @workgroup_size(WG)
fn conv2d_v2(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = params;
  if (i >= p.n) { return; }
  let k = decode_block(i);
  let cig = p.cin / p.groups;
  let wco = cig * p.kh * p.kw;                       // weights per output channel
  let wr4 = block_rows(k, k.co0 * wco, wco);
  let ow0 = k.owb * 4u;
  let iw0 = i32(ow0 * p.stride_w) - p.pad_w;
  let sw = i32(p.stride_w);
  var a0 = vec4<f32>(); var a1 = vec4<f32>(); var a2 = vec4<f32>(); var a3 = vec4<f32>();
  for (var ci = 0u; ci < cig; ci++) {
    let plane = (k.bb * p.cin + k.g * cig + ci) * p.h;
    for (var kh = 0u; kh < p.kh; kh++) {
      let ih = i32(k.oh * p.stride_h + kh * p.dil_h) - p.pad_h;
      if (ih < 0 || ih >= i32(p.h)) { continue; }
      let row = (plane + u32(ih)) * p.w;
      let wr = (ci * p.kh + kh) * p.kw;
      for (var kw = 0u; kw < p.kw; kw++) {
        let xv = x4(row, iw0 + i32(kw * p.dil_w), sw);
        let o = wr + kw;
        a0 += w[wr4.x + o] * xv; a1 += w[wr4.y + o] * xv; a2 += w[wr4.z + o] * xv; a3 += w[wr4.w + o] * xv;
      }
    }
  }
  store_block(k, ow0, 1u, a0, a1, a2, a3);
}

// Input row ih that output row oh draws from through tap kh of a transposed conv, or -1.
fn transpose_row(oh: u32, kh: u32) -> i32 {
  let t = i32(oh) + params.pad_h - i32(kh * params.dil_h);
  let s = i32(params.stride_h);
  if (t < 0 || t % s != 0 || t / s >= i32(params.h)) { return -1; }
  return t / s;
}

@compute @workgroup_size(WG)
fn conv_transpose2d_v1(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = params;
  if (i >= p.n) { return; }
  let ow = i % p.ow;
  var t = i / p.ow;
  let oh = t % p.oh;
  t = t / p.oh;
  let co = t % p.cout;
  let bb = t / p.cout;
  let cig = p.cin / p.groups;
  let cog = p.cout / p.groups;
  let g = co / cog;
  let sw = i32(p.stride_w);
  var acc = 0.0;
  for (var ci = g * cig; ci < (g + 1u) * cig; ci++) {
    let plane = (bb * p.cin + ci) * p.h;
    let wbase = (ci * cog + co - g * cog) * p.kh * p.kw;
    for (var kh = 0u; kh < p.kh; kh++) {
      let ih = transpose_row(oh, kh);
      if (ih < 0) { continue; }
      let row = (plane + u32(ih)) * p.w;
      for (var kw = 0u; kw < p.kw; kw++) {
        let tw = i32(ow) + p.pad_w - i32(kw * p.dil_w);
        if (tw < 0 || tw % sw != 0 || tw / sw >= i32(p.w)) { continue; }
        acc += x[row + u32(tw / sw)] * w[wbase + kh * p.kw + kw];
      }
    }
  }
  y[i] = acc + bias_of(co);
}

@compute @workgroup_size(WG)
fn conv_transpose2d_v2(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = params;
  if (i >= p.n) { return; }
  let k = decode_block(i);
  // ow_blocks = sw * tiles: tile k.owb / sw covers 4*sw columns; this thread takes phase r of it.
  let ow0 = (k.owb / p.stride_w) * 4u * p.stride_w + k.owb % p.stride_w;
  let cig = p.cin / p.groups;
  let cog = p.cout / p.groups;
  let kk = p.kh * p.kw;
  let col0 = k.co0 - k.g * cog;                        // first output channel inside the group
  let c1 = min(1u, k.nco - 1u); let c2 = min(2u, k.nco - 1u); let c3 = min(3u, k.nco - 1u);
  let sw = i32(p.stride_w);
  var a0 = vec4<f32>(); var a1 = vec4<f32>(); var a2 = vec4<f32>(); var a3 = vec4<f32>();
  for (var ci = k.g * cig; ci < (k.g + 1u) * cig; ci++) {
    let plane = (k.bb * p.cin + ci) * p.h;
    let wci = (ci * cog + col0) * kk;                  // w[ci, col0, 0, 0]
    for (var kh = 0u; kh < p.kh; kh++) {
      let ih = transpose_row(k.oh, kh);
      if (ih < 0) { continue; }
      let row = (plane + u32(ih)) * p.w;
      for (var kw = 0u; kw < p.kw; kw++) {
        let tw = i32(ow0) + p.pad_w - i32(kw * p.dil_w);
        if (tw % sw != 0) { continue; }                // not a tap of this phase
        let xv = x4(row, tw / sw, 1);
        let o = wci + kh * p.kw + kw;
        a0 += w[o] * xv; a1 += w[o + c1 * kk] * xv; a2 += w[o + c2 * kk] * xv; a3 += w[o + c3 * kk] * xv;
      }
    }
  }
  store_block(k, ow0, p.stride_w, a0, a1, a2, a3);
}

// ---- v3: 4 channels x 16 columns, sliding window over a zero-padded input ------------------
// The op first copies x into xp (entry pad2d) with the padding made explicit and the right edge
// widened to whole 16-column blocks, so v3 reads with no bounds tests at all. One thread keeps
// Acc (channel J's 16 columns as 4 vec4) and slides a 16-value window along its input row: tap u
// multiplies window columns u .. u+15 by weight k0 + u*ks of the row. The first 4 taps are
// unrolled (straight-line code: SwiftShader pays per basic block and per gather); further taps
// loop, which keeps compile time flat in KT (fully unrolled KT = 12 took minutes to compile).

override KT: u32 = 3;
override MASK_W: bool = true;   // transposed taps can pass the kernel edge; conv2d's cannot

struct Win { q0: vec4<f32>, q1: vec4<f32>, q2: vec4<f32>, q3: vec4<f32> }
struct Acc { c0: Win, c1: Win, c2: Win, c3: Win }

fn madd(a: Win, s: f32, v: Win) -> Win {
  return Win(a.q0 + s * v.q0, a.q1 + s * v.q1, a.q2 + s * v.q2, a.q3 + s * v.q3);
}

fn fma16(c: Acc, wv: vec4<f32>, v: Win) -> Acc {
  return Acc(madd(c.c0, wv.x, v), madd(c.c1, wv.y, v), madd(c.c2, wv.z, v), madd(c.c3, wv.w, v));
}

fn load16(r: u32) -> Win {
  return Win(vec4(x[r], x[r + 1u], x[r + 2u], x[r + 3u]), vec4(x[r + 4u], x[r + 5u], x[r + 6u], x[r + 7u]),
             vec4(x[r + 8u], x[r + 9u], x[r + 10u], x[r + 11u]), vec4(x[r + 12u], x[r + 13u], x[r + 14u], x[r + 15u]));
}

// The window one column to the right: drop the first value, append `next`.
fn shift(v: Win, next: f32) -> Win {
  return Win(vec4(v.q0.yzw, v.q1.x), vec4(v.q1.yzw, v.q2.x), vec4(v.q2.yzw, v.q3.x), vec4(v.q3.yzw, next));
}

// Weights at position k of the 4 weight rows `rows`; zero unless 0 <= k < KW (transposed taps
// past the kernel edge). For conv2d (MASK_W = false) k is always inside.
fn w4(rows: vec4<u32>, k: i32) -> vec4<f32> {
  if (!MASK_W) { return vec4<f32>(w[rows.x + u32(k)], w[rows.y + u32(k)], w[rows.z + u32(k)], w[rows.w + u32(k)]); }
  let kk = u32(clamp(k, 0, i32(params.kw) - 1));
  let v = vec4<f32>(w[rows.x + kk], w[rows.y + kk], w[rows.z + kk], w[rows.w + kk]);
  return select(vec4<f32>(), v, k >= 0 && k < i32(params.kw));
}

// acc += window starting at x[r] (16 + KT - 1 values) times taps k0, k0+ks, ... of `rows`.
fn window_row(acc: Acc, r: u32, rows: vec4<u32>, k0: i32, ks: i32) -> Acc {
  var v = load16(r);
  var c = fma16(acc, w4(rows, k0), v);
  if (KT > 1u) { v = shift(v, x[r + 16u]); c = fma16(c, w4(rows, k0 + ks), v); }
  if (KT > 2u) { v = shift(v, x[r + 17u]); c = fma16(c, w4(rows, k0 + 2 * ks), v); }
  if (KT > 3u) { v = shift(v, x[r + 18u]); c = fma16(c, w4(rows, k0 + 3 * ks), v); }
  for (var u = 4u; u < KT; u++) {
    v = shift(v, x[r + 15u + u]);
    c = fma16(c, w4(rows, k0 + i32(u) * ks), v);
  }
  return c;
}

// Weight row offsets of the block's 4 output channels (rows past nco repeat the last valid one).
fn block_rows(k: Block, first: u32, stride: u32) -> vec4<u32> {
  let m = k.nco - 1u;
  return vec4<u32>(first, first + min(1u, m) * stride, first + min(2u, m) * stride, first + min(3u, m) * stride);
}

fn store16(k: Block, j: u32, ow0: u32, step: u32, v: Win) {
  store4(k, j, ow0, step, v.q0);
  store4(k, j, ow0 + 4u * step, step, v.q1);
  store4(k, j, ow0 + 8u * step, step, v.q2);
  store4(k, j, ow0 + 12u * step, step, v.q3);
}

fn store_acc(k: Block, ow0: u32, step: u32, a: Acc) {
  store16(k, 0u, ow0, step, a.c0);
  store16(k, 1u, ow0, step, a.c1);
  store16(k, 2u, ow0, step, a.c2);
  store16(k, 3u, ow0, step, a.c3);
}

// x here is the padded xp: [B, Cin, H + top + bottom, Wp]; params.h/w are its sizes and pad_* are 0.
@compute @workgroup_size(WG)
fn conv2d_v3(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = params;
  if (i >= p.n) { return; }
  let k = decode_block(i);
  let cig = p.cin / p.groups;
  let kk = p.kh * p.kw;
  let rows0 = block_rows(k, k.co0 * cig * kk, cig * kk);
  let ow0 = k.owb * 16u;
  var acc = Acc();
  for (var ci = 0u; ci < cig; ci++) {
    let plane = (k.bb * p.cin + k.g * cig + ci) * p.h;
    for (var kh = 0u; kh < p.kh; kh++) {
      let r = (plane + k.oh * p.stride_h + kh * p.dil_h) * p.w + ow0;
      acc = window_row(acc, r, rows0 + (ci * p.kh + kh) * p.kw, 0, 1);
    }
  }
  store_acc(k, ow0, 1u, acc);
}

// Transposed: rows of one phase (oh % sh) use the same taps kh, so threads are numbered with the
// row phase outside the channel blocks: neighbouring threads (SIMD lanes) then skip the same kh
// and do not diverge. Threads are sh * ceil(OH / sh) rows; those past OH exit.
fn decode_phase_block(i: u32) -> Block {
  let p = params;
  let rows = (p.oh + p.stride_h - 1u) / p.stride_h;
  let owb = i % p.ow_blocks;
  var t = i / p.ow_blocks;
  let m = t % rows;
  t = t / rows;
  let cb = t % p.co_blocks;
  t = t / p.co_blocks;
  let ph = t % p.stride_h;
  t = t / p.stride_h;
  let cog = p.cout / p.groups;
  let g = t % p.groups;
  return Block(t / p.groups, g, g * cog + cb * 4u, min(4u, cog - cb * 4u), m * p.stride_h + ph, owb);
}

// Transposed, dilation 1 along W: output columns ow0 + j*sw (j < 16) of one phase have
// q = ow + pw = iw*sw + kw with kw = r + sw*t, r = q0 % sw, iw = q0/sw + j - t, so
// y = sum_t x[m0 + j - t] * w[r + sw*t]: a window starting at m0 - (KT-1) with tap u = KT-1-t,
// i.e. k0 = r + sw*(KT-1) and ks = -sw. KT = ceil(KW / sw); taps past KW read weight 0.
// x here is xp: [B, Cin, T + H + Bt, Wp] with KT - 1 zero columns on the left and T (Bt) zero
// rows above (below) so every tap's row exists; pad_h is the op's padding + T*sh, pad_w the op's.
@compute @workgroup_size(WG)
fn conv_transpose2d_v3(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = params;
  if (i >= p.n) { return; }
  let k = decode_phase_block(i);
  if (k.oh >= p.oh) { return; }
  let sw = p.stride_w;
  let ow0 = (k.owb / sw) * 16u * sw + k.owb % sw;      // tile of 16*sw columns, phase owb % sw
  let q0 = ow0 + u32(p.pad_w);
  let c0 = q0 / sw;                                    // m0 - (KT - 1) in xp's columns
  let k0 = i32(q0 % sw + sw * (KT - 1u));
  let cig = p.cin / p.groups;
  let cog = p.cout / p.groups;
  let kk = p.kh * p.kw;
  let kstep = p.kstep_h;
  var kh0 = 0u;                          // first kh with (oh + ph - kh*dh) % sh == 0, or KH if none
  loop {
    if (kh0 >= kstep) { kh0 = p.kh; break; }
    if ((i32(k.oh) + p.pad_h - i32(kh0 * p.dil_h)) % i32(p.stride_h) == 0) { break; }
    kh0++;
  }
  let ih0 = (i32(k.oh) + p.pad_h - i32(kh0 * p.dil_h)) / i32(p.stride_h);   // >= 0: xp has the rows
  let dih = i32(kstep * p.dil_h / p.stride_h);
  var acc = Acc();
  for (var ci = k.g * cig; ci < (k.g + 1u) * cig; ci++) {
    let plane = (k.bb * p.cin + ci) * p.h;
    let rows0 = block_rows(k, (ci * cog + k.co0 - k.g * cog) * kk, kk);
    // Taps of this row: kh = kh0, kh0 + kstep, ...; each moves the input row up by dih.
    var ih = ih0;
    for (var kh = kh0; kh < p.kh; kh += kstep) {
      acc = window_row(acc, (plane + u32(ih)) * p.w + c0, rows0 + kh * p.kw, k0, -i32(sw));
      ih -= dih;
    }
  }
  store_acc(k, ow0, sw, acc);
}

// ---- pad2d: xp[b, c, i, j] = x[b, c, i - top, j - left], zero outside x --------------------
struct PadParams { n: u32, h: u32, w: u32, hp: u32, wp: u32, top: u32, left: u32, _pad: u32 }

@group(0) @binding(0) var<uniform> pparams: PadParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;        // [planes, H, W]
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;  // [planes, Hp, Wp]

@compute @workgroup_size(WG)
fn pad2d(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  let p = pparams;
  if (i >= p.n) { return; }
  let j = i % p.wp;
  let t = i / p.wp;
  let r = t % p.hp;
  let plane = t / p.hp;
  let ih = i32(r) - i32(p.top);
  let iw = i32(j) - i32(p.left);
  let inside = ih >= 0 && ih < i32(p.h) && iw >= 0 && iw < i32(p.w);
  let at = (plane * p.h + u32(clamp(ih, 0, i32(p.h) - 1))) * p.w + u32(clamp(iw, 0, i32(p.w) - 1));
  dst[i] = select(0.0, src[at], inside);
}
