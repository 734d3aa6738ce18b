/**
 * CPU references (float64, plain loops) for the WaveNet autoencoders of src/models/nsynth/ae.ts,
 * written from the models' definitions (magenta h512_bo16 / masked.py, music-translation
 * wavenet.py / wavenet_models.py), one stream at a time. Weights in PyTorch Conv1d layout.
 */
import type { AeDecoderParams, AeEncoderParams, Conv } from '../models/nsynth/ae.js';

type Seq = Float64Array[];   // [channels][time]

function dims(c: Conv): [number, number, number] {
  const s = c.w.shape;
  return [s[0], s[1], s.length === 3 ? s[2] : 1];
}

/**
 * y[o][t] = b[o] + sum_{i,k} w[o, i, k] x[i][t + k*dil - padLeft] (zero outside [0, T)).
 * Causal: padLeft = (K-1) dil; 'same': padLeft = (K-1) dil / 2.
 */
export function convRef(c: Conv, x: Seq, dil: number, padLeft: number): Seq {
  const [cout, cin, k] = dims(c), t = x[0].length;
  const y: Seq = Array.from({ length: cout }, (_, o) => new Float64Array(t).fill(c.b ? c.b.data[o] : 0));
  for (let o = 0; o < cout; o++) {
    const yo = y[o];
    for (let i = 0; i < cin; i++) {
      const xi = x[i];
      for (let j = 0; j < k; j++) {
        const w = c.w.data[(o * cin + i) * k + j], shift = j * dil - padLeft;
        for (let s = Math.max(0, -shift); s < Math.min(t, t - shift); s++) yo[s] += w * xi[s + shift];
      }
    }
  }
  return y;
}

const relu = (x: Seq): Seq => x.map((r) => r.map((v) => Math.max(v, 0)));
const add = (a: Seq, b: Seq): Seq => a.map((r, i) => r.map((v, t) => v + b[i][t]));
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Encoder of one clip: x [T] model input values -> [Z][floor(T / pool)]. */
export function aeEncoderRef(p: AeEncoderParams, spec: { dilations: number[]; preRelu: boolean; pool: number }, x: ArrayLike<number>): Seq {
  const ks = dims(p.start)[2];
  let en = convRef(p.start, [Float64Array.from(x)], 1, (ks - 1) / 2);
  p.layers.forEach((l, i) => {
    const dil = spec.dilations[i], k = dims(l.dil)[2];
    const d = relu(convRef(l.dil, spec.preRelu ? relu(en) : en, dil, (dil * (k - 1)) / 2));
    en = add(en, convRef(l.res, d, 1, 0));
  });
  const z = convRef(p.bottleneck, en, 1, 0);
  const frames = Math.floor(x.length / spec.pool);
  return z.map((r) => Float64Array.from({ length: frames }, (_, f) => {
    let s = 0;
    for (let j = 0; j < spec.pool; j++) s += r[f * spec.pool + j];
    return s / spec.pool;
  }));
}

/** enc [Z][F] through a 1x1 conditioning conv, repeated `hop` times to T samples (last frame held). */
function condUp(c: Conv, enc: Seq, hop: number, t: number): Seq {
  const cf = convRef(c, enc, 1, 0), frames = enc[0].length;
  return cf.map((r) => Float64Array.from({ length: t }, (_, s) => r[Math.min(Math.floor(s / hop), frames - 1)]));
}

/** a = sigmoid(z[:R] + c[:R]) * tanh(z[R:] + c[R:]) (the decoders' gate; c may be null). z: [2R][T] */
export function gateCondRef(z: Seq, c: Seq | null): Seq {
  const r = z.length / 2;
  return Array.from({ length: r }, (_, i) => z[i].map((v, t) => sigmoid(v + (c ? c[i][t] : 0)) * Math.tanh(z[r + i][t] + (c ? c[r + i][t] : 0))));
}

/**
 * Teacher-forced decoder of one clip: x [T] input values (already shifted), enc [Z][F] ->
 * logits [classes][T].
 */
export function aeDecoderRef(p: AeDecoderParams, spec: { dilations: number[]; hop: number }, x: ArrayLike<number>, enc: Seq): Seq {
  const t = x.length, ks = dims(p.start)[2];
  let h = convRef(p.start, [Float64Array.from(x)], 1, ks - 1);
  let s = convRef(p.skipStart, h, 1, 0);
  p.layers.forEach((l, i) => {
    const dil = spec.dilations[i], k = dims(l.dil)[2];
    const a = gateCondRef(convRef(l.dil, h, dil, (k - 1) * dil), condUp(l.cond, enc, spec.hop, t));
    h = add(h, convRef(l.res, a, 1, 0));
    s = add(s, convRef(l.skip, a, 1, 0));
  });
  const e = relu(add(convRef(p.out1, relu(s), 1, 0), condUp(p.condOut, enc, spec.hop, t)));
  return convRef(p.logits, e, 1, 0);
}
