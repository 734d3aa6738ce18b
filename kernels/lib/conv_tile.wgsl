// The 8-row x 8-step register tile of the window convolution kernels (conv1d v3/v4,
// conv_transpose1d v2/v3): four 4x4 accumulators, outer-product taps, and the sliding window
// picks of a 16-element input window held in four vec4s.

fn outer(wv: vec4<f32>, xv: vec4<f32>) -> mat4x4<f32> {
  return mat4x4<f32>(wv * xv.x, wv * xv.y, wv * xv.z, wv * xv.w);
}

struct Acc { a00: mat4x4<f32>, a01: mat4x4<f32>, a10: mat4x4<f32>, a11: mat4x4<f32> }

// One tap for rows 0-3 (w0) and 4-7 (w1) against steps 0-3 (xa) and 4-7 (xb).
fn fma_tap(acc: ptr<function, Acc>, w0: vec4<f32>, w1: vec4<f32>, xa: vec4<f32>, xb: vec4<f32>) {
  (*acc).a00 += outer(w0, xa); (*acc).a01 += outer(w0, xb);
  (*acc).a10 += outer(w1, xa); (*acc).a11 += outer(w1, xb);
}

// Window element j..j+3 of (W0, W1, W2, W3) for a constant j (0..12).
fn pick(W0: vec4<f32>, W1: vec4<f32>, W2: vec4<f32>, W3: vec4<f32>, j: u32) -> vec4<f32> {
  switch (j) {
    case 0u: { return W0; }
    case 1u: { return vec4<f32>(W0.yzw, W1.x); }
    case 2u: { return vec4<f32>(W0.zw, W1.xy); }
    case 3u: { return vec4<f32>(W0.w, W1.xyz); }
    case 4u: { return W1; }
    case 5u: { return vec4<f32>(W1.yzw, W2.x); }
    case 6u: { return vec4<f32>(W1.zw, W2.xy); }
    case 7u: { return vec4<f32>(W1.w, W2.xyz); }
    case 8u: { return W2; }
    case 9u: { return vec4<f32>(W2.yzw, W3.x); }
    case 10u: { return vec4<f32>(W2.zw, W3.xy); }
    case 11u: { return vec4<f32>(W2.w, W3.xyz); }
    default: { return W3; }
  }
}
