/**
 * Objective stand-ins for listening (copy synthesis checks): how well a vocoded signal follows
 * the recording its mel came from.
 *   melCorrelation       Pearson r of the two log-mel spectrograms (every bin and frame)
 *   frameCorrelation     mean over loud frames of the per-frame spectral-shape correlation
 *   energyCorrelation    Pearson r of the frame energy envelopes (RMS dB)
 *   f0                   YIN on both: frames voiced in both, median |cents| error there,
 *                        share of gross errors (> 50 cents off), voicing agreement
 * Computed on the GPU (stft/mel, yin, rmsDb ops) with one readback per feature.
 */
import type { Gpu } from '../../runtime/gpu.js';
import { yin, rmsDb } from '../../ops/pitch.js';
import { computeMel } from './frontend.js';
import type { MelConfig } from './types.js';

export interface SpeechMetrics {
  frames: number;
  melCorrelation: number;
  frameCorrelation: number;
  energyCorrelation: number;
  f0: { voicedBoth: number; voicedRef: number; medianCentsError: number; grossErrorRate: number; voicingAgreement: number; refMedianHz: number; outMedianHz: number };
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>, idx?: number[]): number {
  const ids = idx ?? Array.from({ length: Math.min(a.length, b.length) }, (_, i) => i);
  let ma = 0, mb = 0;
  for (const i of ids) { ma += a[i]; mb += b[i]; }
  ma /= ids.length; mb /= ids.length;
  let sab = 0, saa = 0, sbb = 0;
  for (const i of ids) { const x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return sab / Math.sqrt(saa * sbb || 1e-30);
}

function median(v: number[]): number {
  if (!v.length) return NaN;
  const s = [...v].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

async function features(gpu: Gpu, x: Float32Array, cfg: MelConfig): Promise<{ mel: Float32Array; frames: number; db: Float32Array; f0: Float32Array; conf: Float32Array }> {
  const [mel, db, f0, conf] = gpu.scope(() => {
    const t = gpu.tensor(x);
    const p = yin(t, { sampleRate: cfg.sampleRate, hop: cfg.hop, win: 1024, fmin: 60, fmax: 500, threshold: 0.15 });
    return [computeMel(t, cfg), rmsDb(t, { hop: cfg.hop, win: cfg.nFft }), p.f0, p.confidence];
  });
  const out = { mel: (await mel.read()) as Float32Array, frames: mel.shape[1], db: (await db.read()) as Float32Array, f0: (await f0.read()) as Float32Array, conf: (await conf.read()) as Float32Array };
  for (const t of [mel, db, f0, conf]) t.dispose();
  return out;
}

/** Compares `output` with `reference` (same rate, aligned at sample 0; the shorter length counts). */
export async function compareSpeech(gpu: Gpu, reference: Float32Array, output: Float32Array, cfg: MelConfig, voicedConfidence = 0.8): Promise<SpeechMetrics> {
  const n = Math.min(reference.length, output.length);
  const r = await features(gpu, reference.subarray(0, n), cfg), o = await features(gpu, output.subarray(0, n), cfg);
  const F = Math.min(r.frames, o.frames), B = cfg.nMels;
  const cells: number[] = [];
  for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) cells.push(b * r.frames + f);
  // The two mels have the same frame count (same length), so cell indices line up.
  const melCorrelation = pearson(r.mel, o.mel, cells);
  const peak = Math.max(...Array.from(r.db.subarray(0, F)));
  const loud = Array.from({ length: F }, (_, f) => f).filter((f) => r.db[f] > peak - 30);
  const frameCorrelation = loud.reduce((s, f) => {
    const a = Array.from({ length: B }, (_, b) => r.mel[b * r.frames + f]), c = Array.from({ length: B }, (_, b) => o.mel[b * o.frames + f]);
    return s + pearson(a, c);
  }, 0) / Math.max(1, loud.length);
  const energyCorrelation = pearson(r.db.subarray(0, F), o.db.subarray(0, F));
  const voiced = (p: typeof r, f: number) => p.conf[f] >= voicedConfidence && p.f0[f] > 0 && r.db[f] > peak - 40;
  const both: number[] = [], cents: number[] = [];
  let agree = 0, refVoiced = 0;
  for (let f = 0; f < F; f++) {
    const vr = voiced(r, f), vo = voiced(o, f);
    if (vr) refVoiced++;
    if (vr === vo) agree++;
    if (vr && vo) { both.push(f); cents.push(Math.abs(1200 * Math.log2(o.f0[f] / r.f0[f]))); }
  }
  return {
    frames: F, melCorrelation, frameCorrelation, energyCorrelation,
    f0: {
      voicedBoth: both.length, voicedRef: refVoiced, medianCentsError: median(cents), grossErrorRate: cents.filter((c) => c > 50).length / Math.max(1, cents.length),
      voicingAgreement: agree / F, refMedianHz: median(both.map((f) => r.f0[f])), outMedianHz: median(both.map((f) => o.f0[f])),
    },
  };
}
