// Fused WaveNet residual layer (src/ops/gate.ts). For a layer input h [B, R, *]:
//   z[m, t]    = bd[m] + sum_{r,k} wd[m, r, k] * h[r, t + k*dil] + sum_c wc[m, c] * cond[c, t]
//   a[i, t]    = tanh(z[i, t]) * sigmoid(z[D + i, t])      (gated: z has 2D rows)
//              = tanh(z[i, t])                             (plain: z has D rows, e.g. NAM)
//   out[r, t]  = h[r, t + (K-1)*dil] + br[r] + sum_i wr[r, i] * a[i, t]   (next layer input)
//   skip[s, t] (+)= bs[s] + sum_i ws[s, i] * a[i, t]       (skip conv; or a[s, t] itself)
// Output step t reads input steps t .. t + (K-1)*dil ("valid" convolution; a causal layer is the
// same with (K-1)*dil steps of history in front).
//
// One dispatch per layer: the activations never leave the workgroup (or the thread), so the
// dilated conv, the gate and both 1x1s cost one pass over the input. Versions (each checked
// against src/ref/gate.ts by test/gate.test.ts; GFLOP per CPU-second of SwiftShader in Node,
// measured side by side on a loaded 2-core machine, so compare the ratios):
//  1. one thread per (channel, step), taps and activations in 28 KiB of workgroup memory: one
//     weight load per FMA, ~0.1 GFLOP/s; and 16-44 s to build the pipeline, because Dawn's
//     Vulkan backend zero-fills workgroup memory with an initializer that SwiftShader expands
//     element by element (~3 ms of compile per element).
//  2. register-blocked: a thread computes 4 channels x 4 steps (filter and gate: 32
//     accumulators) from one vec4 weight load per input row into a workgroup tile of
//     activations, barrier, then 4 output rows x 4 steps of both 1x1s. 0.3 GFLOP/s at 64
//     channels but 0.08 at 16: SwiftShader runs every invocation of a workgroup through every
//     phase, and with few channels most of them idle. Kept as main_wide for D > MAX_D.
//  3. main: one thread owns 4 steps of one stream and all channels: the same blocked conv loop
//     per group of 4 channels into a private array, then the 1x1s from it. No workgroup memory,
//     no barrier, every invocation busy: 1.8x version 2 at 64 channels, 3.4x at 16.
// The weights are repacked at load time, transposed and padded to multiples of 4, so each vec4
// weight load is aligned; inputs are read straight from the buffer (repeats hit the cache).
//
// Buffers are rings so a streaming caller can keep history in place: logical input step tau is
// column (x_start + tau) wrapped at x_len; output step t goes to (y_start + t) wrapped at y_len.
// A plain tensor is the ring with start 0 and length = its time length.
//
// All parameters live in one packed buffer (offsets in vec4 units; NONE = absent), which keeps
// the binding count under Chromium's 10 storage buffers per stage and lets a whole network share
// one buffer. Packed layout (Dp, Rp, Sp: D, R, S rounded up to 4; Mp = 2*Dp gated, else Dp):
//   wd [R*K][Mp] (filter rows 0..Dp, gate rows Dp..2Dp), bd [Mp], wc [C][Mp],
//   w2 [D][Rp + Sp] (residual rows, then skip rows), b2 [Rp + Sp].
//
// `step` is the one-time-step variant for fast generation: input h(t) [B, R] plus a per-layer
// queue [B, R, Q] (Q = (K-1)*dil + 1 slots, a ring indexed by the step counter state[0]) holding
// the layer's past inputs; one workgroup per stream.
// #import math

override WG: u32 = 64;

const NONE: u32 = 0xffffffffu;
const ACT_VEC4: u32 = 128u;   // version 2 activation tile
const MAX_D: u32 = 64u;       // version 3: channels a thread keeps (private array of vec4)

struct GateParams {
  batch: u32, r: u32, d: u32, s: u32,
  dp: u32, rp: u32, sp: u32, k: u32,
  dil: u32, t_out: u32, tb: u32, tiles: u32,               // tb: vec4 time blocks per tile
  gated: u32, skip_mode: u32, skip_acc: u32, c_cond: u32,   // skip_mode 0 none, 1 conv, 2 identity
  x_len: u32, x_start: u32, y_len: u32, y_start: u32,
  skip_len: u32, skip_off: u32, cond_len: u32, cond_tstride: u32,
  cond_off: u32, o_wd: u32, o_bd: u32, o_wc: u32,
  o_w2: u32, o_b2: u32, _p0: u32, _p1: u32,
}

@group(0) @binding(0) var<uniform> params: GateParams;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> cond: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> skip: array<f32>;

var<workgroup> act: array<vec4<f32>, ACT_VEC4>;   // [D][tb], 4 steps per vec4

fn wrap(start: u32, t: u32, len: u32) -> u32 {
  let p = start + t;
  return select(p, p - len, p >= len);
}

fn bias4(off: u32, i: u32) -> vec4<f32> {
  if (off == NONE) { return vec4<f32>(0.0); }
  return w[off + i];
}

fn tanh4(v: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(stable_tanh(v.x), stable_tanh(v.y), stable_tanh(v.z), stable_tanh(v.w));
}

fn sigmoid4(v: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(sigmoid(v.x), sigmoid(v.y), sigmoid(v.z), sigmoid(v.w));
}

// Columns of steps t .. t+3 (+ shift) in the x ring; steps past t_out are clamped (results dropped).
fn cols4(t: u32, shift: u32) -> vec4<u32> {
  let last = params.t_out - 1u;
  let xs = params.x_start;
  let xl = params.x_len;
  return vec4<u32>(wrap(xs, min(t, last) + shift, xl), wrap(xs, min(t + 1u, last) + shift, xl),
                   wrap(xs, min(t + 2u, last) + shift, xl), wrap(xs, min(t + 3u, last) + shift, xl));
}

fn x4(base: u32, c: vec4<u32>) -> vec4<f32> {
  return vec4<f32>(x[base + c.x], x[base + c.y], x[base + c.z], x[base + c.w]);
}

fn cond4(b: u32, c: u32, t: u32) -> vec4<f32> {
  let base = (b * params.c_cond + c) * params.cond_len;
  let last = params.t_out - 1u;
  let s = params.cond_tstride;
  let o = params.cond_off;
  return vec4<f32>(cond[base + (min(t, last) + o) * s], cond[base + (min(t + 1u, last) + o) * s],
                   cond[base + (min(t + 2u, last) + o) * s], cond[base + (min(t + 3u, last) + o) * s]);
}

fn store_out(b: u32, o: u32, t: u32, v: vec4<f32>) {
  let t_out = params.t_out;
  let rp = params.rp;
  if (o < rp) {
    let R = params.r;
    if (o >= R) { return; }
    let res = x4((b * R + o) * params.x_len, cols4(t, (params.k - 1u) * params.dil)) + v;
    let base = (b * R + o) * params.y_len;
    let ys = params.y_start;
    let yl = params.y_len;
    for (var e = 0u; e < 4u; e++) { if (t + e < t_out) { y[base + wrap(ys, t + e, yl)] = res[e]; } }
    return;
  }
  let so = o - rp;
  if (so >= params.s) { return; }
  let base = (b * params.s + so) * params.skip_len;
  let off = params.skip_off;
  let acc = params.skip_acc != 0u;
  for (var e = 0u; e < 4u; e++) {
    let te = t + e;
    if (te < t_out && te >= off) {
      let i = base + te - off;
      skip[i] = select(v[e], skip[i] + v[e], acc);
    }
  }
}

// Phase 2: output rows 4*oq .. 4*oq+3 (residual rows, then skip rows) for steps t .. t+3.
fn mix_block(b: u32, t: u32, oq: u32, tb: u32) {
  let n_oq = (params.rp + params.sp) / 4u;
  let D = params.d;
  let tbn = params.tb;
  let bo = bias4(params.o_b2, oq);
  var a0 = vec4<f32>(bo.x); var a1 = vec4<f32>(bo.y); var a2 = vec4<f32>(bo.z); var a3 = vec4<f32>(bo.w);
  var wi = params.o_w2 + oq;
  var ai = tb;
  for (var i = 0u; i < D; i++) {
    let av = act[ai];
    let wv = w[wi];
    a0 += wv.x * av; a1 += wv.y * av; a2 += wv.z * av; a3 += wv.w * av;
    wi += n_oq;
    ai += tbn;
  }
  let o = oq * 4u;
  store_out(b, o, t, a0); store_out(b, o + 1u, t, a1); store_out(b, o + 2u, t, a2); store_out(b, o + 3u, t, a3);
}

fn store_identity(b: u32, t: u32, i: u32, tb: u32) {
  let v = act[i * params.tb + tb];
  let base = (b * params.s + i) * params.skip_len;
  let off = params.skip_off;
  let acc = params.skip_acc != 0u;
  for (var e = 0u; e < 4u; e++) {
    let te = t + e;
    if (te < params.t_out && te >= off) {
      let j = base + te - off;
      skip[j] = select(v[e], skip[j] + v[e], acc);
    }
  }
}

// Activations of channels 4*dq .. 4*dq+3 for steps t .. t+3 (one vec4 of steps per channel).
fn conv4(b: u32, t: u32, dq: u32) -> array<vec4<f32>, 4> {
  let R = params.r;
  let K = params.k;
  let xl = params.x_len;
  let dil = params.dil;
  let gated = params.gated != 0u;
  let mq = select(params.dp, 2u * params.dp, gated) / 4u;
  let gq = params.dp / 4u;
  let bf = bias4(params.o_bd, dq);
  let bg = select(vec4<f32>(0.0), bias4(params.o_bd, dq + gq), gated);
  var f0 = vec4<f32>(bf.x); var f1 = vec4<f32>(bf.y); var f2 = vec4<f32>(bf.z); var f3 = vec4<f32>(bf.w);
  var g0 = vec4<f32>(bg.x); var g1 = vec4<f32>(bg.y); var g2 = vec4<f32>(bg.z); var g3 = vec4<f32>(bg.w);
  for (var k = 0u; k < K; k++) {
    let c = cols4(t, k * dil);
    var xrow = b * R * xl;
    var wi = params.o_wd + k * mq + dq;
    let wstep = K * mq;
    if (gated) {
      for (var r = 0u; r < R; r++) {
        let xv = x4(xrow, c);
        let wf = w[wi];
        let wg = w[wi + gq];
        f0 += wf.x * xv; f1 += wf.y * xv; f2 += wf.z * xv; f3 += wf.w * xv;
        g0 += wg.x * xv; g1 += wg.y * xv; g2 += wg.z * xv; g3 += wg.w * xv;
        xrow += xl;
        wi += wstep;
      }
    } else {
      for (var r = 0u; r < R; r++) {
        let xv = x4(xrow, c);
        let wf = w[wi];
        f0 += wf.x * xv; f1 += wf.y * xv; f2 += wf.z * xv; f3 += wf.w * xv;
        xrow += xl;
        wi += wstep;
      }
    }
  }
  for (var c = 0u; c < params.c_cond; c++) {
    let cv = cond4(b, c, t);
    let wi = params.o_wc + c * mq + dq;
    let wf = w[wi];
    f0 += wf.x * cv; f1 += wf.y * cv; f2 += wf.z * cv; f3 += wf.w * cv;
    if (gated) {
      let wg = w[wi + gq];
      g0 += wg.x * cv; g1 += wg.y * cv; g2 += wg.z * cv; g3 += wg.w * cv;
    }
  }
  if (gated) { return array<vec4<f32>, 4>(tanh4(f0) * sigmoid4(g0), tanh4(f1) * sigmoid4(g1), tanh4(f2) * sigmoid4(g2), tanh4(f3) * sigmoid4(g3)); }
  return array<vec4<f32>, 4>(tanh4(f0), tanh4(f1), tanh4(f2), tanh4(f3));
}

// Version 2, phase 1: activations of channels 4*dq .. 4*dq+3 for steps t .. t+3 into act.
fn conv_block(b: u32, t: u32, dq: u32, tb: u32) {
  let v = conv4(b, t, dq);
  let tbn = params.tb;
  let base = dq * 4u * tbn + tb;
  act[base] = v[0]; act[base + tbn] = v[1]; act[base + 2u * tbn] = v[2]; act[base + 3u * tbn] = v[3];
}

// One thread = one stream x 4 steps x all channels: no workgroup memory, no barrier.
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let ntb = (params.t_out + 3u) / 4u;
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= params.batch * ntb) { return; }
  let b = i / ntb;
  let t = (i % ntb) * 4u;
  var a: array<vec4<f32>, MAX_D>;   // this thread's activations, 4 steps per vec4
  for (var dq = 0u; dq < params.dp / 4u; dq++) {
    let v = conv4(b, t, dq);
    a[dq * 4u] = v[0]; a[dq * 4u + 1u] = v[1]; a[dq * 4u + 2u] = v[2]; a[dq * 4u + 3u] = v[3];
  }
  let n_oq = (params.rp + params.sp) / 4u;
  let D = params.d;
  for (var oq = 0u; oq < n_oq; oq++) {
    let bo = bias4(params.o_b2, oq);
    var a0 = vec4<f32>(bo.x); var a1 = vec4<f32>(bo.y); var a2 = vec4<f32>(bo.z); var a3 = vec4<f32>(bo.w);
    var wi = params.o_w2 + oq;
    for (var dd = 0u; dd < D; dd++) {
      let av = a[dd];
      let wv = w[wi];
      a0 += wv.x * av; a1 += wv.y * av; a2 += wv.z * av; a3 += wv.w * av;
      wi += n_oq;
    }
    let o = oq * 4u;
    store_out(b, o, t, a0); store_out(b, o + 1u, t, a1); store_out(b, o + 2u, t, a2); store_out(b, o + 3u, t, a3);
  }
  if (params.skip_mode == 2u) {
    for (var dd = 0u; dd < D; dd++) {
      let v = a[dd];
      let base = (b * params.s + dd) * params.skip_len;
      for (var e = 0u; e < 4u; e++) {
        let te = t + e;
        if (te < params.t_out && te >= params.skip_off) {
          let j = base + te - params.skip_off;
          skip[j] = select(v[e], skip[j] + v[e], params.skip_acc != 0u);
        }
      }
    }
  }
}

// ---- version 2 (layers wider than MAX_D): activations shared through workgroup memory ----------

@compute @workgroup_size(WG)
fn main_wide(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tile = wid.x + wid.y * nwg.x;
  if (tile >= params.batch * params.tiles) { return; }
  let b = tile / params.tiles;
  let tb = params.tb;
  let t0 = (tile % params.tiles) * tb * 4u;
  for (var i = lid; i < (params.dp / 4u) * tb; i += WG) { conv_block(b, t0 + (i % tb) * 4u, i / tb, i % tb); }
  workgroupBarrier();
  let n_oq = (params.rp + params.sp) / 4u;
  for (var i = lid; i < n_oq * tb; i += WG) { mix_block(b, t0 + (i % tb) * 4u, i / tb, i % tb); }
  if (params.skip_mode == 2u) {
    for (var i = lid; i < params.d * tb; i += WG) { store_identity(b, t0 + (i % tb) * 4u, i / tb, i % tb); }
  }
}

// ---- one time step ---------------------------------------------------------------------------

struct GateStepParams {
  batch: u32, r: u32, d: u32, s: u32,
  dp: u32, rp: u32, sp: u32, k: u32,
  dil: u32, q_len: u32, gated: u32, skip_mode: u32,
  skip_acc: u32, fill: u32, c_cond: u32, cond_len: u32,   // fill: all taps = h(t), every queue slot = h(t)
  cond_tstride: u32, cond_off: u32, o_wd: u32, o_bd: u32,
  o_wc: u32, o_w2: u32, o_b2: u32, _p0: u32,
}

@group(0) @binding(0) var<uniform> sparams: GateStepParams;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read_write> queue: array<f32>;
@group(0) @binding(3) var<storage, read> state: array<u32>;
@group(0) @binding(4) var<storage, read> sw: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> scond: array<f32>;
@group(0) @binding(6) var<storage, read_write> h_out: array<f32>;
@group(0) @binding(7) var<storage, read_write> sskip: array<f32>;

var<workgroup> sact: array<vec4<f32>, 64>;   // D <= 256 activations, 4 channels per vec4

fn sbias4(off: u32, i: u32) -> vec4<f32> {
  if (off == NONE) { return vec4<f32>(0.0); }
  return sw[off + i];
}

// Tap k of channel r: h(t - (K-1-k)*dil), from the queue (or h(t) itself for the newest tap / fill).
fn step_tap(b: u32, r: u32, k: u32, pos: u32) -> f32 {
  let p = sparams;
  let back = (p.k - 1u - k) * p.dil;
  if (back == 0u || p.fill != 0u) { return h[b * p.r + r]; }
  return queue[(b * p.r + r) * p.q_len + wrap(pos, p.q_len - back, p.q_len)];
}

fn step_conv(b: u32, dq: u32, pos: u32, cur: u32) -> vec4<f32> {
  let p = sparams;
  let gated = p.gated != 0u;
  let mq = select(p.dp, 2u * p.dp, gated) / 4u;
  let gq = p.dp / 4u;
  var f = sbias4(p.o_bd, dq);
  var g = select(vec4<f32>(0.0), sbias4(p.o_bd, dq + gq), gated);
  for (var k = 0u; k < p.k; k++) {
    for (var r = 0u; r < p.r; r++) {
      let v = step_tap(b, r, k, pos);
      let wi = p.o_wd + (r * p.k + k) * mq + dq;
      f += sw[wi] * v;
      if (gated) { g += sw[wi + gq] * v; }
    }
  }
  for (var c = 0u; c < p.c_cond; c++) {
    let v = scond[(b * p.c_cond + c) * p.cond_len + (cur + p.cond_off) * p.cond_tstride];
    let wi = p.o_wc + c * mq + dq;
    f += sw[wi] * v;
    if (gated) { g += sw[wi + gq] * v; }
  }
  if (gated) { return tanh4(f) * sigmoid4(g); }
  return tanh4(f);
}

fn step_store(b: u32, o: u32, v: f32) {
  let p = sparams;
  if (o < p.rp) {
    if (o < p.r) { h_out[b * p.r + o] = h[b * p.r + o] + v; }
    return;
  }
  let so = o - p.rp;
  if (so < p.s) { sskip[b * p.s + so] = select(v, sskip[b * p.s + so] + v, p.skip_acc != 0u); }
}

@compute @workgroup_size(WG)
fn step(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.x + wid.y * nwg.x;
  if (b >= sparams.batch) { return; }
  let p = sparams;
  let cur = state[0];
  let pos = cur % p.q_len;
  for (var dq = lid; dq < p.dp / 4u; dq += WG) { sact[dq] = step_conv(b, dq, pos, cur); }
  // Queue push: slot `pos` is never read above (taps look back 1..Q-1 slots), so no barrier is needed.
  for (var r = lid; r < p.r; r += WG) {
    let v = h[b * p.r + r];
    let q0 = (b * p.r + r) * p.q_len;
    if (p.fill != 0u) { for (var j = 0u; j < p.q_len; j++) { queue[q0 + j] = v; } } else { queue[q0 + pos] = v; }
  }
  workgroupBarrier();
  let n_oq = (p.rp + p.sp) / 4u;
  for (var oq = lid; oq < n_oq; oq += WG) {
    var acc = sbias4(p.o_b2, oq);
    for (var i = 0u; i < p.d; i++) { acc += sw[p.o_w2 + i * n_oq + oq] * sact[i / 4u][i % 4u]; }
    for (var j = 0u; j < 4u; j++) { step_store(b, oq * 4u + j, acc[j]); }
  }
  if (p.skip_mode == 2u) {
    for (var i = lid; i < p.d; i += WG) {
      let j = b * p.s + i;
      sskip[j] = select(sact[i / 4u][i % 4u], sskip[j] + sact[i / 4u][i % 4u], p.skip_acc != 0u);
    }
  }
}

