// One autoregressive step of a WaveNet-autoencoder decoder (NSynth h512_bo16, Universal Music
// Translation), src/ops/nsynth_step.ts. Everything a step needs stays on the GPU so a recorded
// step replays with no CPU traffic:
//   state[0]          the step t (input sample index; softmax_sample's counter)
//   codes [B, N]      classes: codes[b, 0] is the first input, the draw of step t lands at t + 1
//   queue [B, Q, R]   per layer, the last Q = (K-1)*dil + 1 layer inputs, a ring indexed by t
//   cond [B, F, Ct]   the encoding's 1x1 projections for every layer and the head, frame-major
// Entries (one output channel quad = 4 channels per thread; vec4 weights, transposed at load):
//   embed    h0[b] = start conv over the last Ks input values x(t - j) (x < 0 = 0: causal zero pad),
//            x = table[q] (NSynth (q - 128) / 128, music-translation q / 255 - 0.5, rounded on the CPU)
//   dil      z = bd + sum_{k,r} Wd[k, r] h(t - (K-1-k) dil)[r] + cond_l(t / hop);
//            act = sigmoid(z[:R]) * tanh(z[R:]); pushes h(t) into the layer's queue
//   mix      rows [o_first, R): h_out = h_in + br + Wr act; rows [R, R+S): skip (+)= bs + Ws act
//   dense    y = post(b + W pre(x) + cond(t / hop)), pre/post: identity or relu (the head)
//   commit   codes[b, t + 1] = drawn class
// Queue slot t mod Q is written while the taps read slots (t - back) mod Q with 0 < back < Q, so
// the push needs no barrier. `*_split` entries (real GPUs): SPLIT threads share one quad's
// reduction (rows r = part, part + SPLIT, ...) and sum their partials in workgroup memory, so a
// layer spreads over Rq * SPLIT threads instead of Rq; a CPU device (SwiftShader) runs the plain
// entries, which declare no workgroup memory (its zero-init is slow to compile there).
// #import math

override WG: u32 = 64;
override SPLIT: u32 = 8;   // *_split entries: WG_SPLIT % SPLIT == 0
const WG_SPLIT: u32 = 64u;

struct Pair { s: vec4<f32>, t: vec4<f32> }

fn sigmoid4(v: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(sigmoid(v.x), sigmoid(v.y), sigmoid(v.z), sigmoid(v.w));
}

fn tanh4(v: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(stable_tanh(v.x), stable_tanh(v.y), stable_tanh(v.z), stable_tanh(v.w));
}

var<workgroup> red_s: array<vec4<f32>, WG_SPLIT>;
var<workgroup> red_t: array<vec4<f32>, WG_SPLIT>;

// ---- embed -------------------------------------------------------------------------------------

struct EmbedParams { batch: u32, rq: u32, ks: u32, total: u32, classes: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> eparams: EmbedParams;
@group(0) @binding(1) var<storage, read> state: array<u32>;
@group(0) @binding(2) var<storage, read> codes: array<u32>;
@group(0) @binding(3) var<storage, read> ew: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> eb: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> h0: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> etab: array<f32>;

@compute @workgroup_size(WG)
fn embed(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = eparams;
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.batch * p.rq) { return; }
  let b = i / p.rq;
  let q = i % p.rq;
  let t = min(state[0], p.total - 1u);
  var acc = eb[q];
  for (var k = 0u; k < p.ks; k++) {
    let back = p.ks - 1u - k;
    if (back <= t) {
      let x = etab[min(codes[b * p.total + t - back], p.classes - 1u)];
      acc += ew[k * p.rq + q] * x;
    }
  }
  h0[i] = acc;
}

// ---- dil ---------------------------------------------------------------------------------------

struct DilParams {
  batch: u32, r: u32, rq: u32, k: u32,
  dil: u32, q_len: u32, groups: u32, hop: u32,
  frames: u32, ctq: u32, c_offq: u32, has_cond: u32,
}

@group(0) @binding(0) var<uniform> dparams: DilParams;
@group(0) @binding(2) var<storage, read> h: array<f32>;
@group(0) @binding(3) var<storage, read_write> queue: array<f32>;
@group(0) @binding(4) var<storage, read> dw: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> db: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> dcond: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> act: array<vec4<f32>>;

// Partial sums of the sigmoid (s) and tanh (t) halves of quad q over rows r = part + j * nparts.
fn dil_acc(b: u32, q: u32, part: u32, nparts: u32) -> Pair {
  let p = dparams;
  let t = state[0];
  let pos = t % p.q_len;
  let row = 2u * p.rq;
  var s = vec4<f32>(0.0);
  var u = vec4<f32>(0.0);
  for (var k = 0u; k < p.k; k++) {
    let back = (p.k - 1u - k) * p.dil;
    var w = (k * p.r + part) * row + q;
    let wstep = nparts * row;
    if (back == 0u) {
      for (var r = part; r < p.r; r += nparts) {
        let v = h[b * p.r + r];
        s += dw[w] * v;
        u += dw[w + p.rq] * v;
        w += wstep;
      }
    } else {
      let slot = (pos + p.q_len - back) % p.q_len;
      let base = (b * p.q_len + slot) * p.r;
      for (var r = part; r < p.r; r += nparts) {
        let v = queue[base + r];
        s += dw[w] * v;
        u += dw[w + p.rq] * v;
        w += wstep;
      }
    }
  }
  return Pair(s, u);
}

fn dil_finish(b: u32, q: u32, acc: Pair) {
  let p = dparams;
  let t = state[0];
  var s = acc.s + db[q];
  var u = acc.t + db[p.rq + q];
  if (p.has_cond != 0u) {
    let f = min(t / p.hop, p.frames - 1u);
    let base = (b * p.frames + f) * p.ctq + p.c_offq;
    s += dcond[base + q];
    u += dcond[base + p.rq + q];
  }
  act[b * p.rq + q] = sigmoid4(s) * tanh4(u);
  let slot = (b * p.q_len + t % p.q_len) * p.r + 4u * q;
  for (var e = 0u; e < 4u; e++) { queue[slot + e] = h[b * p.r + 4u * q + e]; }
}

@compute @workgroup_size(WG)
fn dil(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= dparams.batch * dparams.rq) { return; }
  let b = i / dparams.rq;
  let q = i % dparams.rq;
  dil_finish(b, q, dil_acc(b, q, 0u, 1u));
}

@compute @workgroup_size(WG_SPLIT)
fn dil_split(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let qpw = WG_SPLIT / SPLIT;
  let g = wid.x + wid.y * nwg.x;
  let b = g / dparams.groups;
  if (b >= dparams.batch) { return; }
  let q = (g % dparams.groups) * qpw + lid % qpw;
  let part = lid / qpw;
  var acc = Pair(vec4<f32>(0.0), vec4<f32>(0.0));
  if (q < dparams.rq) { acc = dil_acc(b, q, part, SPLIT); }
  red_s[lid] = acc.s;
  red_t[lid] = acc.t;
  workgroupBarrier();
  if (part == 0u && q < dparams.rq) {
    for (var j = 1u; j < SPLIT; j++) { acc.s += red_s[lid + j * qpw]; acc.t += red_t[lid + j * qpw]; }
    dil_finish(b, q, acc);
  }
}

// ---- mix ---------------------------------------------------------------------------------------

struct MixParams {
  batch: u32, din: u32, rq: u32, sq: u32,
  o_first: u32, groups: u32, skip_init: u32, _p0: u32,
}

@group(0) @binding(0) var<uniform> mparams: MixParams;
@group(0) @binding(1) var<storage, read> mx: array<f32>;
@group(0) @binding(2) var<storage, read> mw: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> mb: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> h_in: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> h_out: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> skip: array<vec4<f32>>;

fn mix_acc(b: u32, oq: u32, part: u32, nparts: u32) -> vec4<f32> {
  let p = mparams;
  let nq = p.rq + p.sq;
  var acc = vec4<f32>(0.0);
  var w = part * nq + oq;
  for (var i = part; i < p.din; i += nparts) {
    acc += mw[w] * mx[b * p.din + i];
    w += nparts * nq;
  }
  return acc;
}

fn mix_finish(b: u32, oq: u32, acc: vec4<f32>) {
  let p = mparams;
  let v = acc + mb[oq];
  if (oq < p.rq) {
    h_out[b * p.rq + oq] = h_in[b * p.rq + oq] + v;
    return;
  }
  let j = b * p.sq + oq - p.rq;
  if (p.skip_init != 0u) { skip[j] = v; } else { skip[j] = skip[j] + v; }
}

@compute @workgroup_size(WG)
fn mix(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = mparams;
  let n = p.rq + p.sq - p.o_first;
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.batch * n) { return; }
  let b = i / n;
  let oq = p.o_first + i % n;
  mix_finish(b, oq, mix_acc(b, oq, 0u, 1u));
}

@compute @workgroup_size(WG_SPLIT)
fn mix_split(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let p = mparams;
  let qpw = WG_SPLIT / SPLIT;
  let g = wid.x + wid.y * nwg.x;
  let b = g / p.groups;
  if (b >= p.batch) { return; }
  let oq = p.o_first + (g % p.groups) * qpw + lid % qpw;
  let part = lid / qpw;
  let live = oq < p.rq + p.sq;
  var acc = vec4<f32>(0.0);
  if (live) { acc = mix_acc(b, oq, part, SPLIT); }
  red_s[lid] = acc;
  workgroupBarrier();
  if (part == 0u && live) {
    for (var j = 1u; j < SPLIT; j++) { acc += red_s[lid + j * qpw]; }
    mix_finish(b, oq, acc);
  }
}

// ---- dense (head) ------------------------------------------------------------------------------

struct DenseParams {
  batch: u32, din: u32, doq: u32, groups: u32,
  pre_relu: u32, post_relu: u32, has_cond: u32, hop: u32,
  frames: u32, ctq: u32, c_offq: u32, _p0: u32,
}

@group(0) @binding(0) var<uniform> hparams: DenseParams;
@group(0) @binding(2) var<storage, read> hx: array<f32>;
@group(0) @binding(3) var<storage, read> hw: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> hb: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> hcond: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> hy: array<vec4<f32>>;

fn dense_acc(b: u32, oq: u32, part: u32, nparts: u32) -> vec4<f32> {
  let p = hparams;
  var acc = vec4<f32>(0.0);
  var w = part * p.doq + oq;
  for (var i = part; i < p.din; i += nparts) {
    var v = hx[b * p.din + i];
    if (p.pre_relu != 0u) { v = max(v, 0.0); }
    acc += hw[w] * v;
    w += nparts * p.doq;
  }
  return acc;
}

fn dense_finish(b: u32, oq: u32, acc: vec4<f32>) {
  let p = hparams;
  var v = acc + hb[oq];
  if (p.has_cond != 0u) {
    let f = min(state[0] / p.hop, p.frames - 1u);
    v += hcond[(b * p.frames + f) * p.ctq + p.c_offq + oq];
  }
  if (p.post_relu != 0u) { v = max(v, vec4<f32>(0.0)); }
  hy[b * p.doq + oq] = v;
}

@compute @workgroup_size(WG)
fn dense(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= hparams.batch * hparams.doq) { return; }
  let b = i / hparams.doq;
  let oq = i % hparams.doq;
  dense_finish(b, oq, dense_acc(b, oq, 0u, 1u));
}

@compute @workgroup_size(WG_SPLIT)
fn dense_split(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let qpw = WG_SPLIT / SPLIT;
  let g = wid.x + wid.y * nwg.x;
  let b = g / hparams.groups;
  if (b >= hparams.batch) { return; }
  let oq = (g % hparams.groups) * qpw + lid % qpw;
  let part = lid / qpw;
  var acc = vec4<f32>(0.0);
  if (oq < hparams.doq) { acc = dense_acc(b, oq, part, SPLIT); }
  red_s[lid] = acc;
  workgroupBarrier();
  if (part == 0u && oq < hparams.doq) {
    for (var j = 1u; j < SPLIT; j++) { acc += red_s[lid + j * qpw]; }
    dense_finish(b, oq, acc);
  }
}

// ---- commit ------------------------------------------------------------------------------------

struct CommitParams { batch: u32, total: u32, _p0: u32, _p1: u32 }

@group(0) @binding(0) var<uniform> cparams: CommitParams;
@group(0) @binding(2) var<storage, read> drawn: array<i32>;
@group(0) @binding(3) var<storage, read_write> codes_rw: array<u32>;

@compute @workgroup_size(WG)
fn commit(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  let t = state[0];
  if (b >= cparams.batch || t + 1u >= cparams.total) { return; }
  codes_rw[b * cparams.total + t + 1u] = u32(max(drawn[b], 0));
}
