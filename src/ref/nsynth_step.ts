/**
 * CPU reference of queue-based fast generation for the WaveNet-autoencoder decoders (float64,
 * plain loops), written from magenta's FastGenerationConfig / music-translation's
 * WavenetGenerator: every causal conv keeps its past inputs, so step t only evaluates column t.
 *   x(t)   = table[codes[t]]                       (codes[0] = the first class; x(< 0) = 0)
 *   h      = start conv over x(t - Ks + 1 .. t)
 *   layer  z = bd + sum_k Wd[:, :, k] h_l(t - (K-1-k) dil) + cond_l(frame t / hop)
 *          a = sigmoid(z[:R]) tanh(z[R:]);  h_{l+1} = h_l + Wr a + br;  s += Ws a + bs
 *   logits = Wlog relu(Wo relu(s) + bo + cond_out(frame)) + blog, then codes[t + 1] ~ softmax
 */
import type { AeDecoderParams, Conv } from '../models/nsynth/ae.js';
import { sampleRef } from './softmax_sample.js';

export interface StepRefSpec { dilations: number[]; hop: number; inputTable: ArrayLike<number>; firstClass: number }

function shape(c: Conv): [number, number, number] {
  const s = c.w.shape;
  return [s[0], s[1], s.length === 3 ? s[2] : 1];
}

/** y = b + W[:, :, k] x for one tap k of a [Cout, Cin, K] weight; with y given, y += W[:, :, k] x (no bias). */
function tap(c: Conv, k: number, x: ArrayLike<number>, y?: Float64Array): Float64Array {
  const [cout, cin, kk] = shape(c);
  const out = y ?? Float64Array.from({ length: cout }, (_, o) => (c.b ? c.b.data[o] : 0));
  for (let o = 0; o < cout; o++) {
    let s = 0;
    for (let i = 0; i < cin; i++) s += c.w.data[(o * cin + i) * kk + k] * x[i];
    out[o] += s;
  }
  return out;
}

export class AeDecoderStepRef {
  private hist: number[] = [];
  private queues: Float64Array[][];
  private cond: Float64Array[][] = [];   // [layer + head][frame] -> channels
  private t = 0;

  constructor(private p: AeDecoderParams, private spec: StepRefSpec, enc: Float64Array[] | Float32Array[]) {
    const frames = enc[0].length;
    const col = (f: number) => enc.map((row) => row[f]);
    for (const c of [...p.layers.map((l) => l.cond), p.condOut]) this.cond.push(Array.from({ length: frames }, (_, f) => tap(c, 0, col(f))));
    const r = shape(p.start)[0];
    this.queues = p.layers.map((l, i) => Array.from({ length: (shape(l.dil)[2] - 1) * spec.dilations[i] }, () => new Float64Array(r)));
  }

  /** Logits of the step that reads input class q (and advances). */
  step(q: number): Float64Array {
    const { p, spec } = this, ks = shape(p.start)[2];
    this.hist.push(spec.inputTable[q]);
    const f = Math.min(Math.floor(this.t / spec.hop), this.cond[0].length - 1);
    let h = tap(p.start, ks - 1, [this.hist[this.hist.length - 1]]);
    for (let k = 0; k < ks - 1; k++) {
      const i = this.hist.length - ks + k;
      if (i >= 0) tap(p.start, k, [this.hist[i]], h);
    }
    let s = tap(p.skipStart, 0, h);
    p.layers.forEach((l, li) => {
      const [m, , kk] = shape(l.dil), r = m / 2, dil = spec.dilations[li], q2 = this.queues[li];
      const z = Float64Array.from(this.cond[li][f], (v, o) => v + (l.dil.b ? l.dil.b.data[o] : 0));
      for (let k = 0; k < kk; k++) {
        const back = (kk - 1 - k) * dil;
        tap(l.dil, k, back === 0 ? h : q2[q2.length - back], z);
      }
      const a = Float64Array.from({ length: r }, (_, i) => (1 / (1 + Math.exp(-z[i]))) * Math.tanh(z[r + i]));
      q2.push(h);
      q2.shift();
      const hIn = h;
      h = Float64Array.from(tap(l.res, 0, a), (v, o) => v + hIn[o]);
      s = Float64Array.from(tap(l.skip, 0, a), (v, o) => v + s[o]);
    });
    const e = tap(p.out1, 0, s.map((v) => Math.max(v, 0))).map((v, o) => Math.max(0, v + this.cond[p.layers.length][f][o]));
    this.t++;
    return tap(p.logits, 0, e);
  }

  /** n classes drawn from the first class on, with the seeded draws of sample(); stream as given. */
  generate(n: number, seed: number, temperature: number, stream: number): Int32Array {
    const out = new Int32Array(n);
    let q = this.spec.firstClass;
    for (let i = 0; i < n; i++) {
      const logits = this.step(q);
      q = out[i] = sampleRef(logits, logits.length, temperature, seed, i, stream).index[0];
    }
    return out;
  }
}
