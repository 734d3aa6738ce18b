// Shared maths, expanded in place where a kernel says `// #import math` (build.mjs keeps a line
// map, so compile errors name this file and line).
//
// WGSL only promises sin/cos to 2^-11 absolute error inside [-pi, pi] (SwiftShader is near that
// bound and worse outside), too loose for oscillators and twiddles. precise_sin/precise_cos reduce
// x = k*pi + r with a two-part pi (Cody-Waite) and evaluate Taylor polynomials on |r| <= pi/2:
// truncation error < 6e-8, so the f32 rounding of r dominates (|x| * 2^-24).

const MATH_PI_HI: f32 = 3.140625;               // 201/64: k * PI_HI is exact for |k| < 2^16
const MATH_PI_LO: f32 = 9.67653589793e-4;       // pi - PI_HI
const MATH_INV_PI: f32 = 0.318309886183790672;

fn reduce_pi(x: f32) -> vec2<f32> {
  let k = round(x * MATH_INV_PI);
  let r = (x - k * MATH_PI_HI) - k * MATH_PI_LO;
  return vec2<f32>(r, k);
}

fn sin_poly(r: f32) -> f32 {
  let r2 = r * r;
  return r * (1.0 + r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0 + r2 * (-1.0 / 39916800.0))))));
}

fn cos_poly(r: f32) -> f32 {
  let r2 = r * r;
  return 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0 + r2 * (-1.0 / 3628800.0 + r2 * (1.0 / 479001600.0))))));
}

fn odd_sign(k: f32) -> f32 {
  return select(1.0, -1.0, (i32(k) & 1) != 0);
}

fn precise_sin(x: f32) -> f32 {
  let rk = reduce_pi(x);
  return odd_sign(rk.y) * sin_poly(rk.x);
}

fn precise_cos(x: f32) -> f32 {
  let rk = reduce_pi(x);
  return odd_sign(rk.y) * cos_poly(rk.x);
}

// tanh without overflow for large |v| (exp(2v) would reach inf).
fn stable_tanh(v: f32) -> f32 {
  let e = exp(-2.0 * abs(v));
  return sign(v) * (1.0 - e) / (1.0 + e);
}

fn sigmoid(v: f32) -> f32 {
  return 1.0 / (1.0 + exp(-v));
}
