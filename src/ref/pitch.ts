/** YIN and RMS-dB references in float64, straight from the definitions (see kernels/pitch.wgsl). */
function windowAt(x: ArrayLike<number>, start: number, len: number): Float64Array {
  const w = new Float64Array(len);
  for (let i = 0; i < len; i++) { const k = start + i; w[i] = k >= 0 && k < x.length ? x[k] : 0; }
  return w;
}

export function yinRef(x: ArrayLike<number>, sr: number, hop: number, win: number, fmin: number, fmax: number, threshold: number): { f0: Float32Array; confidence: Float32Array } {
  const tauMax = Math.ceil(sr / fmin), tauMin = Math.max(2, Math.floor(sr / fmax));
  const frames = Math.floor(x.length / hop) + 1;
  const f0 = new Float32Array(frames), confidence = new Float32Array(frames);
  for (let j = 0; j < frames; j++) {
    const s = windowAt(x, j * hop - Math.floor(win / 2), win + tauMax);
    const d = new Float64Array(tauMax + 1);
    for (let tau = 1; tau <= tauMax; tau++) {
      let acc = 0;
      for (let i = 0; i < win; i++) acc += (s[i] - s[i + tau]) ** 2;
      d[tau] = acc;
    }
    const cmnd = new Float64Array(tauMax + 1);
    cmnd[0] = 1;
    let sum = 0;
    for (let tau = 1; tau <= tauMax; tau++) { sum += d[tau]; cmnd[tau] = sum > 0 ? (d[tau] * tau) / sum : 1; }
    let best = -1;
    for (let tau = tauMin; tau <= tauMax && best < 0; tau++) {
      if (cmnd[tau] < threshold) { best = tau; while (best + 1 <= tauMax && cmnd[best + 1] < cmnd[best]) best++; }
    }
    if (best < 0) { best = tauMin; for (let tau = tauMin; tau <= tauMax; tau++) if (cmnd[tau] < cmnd[best]) best = tau; }
    let shift = 0;
    if (best > tauMin && best < tauMax) {
      const a = d[best - 1], b = d[best], c = d[best + 1], den = a - 2 * b + c;
      if (den > 0) shift = Math.min(0.5, Math.max(-0.5, (0.5 * (a - c)) / den));
    }
    f0[j] = sr / (best + shift);
    confidence[j] = Math.min(1, Math.max(0, 1 - cmnd[best]));
  }
  return { f0, confidence };
}

export function rmsDbRef(x: ArrayLike<number>, hop: number, win: number, offsetDb: number, minDb: number): Float32Array {
  const frames = Math.floor(x.length / hop) + 1;
  const out = new Float32Array(frames);
  for (let j = 0; j < frames; j++) {
    const s = windowAt(x, j * hop - Math.floor(win / 2), win);
    let acc = 0;
    for (const v of s) acc += v * v;
    out[j] = Math.max(20 * Math.log10(Math.max(Math.sqrt(acc / win), 1e-20)) + offsetDb, minDb);
  }
  return out;
}
