/**
 * Reference additive synthesis in float64: the instantaneous frequency is the linear
 * interpolation of frame f0 (frame j at sample j*hop, last frame held), and the phase is its
 * exact integral, accumulated frame by frame (integral of a linear ramp over a frame = mean * hop).
 */
export function harmonicRef(f0: Float32Array, amp: Float32Array, dist: Float32Array, B: number, F: number, H: number, sr: number, hop: number, normalize: boolean): Float32Array {
  const out = new Float32Array(B * F * hop);
  for (let b = 0; b < B; b++) {
    let phi0 = 0; // cycles at the start of frame j
    for (let j = 0; j < F; j++) {
      const i = b * F + j, k = b * F + Math.min(j + 1, F - 1);
      for (let s = 0; s < hop; s++) {
        const u = s / hop;
        const f = f0[i] + (f0[k] - f0[i]) * u;
        const phi = phi0 + (hop / sr) * (f0[i] * u + 0.5 * (f0[k] - f0[i]) * u * u);
        const a = amp[i] + (amp[k] - amp[i]) * u;
        let total = 0, norm = 0;
        for (let h = 1; h <= H; h++) {
          if (h * f >= sr / 2) break;
          const d = dist[i * H + h - 1] + (dist[k * H + h - 1] - dist[i * H + h - 1]) * u;
          norm += d;
          total += d * Math.sin(2 * Math.PI * h * phi);
        }
        if (normalize) total = norm > 0 ? total / norm : 0;
        out[(b * F + j) * hop + s] = a * total;
      }
      phi0 += ((f0[i] + f0[k]) / 2) * hop / sr;
    }
  }
  return out;
}
