/**
 * PQMF (pseudo-QMF, cosine-modulated) filter bank design, float64 on the CPU. Two published
 * designs, each reproduced from its definition:
 *
 * 'pwg' (Parallel WaveGAN / TensorFlowTTS, Multi-band MelGAN): prototype of taps + 1 points,
 *   h[n] = sin(wc (n - taps/2)) / (pi (n - taps/2)) * kaiser(taps + 1, beta)[n], wc = pi * cutoff,
 *   h[taps/2] = cutoff; analysis  h_k = 2 h cos((2k+1) pi/(2M) (n - taps/2) + (-1)^k pi/4),
 *   synthesis g_k = 2 h cos((2k+1) pi/(2M) (n - taps/2) - (-1)^k pi/4); both padded by taps/2.
 *
 * 'rave' (RAVE, acids-ircam): a Kaiser low-pass whose length and beta follow Kaiser's formulas for
 *   `attenuation` dB with the transition width set to the cutoff (length forced odd), unscaled
 *   windowed sinc; the cutoff wc (rad/sample) minimises max_i |(h * h~)[centre + 2 M i]|, i >= 1
 *   (the Nyquist(2M) condition of near-perfect reconstruction), by Nelder-Mead from wc = 1/M;
 *   filters hk = 2 h cos((2k+1) pi/(2M) t + (-1)^k pi/4), t = -(N-1)/2..(N-1)/2, centred in a
 *   power-of-two length L. Analysis correlates with hk (pad L/2, stride M, last frame dropped)
 *   and negates odd bands at even frames; synthesis undoes the negation and correlates the
 *   zero-inserted bands with hk reversed (pad L/2 - 1).
 */
import { kaiserOrder, kaiserWindow, windowedSinc } from './kaiser.js';

export interface PwgPqmfConfig { kind: 'pwg'; subbands?: number; taps?: number; cutoffRatio?: number; beta?: number }
export interface RavePqmfConfig { kind: 'rave'; bands?: number; attenuation?: number }
export type PqmfConfig = PwgPqmfConfig | RavePqmfConfig;

/** Multi-band MelGAN (TensorFlowTTS / Parallel WaveGAN defaults). */
export const PQMF_MBMELGAN: PwgPqmfConfig = { kind: 'pwg', subbands: 4, taps: 62, cutoffRatio: 0.142, beta: 9.0 };
/** RAVE v1/v2 (configs: n_band 16, attenuation 100). */
export const PQMF_RAVE: RavePqmfConfig = { kind: 'rave', bands: 16, attenuation: 100 };

/**
 * A cosine-modulated bank: filter[k, j] = envelope[j] cos((2k+1) pi/(2M) (j - centre) + sign (-1)^k pi/4).
 * The modulation is anti-periodic in j with period 2M, which the GPU kernels exploit.
 */
export interface CosineBank { envelope: Float64Array; centre: number; sign: 1 | -1 }

export interface PqmfDesign {
  kind: 'pwg' | 'rave';
  /** M */
  bands: number;
  /** L: points per filter. */
  length: number;
  /** The low-pass prototype (unpadded). */
  prototype: Float64Array;
  /** [M, L]: band k at frame n is s_k(n) sum_j analysis[k, j] x[n M + j - padA]. */
  analysis: Float64Array;
  analysisBank: CosineBank;
  /** [M, L]: y[t] = M sum_k sum_j synthesis[k, j] u_k[t + j - padS], u_k the zero-inserted band. */
  synthesis: Float64Array;
  synthesisBank: CosineBank;
  padA: number;
  padS: number;
  /** RAVE's sign pattern: s_k(n) = -1 for odd k at even n (else 1). */
  flipSigns: boolean;
  /** 'pwg': the cutoff ratio; 'rave': the optimised wc in rad/sample. */
  cutoff: number;
  beta: number;
}

/** Frames out of the analysis of T samples: ceil(T / M) for 'pwg', floor(T / M) for 'rave'. */
export function analysisFrames(d: PqmfDesign, T: number): number {
  return d.kind === 'pwg' ? Math.ceil(T / d.bands) : Math.floor(T / d.bands);
}

/** The [M, L] filters of a cosine-modulated bank. */
export function bankFilters(bank: CosineBank, M: number): Float64Array {
  const L = bank.envelope.length, out = new Float64Array(M * L);
  for (let k = 0; k < M; k++) {
    const phase = bank.sign * (k % 2 === 0 ? 1 : -1) * (Math.PI / 4);
    for (let j = 0; j < L; j++) out[k * L + j] = bank.envelope[j] * Math.cos((2 * k + 1) * (Math.PI / (2 * M)) * (j - bank.centre) + phase);
  }
  return out;
}

function designPwg(c: PwgPqmfConfig): PqmfDesign {
  const M = c.subbands ?? 4, taps = c.taps ?? 62, cutoff = c.cutoffRatio ?? 0.142, beta = c.beta ?? 9.0;
  if (!Number.isInteger(M) || M < 1) throw new RangeError(`pqmf: subbands must be a positive integer, got ${M}`);
  if (!Number.isInteger(taps) || taps < 2 || taps % 2 !== 0) throw new RangeError(`pqmf: taps must be a positive even integer, got ${taps}`);
  if (!(cutoff > 0 && cutoff < 1)) throw new RangeError(`pqmf: cutoffRatio must be in (0, 1), got ${cutoff}`);
  const w = kaiserWindow(taps + 1, beta), wc = Math.PI * cutoff, h = new Float64Array(taps + 1);
  for (let n = 0; n <= taps; n++) {
    const m = n - taps / 2;
    h[n] = (m === 0 ? cutoff : Math.sin(wc * m) / (Math.PI * m)) * w[n];
  }
  const envelope = h.map((v) => 2 * v);
  const analysisBank: CosineBank = { envelope, centre: taps / 2, sign: 1 };
  const synthesisBank: CosineBank = { envelope, centre: taps / 2, sign: -1 };
  return {
    kind: 'pwg', bands: M, length: taps + 1, prototype: h,
    analysis: bankFilters(analysisBank, M), analysisBank, synthesis: bankFilters(synthesisBank, M), synthesisBank,
    padA: taps / 2, padS: taps / 2, flipSigns: false, cutoff, beta,
  };
}

/** RAVE's Kaiser low-pass for cutoff wc (rad/sample): Kaiser's length (made odd) and beta. */
export function raveKaiserFilter(wc: number, atten: number): { h: Float64Array; beta: number } {
  const { taps, beta } = kaiserOrder(atten, wc / Math.PI);
  const N = 2 * Math.floor(taps / 2) + 1;
  return { h: windowedSinc(N, wc / Math.PI, kaiserWindow(N, beta)), beta };
}

/** max_i>=1 |g[c + 2 M i]|, g = h correlated with itself, c its centre. */
export function raveLoss(wc: number, atten: number, M: number): number {
  const { h } = raveKaiserFilter(wc, atten);
  let worst = 0;
  for (let s = 2 * M; s < h.length; s += 2 * M) {
    let g = 0;
    for (let i = s; i < h.length; i++) g += h[i] * h[i - s];
    worst = Math.max(worst, Math.abs(g));
  }
  return worst;
}

/**
 * One-dimensional Nelder-Mead with scipy.optimize.fmin's defaults (initial step 5%, reflection 1,
 * expansion 2, contraction 0.5, shrink 0.5, xtol = ftol = 1e-4, at most 200 iterations/calls).
 */
export function nelderMead1d(f: (x: number) => number, x0: number): number {
  let sim = [x0, x0 !== 0 ? 1.05 * x0 : 0.00025];
  let fs = sim.map(f);
  let calls = 2;
  const sort = () => { if (fs[1] < fs[0]) { sim = [sim[1], sim[0]]; fs = [fs[1], fs[0]]; } };
  sort();
  for (let it = 1; calls < 200 && it < 200; it++) {
    if (Math.abs(sim[1] - sim[0]) <= 1e-4 && Math.abs(fs[0] - fs[1]) <= 1e-4) break;
    const xbar = sim[0];
    const xr = 2 * xbar - sim[1], fxr = f(xr); calls++;
    if (fxr < fs[0]) {
      const xe = 3 * xbar - 2 * sim[1], fxe = f(xe); calls++;
      [sim[1], fs[1]] = fxe < fxr ? [xe, fxe] : [xr, fxr];
    } else {
      // (scipy's "fxr < fsim[-2]" reflection-accept branch cannot fire in 1-D: fsim[-2] is fsim[0])
      let shrink = false;
      if (fxr < fs[1]) {
        const xc = 1.5 * xbar - 0.5 * sim[1], fxc = f(xc); calls++;
        if (fxc <= fxr) [sim[1], fs[1]] = [xc, fxc]; else shrink = true;
      } else {
        const xcc = 0.5 * xbar + 0.5 * sim[1], fxcc = f(xcc); calls++;
        if (fxcc < fs[1]) [sim[1], fs[1]] = [xcc, fxcc]; else shrink = true;
      }
      if (shrink) { sim[1] = sim[0] + 0.5 * (sim[1] - sim[0]); fs[1] = f(sim[1]); calls++; }
    }
    sort();
  }
  return sim[0];
}

function designRave(c: RavePqmfConfig): PqmfDesign {
  const M = c.bands ?? 16, atten = c.attenuation ?? 100;
  if (!Number.isInteger(M) || M < 2 || (M & (M - 1)) !== 0) throw new RangeError(`pqmf: RAVE bands must be a power of two >= 2, got ${M}`);
  if (!(atten >= 21)) throw new RangeError(`pqmf: attenuation must be >= 21 dB, got ${atten}`);
  const wc = nelderMead1d((w) => raveLoss(w, atten, M), 1 / M);
  const { h, beta } = raveKaiserFilter(wc, atten);
  const N = h.length, L = 2 ** Math.ceil(Math.log2(N)), left = Math.floor((L - N) / 2);
  // analysis: 2h centred in L (RAVE's center_pad_next_pow_2); synthesis: the same filters reversed,
  // i.e. the reversed envelope with the phase negated (cos is even)
  const envA = new Float64Array(L), envS = new Float64Array(L);
  for (let n = 0; n < N; n++) { envA[left + n] = 2 * h[n]; envS[L - 1 - left - n] = 2 * h[n]; }
  const centre = left + (N - 1) / 2;
  const analysisBank: CosineBank = { envelope: envA, centre, sign: 1 };
  const synthesisBank: CosineBank = { envelope: envS, centre: L - 1 - centre, sign: -1 };
  return {
    kind: 'rave', bands: M, length: L, prototype: h,
    analysis: bankFilters(analysisBank, M), analysisBank, synthesis: bankFilters(synthesisBank, M), synthesisBank,
    padA: L / 2, padS: L / 2 - 1, flipSigns: true, cutoff: wc, beta,
  };
}

export function designPqmf(c: PqmfConfig): PqmfDesign {
  if (c.kind === 'pwg') return designPwg(c);
  if (c.kind === 'rave') return designRave(c);
  throw new RangeError(`pqmf: unknown design kind '${(c as { kind: string }).kind}' (expected 'pwg' or 'rave')`);
}
