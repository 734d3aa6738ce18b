// mu-law quantisation. The op (src/ops/mulaw.ts) builds the tables on the CPU in float64:
//   thresholds[j] = the smallest f32 whose float64 class is j + 1   (classes - 1 entries, sorted)
//   table[q]      = a float64 value per class rounded to f32 (companded value, or decoded audio)
// so the integer classes and decoded values are exact, whatever the GPU's log/exp accuracy.
// The comparisons run on order-preserving integer keys of the f32 bit patterns (the thresholds
// arrive as keys), so GPUs that flush subnormals to zero still order them (-1e-45 < 0).
//   encode:   q[i] = #{ j : thresholds[j] <= x[i] }                (binary search)
//   quantize: y[i] = table[encode(x[i])]                          (fused: audio -> model input)
//   lookup:   y[i] = table[clamp(code[i], 0, classes - 1)]        (class -> value)
//   onehot:   y[o, c, t] = (code[o, t] == c)                      ([..., T] -> [..., C, T])
//   compress / expand: the continuous curves, in f32
// Class inputs are bound as raw 32-bit words and read as i32, u32 or f32 (rounded) per `dtype`.
// Index = gid.x + gid.y * nwg.x * WG, so more than 65,535 workgroups fold into y.

override WG: u32 = 256;

const DT_I32: u32 = 0u;
const DT_U32: u32 = 1u;
const DT_F32: u32 = 2u;

// ---- encode / quantize -------------------------------------------------------------------

struct EncodeParams { n: u32, count: u32, _pad0: u32, _pad1: u32 }

@group(0) @binding(0) var<uniform> eparams: EncodeParams;
@group(0) @binding(1) var<storage, read> x: array<u32>;            // f32 bit patterns
@group(0) @binding(2) var<storage, read> thresholds: array<i32>;   // keys, ascending
@group(0) @binding(3) var<storage, read_write> q: array<i32>;

// f32 bits -> i32 key with key(a) < key(b) iff a < b (+0 and -0 share key 0; NaN sorts past +-inf).
fn key_of(bits: u32) -> i32 {
  let b = bitcast<i32>(bits);
  return select(b, -(b & 0x7fffffff), b < 0);
}

// Number of thresholds <= v.
fn class_of(bits: u32) -> u32 {
  let v = key_of(bits);
  var lo = 0u;
  var hi = eparams.count;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    if (thresholds[mid] <= v) { lo = mid + 1u; } else { hi = mid; }
  }
  return lo;
}

@compute @workgroup_size(WG)
fn encode(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= eparams.n) { return; }
  q[i] = i32(class_of(x[i]));
}

@group(0) @binding(3) var<storage, read> table: array<f32>;
@group(0) @binding(4) var<storage, read_write> qy: array<f32>;

@compute @workgroup_size(WG)
fn quantize(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= eparams.n) { return; }
  qy[i] = table[class_of(x[i])];
}

// ---- lookup / onehot ---------------------------------------------------------------------

struct LookupParams { n: u32, classes: u32, dtype: u32, time: u32 }

@group(0) @binding(0) var<uniform> lparams: LookupParams;
@group(0) @binding(1) var<storage, read> codes: array<u32>;
@group(0) @binding(2) var<storage, read> values: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

fn code_at(i: u32) -> u32 {
  let bits = codes[i];
  var c: i32;
  if (lparams.dtype == DT_F32) {
    c = i32(clamp(round(bitcast<f32>(bits)), -1.0, 1.0e9));
  } else if (lparams.dtype == DT_U32) {
    c = i32(min(bits, 0x7fffffffu));
  } else {
    c = bitcast<i32>(bits);
  }
  return u32(clamp(c, 0, i32(lparams.classes) - 1));
}

@compute @workgroup_size(WG)
fn lookup(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= lparams.n) { return; }
  y[i] = values[code_at(i)];
}

@group(0) @binding(2) var<storage, read_write> hot: array<f32>;

// One thread per output element of [outer, classes, time].
@compute @workgroup_size(WG)
fn onehot(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= lparams.n) { return; }
  let t = i % lparams.time;
  let rest = i / lparams.time;
  let c = rest % lparams.classes;
  let o = rest / lparams.classes;
  hot[i] = select(0.0, 1.0, code_at(o * lparams.time + t) == c);
}

// ---- continuous companding curves ---------------------------------------------------------

struct CurveParams { n: u32, mu: f32, log1p_mu: f32, _pad: u32 }

@group(0) @binding(0) var<uniform> cparams: CurveParams;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

// log(1 + a) without the cancellation of log(u) for u = 1 + a near 1 (Goldberg's trick).
fn log1p_f32(a: f32) -> f32 {
  let u = 1.0 + a;
  if (u == 1.0) { return a; }
  return log(u) * (a / (u - 1.0));
}

// exp(z) - 1, same trick.
fn expm1_f32(z: f32) -> f32 {
  let u = exp(z);
  if (u == 1.0) { return z; }
  let l = log(u);
  if (l == 0.0) { return z; }
  return (u - 1.0) * (z / l);
}

@compute @workgroup_size(WG)
fn compress(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= cparams.n) { return; }
  let v = clamp(src[i], -1.0, 1.0);
  dst[i] = sign(v) * log1p_f32(cparams.mu * abs(v)) / cparams.log1p_mu;
}

@compute @workgroup_size(WG)
fn expand(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= cparams.n) { return; }
  let v = clamp(src[i], -1.0, 1.0);
  dst[i] = sign(v) * expm1_f32(abs(v) * cparams.log1p_mu) / cparams.mu;
}
