/**
 * CPU references for the DDSP ops (src/ops/ddsp.ts, src/ops/ddsp_synth.ts), written from the
 * DDSP maths in float64: no chunking of the phase sum (it is one running sum mathematically),
 * the filtered noise as an explicit per-frame full convolution overlap-added into the output.
 */
import type { ControlConsts, FeatureConsts } from '../ops/ddsp.js';
import type { HarmonicConsts, NoiseConsts } from '../ops/ddsp_synth.js';

/** f0, ld: [T] -> [2, T]: loudness / 120 + 1 style scaling and MIDI pitch (0 for f0 <= 0). */
export function ddspFeaturesRef(f0: ArrayLike<number>, ld: ArrayLike<number>, c: FeatureConsts): Float32Array {
  const T = f0.length, out = new Float32Array(2 * T);
  for (let t = 0; t < T; t++) {
    out[t] = ld[t] * c.ldScale + c.ldShift;
    const midi = f0[t] > 0 ? (Math.log(f0[t]) * c.log2e - c.log2of440) * c.semitones + c.midiA4 : 0;
    out[T + t] = midi * c.midiScale;
  }
  return out;
}

/** x, h: [C, T]; y = x + gamma_c (h - mean) / sqrt(var + eps) + beta_c over all C*T values; r = relu(y). */
export function ddspNormResidualRef(x: ArrayLike<number>, h: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, eps: number, T: number): { y: Float32Array; r: Float32Array } {
  const n = h.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += h[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (h[i] - mean) ** 2;
  const rstd = 1 / Math.sqrt(v / n + eps);
  const y = new Float32Array(n), r = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(i / T);
    y[i] = x[i] + gamma[c] * (h[i] - mean) * rstd + beta[c];
    r[i] = Math.max(0, y[i]);
  }
  return { y, r };
}

const expSigmoid = (v: number, p: { max: number; exponent: number; eps: number }) => p.max * (1 / (1 + Math.exp(-v))) ** p.exponent + p.eps;

/** dense: [T, 1+H+NB], bias [1+H+NB], f0 [T], hn [H] -> amp [T], harm [T, H], mags [T, NB] (real). */
export function ddspControlsRef(dense: ArrayLike<number>, bias: ArrayLike<number>, f0: ArrayLike<number>, hn: ArrayLike<number>, c: ControlConsts): { amp: Float32Array; harm: Float32Array; mags: Float32Array } {
  const T = f0.length, H = hn.length, width = bias.length, NB = width - 1 - H;
  const amp = new Float32Array(T), harm = new Float32Array(T * H), mags = new Float32Array(T * NB);
  for (let t = 0; t < T; t++) {
    const row = (i: number) => dense[t * width + i] + bias[i];
    amp[t] = expSigmoid(row(0), c.amp);
    const d = Array.from({ length: H }, (_, k) => (f0[t] * hn[k] >= c.nyquist ? 0 : expSigmoid(row(1 + k), c.dist)));
    const total = d.reduce((a, b) => a + b, 0);
    for (let k = 0; k < H; k++) harm[t * H + k] = total > 0 ? amp[t] * d[k] / total : 0;
    for (let b = 0; b < NB; b++) mags[t * NB + b] = expSigmoid(row(1 + H + b) + c.noiseBias, c.noise);
  }
  return { amp, harm, mags };
}

/**
 * Additive synth: f_k(t) linear between frames (frame j at sample j*hop, the last held),
 * phase_k(t) = sum_{s <= t} f_k(s) * omegaScale, amplitude by overlap-add of win (length 2 hop)
 * scaled frames (frame F = frame F-1), silent where f_k(t) >= nyquist.
 */
export function ddspHarmonicRef(f0: ArrayLike<number>, hn: ArrayLike<number>, harm: ArrayLike<number>, win: ArrayLike<number>, c: HarmonicConsts): Float32Array {
  const F = f0.length, H = hn.length, hop = c.hop, N = F * hop;
  const out = new Float64Array(N);
  for (let k = 0; k < H; k++) {
    let phase = 0;
    for (let t = 0; t < N; t++) {
      const j = Math.floor(t / hop), j1 = Math.min(j + 1, F - 1), u = (t % hop) / hop;
      const f = f0[j] * hn[k] + (f0[j1] * hn[k] - f0[j] * hn[k]) * u;
      phase += f * c.omegaScale;
      if (f >= c.nyquist) continue;
      const a = harm[j * H + k] * win[(t % hop) + hop] + harm[j1 * H + k] * win[t % hop];
      out[t] += a * Math.sin(phase);
    }
  }
  return Float32Array.from(out);
}

/**
 * Filtered noise: per frame j, the impulse response ir_j = roll(nwin * zp_j, I/2), the noise
 * frame e_j = uni[j hop .. j hop + hop) * scale + min, their full convolution overlap-added at
 * j * hop, the first `crop` samples dropped; plus `harmonic`.
 */
export function ddspFilteredNoiseRef(uni: ArrayLike<number>, zp: ArrayLike<number>, nwin: ArrayLike<number>, harmonic: ArrayLike<number>, c: NoiseConsts, I: number): Float32Array {
  const N = harmonic.length, hop = c.hop, F = N / hop;
  const acc = new Float64Array(N + hop + I);
  for (let j = 0; j < F; j++) {
    const ir = Array.from({ length: I }, (_, n) => { const m = (n + I / 2) % I; return nwin[m] * zp[j * I + m]; });
    for (let m = 0; m < hop; m++) {
      const e = uni[j * hop + m] * c.noiseScale + c.noiseMin;
      for (let n = 0; n < I; n++) acc[j * hop + m + n] += e * ir[n];
    }
  }
  return Float32Array.from({ length: N }, (_, t) => harmonic[t] + acc[t + c.crop]);
}
