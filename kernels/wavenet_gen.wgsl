// Autoregressive WaveNet generation, one sample per replay (src/models/wavenet/generate.ts).
// Everything a step needs lives on the GPU, so a recorded step replays with no CPU readback:
//   state[0]       the step counter t (input sample index)
//   codes [B, N]   mu-law classes: the prime, then the samples drawn (N = prime + generated)
// Entries:
//   gen_embed  h0[b, :] = start conv of codes[b, t] (scalar input bins[q], or one-hot column q)
//   head       logits [B, C] = head(relu(skip [B, S])), one workgroup per stream
//   commit     codes[b, t + 1] = idx[b] once t + 1 >= prime (and values[b, v_off + t + 1] = bins[q]
//              for the full-recompute path)
// The draw itself is src/ops/softmax_sample.ts's sample() (Philox, seeded by step and stream).

override WG: u32 = 64;

const NONE: u32 = 0xffffffffu;

fn bin_value(q: u32, classes: u32) -> f32 {
  return -1.0 + 2.0 * f32(q) / f32(classes - 1u);
}

@group(0) @binding(1) var<storage, read> state: array<u32>;
@group(0) @binding(2) var<storage, read_write> codes: array<u32>;
@group(0) @binding(3) var<storage, read> gw: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> logits: array<f32>;

// ---- gen_embed ---------------------------------------------------------------------------------

struct EmbedStepParams { batch: u32, r: u32, rp: u32, classes: u32, onehot: u32, total: u32, o_w: u32, o_b: u32 }

@group(0) @binding(0) var<uniform> eparams: EmbedStepParams;
@group(0) @binding(4) var<storage, read_write> h0: array<f32>;

@compute @workgroup_size(WG)
fn gen_embed(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = eparams;
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= p.batch * p.r) { return; }
  let b = i / p.r;
  let r = i % p.r;
  let q = min(codes[b * p.total + min(state[0], p.total - 1u)], p.classes - 1u);
  let nq = p.rp / 4u;
  var v: f32;
  if (p.onehot != 0u) { v = gw[p.o_w + q * nq + r / 4u][r % 4u]; } else { v = gw[p.o_w + r / 4u][r % 4u] * bin_value(q, p.classes); }
  if (p.o_b != NONE) { v += gw[p.o_b + r / 4u][r % 4u]; }
  h0[i] = v;
}

// ---- head --------------------------------------------------------------------------------------

struct HeadParams {
  batch: u32, s: u32, e: u32, classes: u32,       // e = 0: one-layer head
  ep: u32, cp: u32, o_w1: u32, o_b1: u32,
  o_w2: u32, o_b2: u32, _p0: u32, _p1: u32,
}

@group(0) @binding(0) var<uniform> hparams: HeadParams;
@group(0) @binding(4) var<storage, read> skip: array<f32>;

var<workgroup> hid: array<f32, 512>;   // relu(skip) [S], then the hidden layer [E]

fn head_rows(oq: u32, nq: u32, o_w: u32, o_b: u32, src: u32, n_in: u32) -> vec4<f32> {
  var acc = vec4<f32>(0.0);
  if (o_b != NONE) { acc = gw[o_b + oq]; }
  for (var i = 0u; i < n_in; i++) { acc += gw[o_w + i * nq + oq] * hid[src + i]; }
  return acc;
}

@compute @workgroup_size(WG)
fn head(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.x + wid.y * nwg.x;
  if (b >= hparams.batch) { return; }
  let p = hparams;
  for (var i = lid; i < p.s; i += WG) { hid[i] = max(skip[b * p.s + i], 0.0); }
  workgroupBarrier();
  var src = 0u;
  var n_in = p.s;
  if (p.e > 0u) {
    for (var eq = lid; eq < p.ep / 4u; eq += WG) {
      let v = max(head_rows(eq, p.ep / 4u, p.o_w1, p.o_b1, 0u, p.s), vec4<f32>(0.0));
      for (var j = 0u; j < 4u; j++) { if (eq * 4u + j < p.e) { hid[p.s + eq * 4u + j] = v[j]; } }
    }
    src = p.s;
    n_in = p.e;
  }
  workgroupBarrier();
  for (var cq = lid; cq < p.cp / 4u; cq += WG) {
    let v = head_rows(cq, p.cp / 4u, p.o_w2, p.o_b2, src, n_in);
    for (var j = 0u; j < 4u; j++) { if (cq * 4u + j < p.classes) { logits[b * p.classes + cq * 4u + j] = v[j]; } }
  }
}

// ---- commit ------------------------------------------------------------------------------------

struct CommitParams { batch: u32, total: u32, prime: u32, classes: u32, v_len: u32, v_off: u32, values_out: u32, _p0: u32 }

@group(0) @binding(0) var<uniform> cparams: CommitParams;
@group(0) @binding(4) var<storage, read> idx: array<i32>;
@group(0) @binding(6) var<storage, read_write> values: array<f32>;

@compute @workgroup_size(WG)
fn commit(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = cparams;
  let b = gid.x + gid.y * nwg.x * WG;
  let t = state[0];
  if (b >= p.batch || t + 1u >= p.total || t + 1u < p.prime) { return; }
  let q = u32(clamp(idx[b], 0, i32(p.classes) - 1));
  codes[b * p.total + t + 1u] = q;
  if (p.values_out != 0u) { values[b * p.v_len + p.v_off + t + 1u] = bin_value(q, p.classes); }
}
