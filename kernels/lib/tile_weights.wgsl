// Weight loads of the window convolution tile (kernels/lib/conv_tile.wgsl) without subgroups:
// every thread loads the 8 weights of a tap itself.

fn ldw4(rows: vec4<u32>, off: u32) -> vec4<f32> {
  return vec4<f32>(w[rows.x + off], w[rows.y + off], w[rows.z + off], w[rows.w + off]);
}

fn tap_w(rows: WRows, k: u32) -> mat2x4<f32> {
  return mat2x4<f32>(ldw4(rows.r0, k), ldw4(rows.r1, k));
}
