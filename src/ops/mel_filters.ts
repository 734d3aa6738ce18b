/**
 * Host-side mel matrices for the mel family, float64 maths rounded to f32 at the end:
 * librosa's mel scale and filterbank (librosa.filters.mel, 0.10: Slaney or HTK scale, Slaney
 * area normalisation) and the mel -> linear maps (pseudo-inverse, transpose, GANSynth's
 * normalised transpose). Layout: filterbank [nMels, nFft/2 + 1] (librosa's), mel -> linear
 * [nFft/2 + 1, nMels].
 */
import { WaveGpuError } from '../runtime/errors.js';

export interface MelBankOptions {
  sr: number;
  nFft: number;
  /** Default 128 (librosa). */
  nMels?: number;
  /** Default 0 Hz. */
  fmin?: number;
  /** Default sr / 2. */
  fmax?: number;
  /** HTK mel scale (2595 log10(1 + f/700)) instead of Slaney's; default false. */
  htk?: boolean;
  /** 'slaney' (default): each filter scaled to unit area in Hz (2 / bandwidth); null: peak 1. */
  norm?: 'slaney' | null;
}

const F_SP = 200 / 3;                 // Slaney: linear part, Hz per mel below 1 kHz
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP; // 15
const LOGSTEP = Math.log(6.4) / 27;    // log-spaced part above 1 kHz

export function hzToMel(f: number, htk = false): number {
  if (htk) return 2595 * Math.log10(1 + f / 700);
  return f >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOGSTEP : f / F_SP;
}

export function melToHz(m: number, htk = false): number {
  if (htk) return 700 * (10 ** (m / 2595) - 1);
  return m >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (m - MIN_LOG_MEL)) : F_SP * m;
}

/** n frequencies (Hz) evenly spaced on the mel scale from fmin to fmax (librosa.mel_frequencies). */
export function melFrequencies(n: number, fmin: number, fmax: number, htk = false): Float64Array {
  const lo = hzToMel(fmin, htk), hi = hzToMel(fmax, htk);
  return Float64Array.from({ length: n }, (_, i) => melToHz(n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1), htk));
}

export function resolveMelBank(o: MelBankOptions): Required<MelBankOptions> {
  const r = { sr: o.sr, nFft: o.nFft, nMels: o.nMels ?? 128, fmin: o.fmin ?? 0, fmax: o.fmax ?? o.sr / 2, htk: o.htk ?? false, norm: o.norm === undefined ? 'slaney' as const : o.norm };
  if (!(r.sr > 0)) throw new WaveGpuError('mel', `sample rate ${r.sr} must be positive`);
  if (!Number.isInteger(r.nMels) || r.nMels < 1) throw new WaveGpuError('mel', `nMels ${r.nMels} must be a positive integer`);
  if (!Number.isInteger(r.nFft) || r.nFft < 2) throw new WaveGpuError('mel', `nFft ${r.nFft} must be an integer >= 2`);
  if (!(r.fmin >= 0 && r.fmin < r.fmax)) throw new WaveGpuError('mel', `need 0 <= fmin < fmax, got fmin ${r.fmin}, fmax ${r.fmax}`);
  if (r.norm !== null && r.norm !== 'slaney') throw new WaveGpuError('mel', `norm '${r.norm}' is not supported; use 'slaney' or null`);
  return r;
}

/**
 * The mel filterbank [nMels, nFft/2 + 1] (librosa.filters.mel): triangle i rises from mel
 * point i to i+1 and falls to i+2 (nMels + 2 points evenly spaced in mel), evaluated at the
 * FFT bin frequencies k sr / nFft; Slaney norm scales it by 2 / (f_{i+2} - f_i).
 */
export function melFilterbank(opts: MelBankOptions): Float32Array {
  const o = resolveMelBank(opts);
  const bins = Math.floor(o.nFft / 2) + 1;
  const pts = melFrequencies(o.nMels + 2, o.fmin, o.fmax, o.htk);
  const w = new Float32Array(o.nMels * bins);
  for (let i = 0; i < o.nMels; i++) {
    const [f0, f1, f2] = [pts[i], pts[i + 1], pts[i + 2]];
    const enorm = o.norm === 'slaney' ? 2 / (f2 - f0) : 1;
    for (let k = 0; k < bins; k++) {
      const fk = (k * o.sr) / o.nFft;
      const v = Math.max(0, Math.min((fk - f0) / (f1 - f0), (f2 - fk) / (f2 - f1)));
      w[i * bins + k] = v * enorm;
    }
  }
  return w;
}

/** Row supports [lo, hi) of a [rows, cols] matrix's nonzeros, as u32 pairs [rows, 2]. */
export function bandRanges(w: ArrayLike<number>, rows: number, cols: number): Uint32Array {
  const r = new Uint32Array(2 * rows);
  for (let i = 0; i < rows; i++) {
    let lo = cols, hi = 0;
    for (let c = 0; c < cols; c++) if (w[i * cols + c] !== 0) { lo = Math.min(lo, c); hi = c + 1; }
    r[2 * i] = lo < hi ? lo : 0;
    r[2 * i + 1] = hi;
  }
  return r;
}

/** Eigen-decomposition of a symmetric n x n matrix (cyclic Jacobi): A = V diag(d) V^T. */
function symmetricEigen(a: Float64Array, n: number): { d: Float64Array; v: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0, diag = 0;
    for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) (p === q ? (diag += a[p * n + q] ** 2) : (off += a[p * n + q] ** 2));
    if (off <= 1e-30 * diag) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) { // A <- A J (columns p, q), V <- V J
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq; a[k * n + q] = s * akp + c * akq;
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq; v[k * n + q] = s * vkp + c * vkq;
        }
        for (let k = 0; k < n; k++) { // A <- J^T A (rows p, q)
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk; a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return { d: Float64Array.from({ length: n }, (_, i) => a[i * n + i]), v };
}

/**
 * Moore-Penrose pseudo-inverse [cols, rows] of W [rows, cols] with rows <= cols, as
 * W^T (W W^T)^+. Squaring the matrix leaves float64 noise of ~n eps lambda_max on the
 * eigenvalues of a rank-deficient W (mel banks with more filters than low bins have exactly
 * dependent rows), so eigenvalues below 1e-12 of the largest (singular values below 1e-6 of the
 * largest) count as zero; numpy's pinv cuts singular values at 1e-15 of the largest. The two
 * agree unless W has singular values between those cuts.
 */
export function pseudoInverse(w: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const g = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += w[i * cols + c] * w[j * cols + c];
    g[i * rows + j] = s;
  }
  const { d, v } = symmetricEigen(g, rows);
  const cut = 1e-12 * Math.max(...d);
  const ginv = new Float64Array(rows * rows);
  for (let k = 0; k < rows; k++) {
    if (!(d[k] > cut)) continue;
    for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) ginv[i * rows + j] += (v[i * rows + k] * v[j * rows + k]) / d[k];
  }
  const out = new Float64Array(cols * rows);
  for (let c = 0; c < cols; c++) for (let j = 0; j < rows; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) s += w[i * cols + c] * ginv[i * rows + j];
    out[c * rows + j] = s;
  }
  return out;
}

/**
 * How mel -> linear maps a mel spectrogram back to bins:
 * 'pinv': numpy.linalg.pinv(fb) (least squares; may go negative),
 * 'transpose': fb^T,
 * 'gansynth': fb^T with row k scaled by 1 / sum_j (fb^T fb)[j, k] (GANSynth's
 *   spectral_ops.mel_to_linear_matrix; sums below 1e-8 are left as they are).
 */
export type MelInverse = 'pinv' | 'transpose' | 'gansynth';

/** The mel -> linear matrix [bins, nMels] of a filterbank fb [nMels, bins]. */
export function melToLinearMatrix(fb: ArrayLike<number>, nMels: number, bins: number, mode: MelInverse): Float32Array {
  if (mode === 'pinv') return Float32Array.from(pseudoInverse(fb, nMels, bins));
  const out = new Float32Array(bins * nMels);
  const colSum = new Float64Array(nMels);
  for (let m = 0; m < nMels; m++) for (let k = 0; k < bins; k++) colSum[m] += fb[m * bins + k];
  for (let k = 0; k < bins; k++) {
    let d = 1;
    if (mode === 'gansynth') {
      // sum_j (fb^T fb)[j, k] = sum_m colSum[m] fb[m, k]
      let s = 0;
      for (let m = 0; m < nMels; m++) s += colSum[m] * fb[m * bins + k];
      d = Math.abs(s) > 1e-8 ? 1 / s : s;
    } else if (mode !== 'transpose') {
      throw new WaveGpuError('melToLinear', `mode '${mode}' is not 'pinv', 'transpose' or 'gansynth'`);
    }
    for (let m = 0; m < nMels; m++) out[k * nMels + m] = fb[m * bins + k] * d;
  }
  return out;
}
