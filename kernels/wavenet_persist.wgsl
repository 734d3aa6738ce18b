// Persistent WaveNet generation (src/models/wavenet/persist.ts): one workgroup per stream runs
// n_steps whole samples per dispatch: embed -> every gated layer (queues in one buffer) -> head
// -> draw -> commit, with workgroup barriers between the phases (legal here because a stream
// never needs another workgroup: nv-wavenet's "single block" idea). The per-layer path
// (generate.ts) needs L + 5 dispatches per sample; this needs 1 per n_steps samples.
// Measured on SwiftShader (bench/cases/wavenet.ts): about the same CPU time per sample as the
// per-layer path but 3-6x the wall time, because one workgroup runs on one core and each of the
// ~2L + 6 barriers per sample is a coroutine switch; it is the design for real GPUs, where a
// dispatch costs more than a barrier. generate() stays on the per-layer path.
//
// The maths are those of kernels/gate.wgsl `step` (same packed weights, same queue slots:
// Q = (K-1)*dil + 1, slot = t mod Q) and kernels/wavenet_gen.wgsl `head`; the draw is
// src/ops/softmax_sample.ts's (Philox4x32-10, counter (t, stream, 0, 2), key = seed, word 0,
// CDF inversion of softmax(logits / temperature); 0 = argmax), so both paths draw the same u.
// fill = 1 runs one pass with a silent input (value 0.0) where every past input is the current
// one and every queue slot is written: the steady state of a silent past. No conditioning.
// #import math

override WG: u32 = 64;

const NONE: u32 = 0xffffffffu;
const MAXR: u32 = 64u;
const TAG_SAMPLE: u32 = 2u;

struct PersistParams {
  batch: u32, r: u32, d: u32, s: u32,
  rp: u32, dp: u32, sp: u32, k: u32,
  layers: u32, e: u32, ep: u32, classes: u32,
  cp: u32, onehot: u32, total: u32, prime: u32,
  n_steps: u32, q_stride: u32, seed_lo: u32, seed_hi: u32,
  stream0: u32, temp: f32, fill: u32, gated: u32,
  o_sw: u32, o_sb: u32, o_h1w: u32, o_h1b: u32,
  o_h2w: u32, o_h2b: u32, _p0: u32, _p1: u32,
}

@group(0) @binding(0) var<uniform> params: PersistParams;
@group(0) @binding(1) var<storage, read_write> state: array<u32>;     // [B] step counters
@group(0) @binding(2) var<storage, read_write> codes: array<u32>;     // [B, total]
@group(0) @binding(3) var<storage, read> gw: array<vec4<f32>>;        // gate layers (packGates)
@group(0) @binding(4) var<storage, read> mw: array<vec4<f32>>;        // start conv + head (Packer)
@group(0) @binding(5) var<storage, read> table: array<u32>;           // 8 per layer, see LayerRow
@group(0) @binding(6) var<storage, read_write> queues: array<f32>;    // [B][q_stride]

var<workgroup> hbuf: array<f32, 128>;          // h ping-pong [2][MAXR]
var<workgroup> act: array<vec4<f32>, 16>;      // D <= 64 activations, 4 channels per vec4
var<workgroup> skp: array<f32, 256>;           // skip sum [S]
var<workgroup> hid: array<f32, 256>;           // hidden head layer [E]
var<workgroup> lg: array<f32, 256>;            // logits [C]
var<workgroup> red: array<f32, 65>;            // per-thread partials (+ the max)
var<workgroup> redu: array<u32, 65>;

struct LayerRow { dil: u32, q_len: u32, q_off: u32, o_wd: u32, o_bd: u32, o_w2: u32, o_b2: u32, has_res: u32 }

fn row_of(l: u32) -> LayerRow {
  let i = l * 8u;
  return LayerRow(table[i], table[i + 1u], table[i + 2u], table[i + 3u], table[i + 4u], table[i + 5u], table[i + 6u], table[i + 7u]);
}

fn wrap(start: u32, t: u32, len: u32) -> u32 {
  let p = start + t;
  return select(p, p - len, p >= len);
}

fn vbias(buf_is_m: bool, off: u32, i: u32) -> vec4<f32> {
  if (off == NONE) { return vec4<f32>(0.0); }
  if (buf_is_m) { return mw[off + i]; }
  return gw[off + i];
}

fn tanh4(v: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(stable_tanh(v.x), stable_tanh(v.y), stable_tanh(v.z), stable_tanh(v.w));
}

fn sigmoid4(v: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(sigmoid(v.x), sigmoid(v.y), sigmoid(v.z), sigmoid(v.w));
}

fn class_of(v: f32, classes: u32) -> u32 {
  return min(u32(round((clamp(v, -1.0, 1.0) + 1.0) * 0.5 * f32(classes - 1u))), classes - 1u);
}

// h0 = start conv of codes[b, t] (or of silence when filling).
fn embed(b: u32, t: u32, lid: u32) {
  let p = params;
  let nq = p.rp / 4u;
  var q = class_of(0.0, p.classes);
  var v = 0.0;
  if (p.fill == 0u) { q = min(codes[b * p.total + min(t, p.total - 1u)], p.classes - 1u); v = -1.0 + 2.0 * f32(q) / f32(p.classes - 1u); }
  for (var r = lid; r < p.r; r += WG) {
    var h: f32;
    if (p.onehot != 0u) { h = mw[p.o_sw + q * nq + r / 4u][r % 4u]; } else { h = mw[p.o_sw + r / 4u][r % 4u] * v; }
    if (p.o_sb != NONE) { h += mw[p.o_sb + r / 4u][r % 4u]; }
    hbuf[r] = h;
  }
  for (var s = lid; s < p.s; s += WG) { skp[s] = 0.0; }
}

fn layer_conv(b: u32, L: LayerRow, cur: u32, pos: u32, dq: u32) -> vec4<f32> {
  let p = params;
  let gated = p.gated != 0u;
  let mq = select(p.dp, 2u * p.dp, gated) / 4u;
  let gq = p.dp / 4u;
  var f = vbias(false, L.o_bd, dq);
  var g = select(vec4<f32>(0.0), vbias(false, L.o_bd, dq + gq), gated);
  let qb = b * p.q_stride + L.q_off;
  for (var k = 0u; k < p.k; k++) {
    let back = (p.k - 1u - k) * L.dil;
    let slot = wrap(pos, L.q_len - back, L.q_len);
    for (var r = 0u; r < p.r; r++) {
      var v = hbuf[cur * MAXR + r];
      if (back != 0u && p.fill == 0u) { v = queues[qb + r * L.q_len + slot]; }
      let wi = L.o_wd + (r * p.k + k) * mq + dq;
      f += gw[wi] * v;
      if (gated) { g += gw[wi + gq] * v; }
    }
  }
  if (gated) { return tanh4(f) * sigmoid4(g); }
  return tanh4(f);
}

fn layer(b: u32, l: u32, cur: u32, t: u32, lid: u32) {
  let p = params;
  let L = row_of(l);
  let pos = t % L.q_len;
  for (var dq = lid; dq < p.dp / 4u; dq += WG) { act[dq] = layer_conv(b, L, cur, pos, dq); }
  // Push h(t): slot pos is never read above (taps look back 1..Q-1 slots).
  let qb = b * p.q_stride + L.q_off;
  for (var r = lid; r < p.r; r += WG) {
    let v = hbuf[cur * MAXR + r];
    if (p.fill != 0u) { for (var j = 0u; j < L.q_len; j++) { queues[qb + r * L.q_len + j] = v; } } else { queues[qb + r * L.q_len + pos] = v; }
  }
  workgroupBarrier();
  let rp = select(0u, p.rp, L.has_res != 0u);
  let n_oq = (rp + p.sp) / 4u;
  for (var oq = lid; oq < n_oq; oq += WG) {
    var acc = vbias(false, L.o_b2, oq);
    for (var i = 0u; i < p.d; i++) { acc += gw[L.o_w2 + i * n_oq + oq] * act[i / 4u][i % 4u]; }
    for (var j = 0u; j < 4u; j++) {
      let o = oq * 4u + j;
      if (o < rp) { if (o < p.r) { hbuf[(1u - cur) * MAXR + o] = hbuf[cur * MAXR + o] + acc[j]; } }
      else if (o - rp < p.s) { skp[o - rp] += acc[j]; }
    }
  }
  workgroupBarrier();
}

fn head_rows(oq: u32, nq: u32, o_w: u32, o_b: u32, n_in: u32, from_skip: bool) -> vec4<f32> {
  var acc = vbias(true, o_b, oq);
  for (var i = 0u; i < n_in; i++) {
    let v = select(hid[i], max(skp[i], 0.0), from_skip);
    acc += mw[o_w + i * nq + oq] * v;
  }
  return acc;
}

fn head(lid: u32) {
  let p = params;
  if (p.e > 0u) {
    for (var eq = lid; eq < p.ep / 4u; eq += WG) {
      let v = max(head_rows(eq, p.ep / 4u, p.o_h1w, p.o_h1b, p.s, true), vec4<f32>(0.0));
      for (var j = 0u; j < 4u; j++) { if (eq * 4u + j < p.e) { hid[eq * 4u + j] = v[j]; } }
    }
  }
  workgroupBarrier();
  for (var cq = lid; cq < p.cp / 4u; cq += WG) {
    let v = head_rows(cq, p.cp / 4u, p.o_h2w, p.o_h2b, select(p.s, p.e, p.e > 0u), p.e == 0u);
    for (var j = 0u; j < 4u; j++) { if (cq * 4u + j < p.classes) { lg[cq * 4u + j] = v[j]; } }
  }
  workgroupBarrier();
}

// ---- the draw: Philox4x32-10 as in kernels/softmax_sample.wgsl ------------------------------------

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

fn philox_u(step: u32, stream: u32) -> f32 {
  var c = vec4<u32>(step, stream, 0u, TAG_SAMPLE);
  var k = vec2<u32>(params.seed_lo, params.seed_hi);
  for (var r = 0u; r < 10u; r++) {
    let p0 = mul_hi_lo(0xD2511F53u, c.x);
    let p1 = mul_hi_lo(0xCD9E8D57u, c.z);
    c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
    k += vec2<u32>(0x9E3779B9u, 0xBB67AE85u);
  }
  return f32(c.x >> 8u) * (1.0 / 16777216.0);
}

// Thread chunks of the logits: partial max (red/redu), then partial exp sums; thread 0 combines
// them and walks the chunk that holds u * total.
fn draw(b: u32, t: u32, lid: u32) -> u32 {
  let C = params.classes;
  let chunk = (C + WG - 1u) / WG;
  let j0 = min(lid * chunk, C);
  let j1 = min(j0 + chunk, C);
  var m = -3.4e38;
  var am = 0u;
  for (var j = j0; j < j1; j++) { if (lg[j] > m) { m = lg[j]; am = j; } }
  red[lid] = m;
  redu[lid] = am;
  workgroupBarrier();
  if (lid == 0u) {
    for (var i = 1u; i < WG; i++) { if (red[i] > red[0]) { red[0] = red[i]; redu[0] = redu[i]; } }
    red[WG] = red[0];
    redu[WG] = redu[0];
  }
  workgroupBarrier();
  let mx = red[WG];
  let inv_t = 1.0 / max(params.temp, 1e-30);
  var own = 0.0;
  for (var j = j0; j < j1; j++) { own += exp((lg[j] - mx) * inv_t); }
  workgroupBarrier();
  red[lid] = own;
  workgroupBarrier();
  var pick = redu[WG];
  if (lid == 0u && params.temp > 0.0) {
    var total = 0.0;
    for (var i = 0u; i < WG; i++) { total += red[i]; }
    let goal = philox_u(t, params.stream0 + b) * total;
    var c = 0.0;
    pick = NONE;
    for (var i = 0u; i < WG && pick == NONE; i++) {
      if (c + red[i] <= goal) { c += red[i]; continue; }
      for (var j = min(i * chunk, C); j < min(i * chunk + chunk, C); j++) {
        let wv = exp((lg[j] - mx) * inv_t);
        c += wv;
        if (wv > 0.0 && c > goal) { pick = j; break; }
      }
    }
    // Rounding left u * total at or past every running sum: the last class of positive weight.
    for (var j = C; j > 0u && pick == NONE; j--) { if (exp((lg[j - 1u] - mx) * inv_t) > 0.0) { pick = j - 1u; } }
  }
  return pick;
}

@compute @workgroup_size(WG)
fn persist(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.x + wid.y * nwg.x;
  if (b >= params.batch) { return; }
  for (var n = 0u; n < params.n_steps; n++) {
    let t = state[b];
    embed(b, t, lid);
    workgroupBarrier();
    for (var l = 0u; l < params.layers; l++) { layer(b, l, l % 2u, t, lid); }
    if (params.fill != 0u) { return; }
    head(lid);
    let q = draw(b, t, lid);
    if (lid == 0u) {
      if (t + 1u < params.total && t + 1u >= params.prime) { codes[b * params.total + t + 1u] = q; }
      state[b] = t + 1u;
    }
    storageBarrier();
    workgroupBarrier();
  }
}
