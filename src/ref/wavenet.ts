/**
 * CPU reference of a WaveNet forward pass, from the definitions (float64 accumulation; the gated
 * layers through src/ref/gate.ts). No GPU imports. (Generation draws: src/ref/softmax_sample.ts.)
 *
 *   h_0 = start(x)                       scalar: W[:, 0] * x + b;  one-hot: W[:, q(x)] + b
 *   h_{l+1}, s_l = gate_l(h_l)           valid dilated layers; skip = sum_l s_l (end-aligned)
 *   logits = W2 relu(W1 relu(skip) + b1) + b2      (or W relu(skip) + b: one-layer head)
 */
import { gateRef, type RefArray } from './gate.js';

export interface WaveNetRefConfig {
  dilations: number[];
  input: 'scalar' | 'onehot';
  classes: number;
  localChannels?: number;
  globalChannels?: number;
}

type SD = Map<string, RefArray>;

/** The class of a companded value v (bins = linspace(-1, 1, C)). */
export function classOfRef(v: number, classes: number): number {
  return Math.min(classes - 1, Math.max(0, Math.round((Math.max(-1, Math.min(1, v)) + 1) * 0.5 * (classes - 1))));
}

function conv1x1(w: RefArray, b: RefArray | undefined, x: Float64Array | Float32Array, cin: number, t: number, relu: boolean): Float64Array {
  const cout = w.shape[0];
  const y = new Float64Array(cout * t);
  for (let o = 0; o < cout; o++) {
    for (let j = 0; j < t; j++) {
      let acc = b ? b.data[o] : 0;
      for (let i = 0; i < cin; i++) { const v = x[i * t + j]; acc += w.data[o * cin + i] * (relu ? Math.max(v, 0) : v); }
      y[o * t + j] = acc;
    }
  }
  return y;
}

function layerParts(sd: SD, i: number, cl: number, cg: number) {
  const get = (n: string) => sd.get(n);
  const fused = sd.has(`dilated_convs.${i}.weight`);
  const stack = (a: RefArray, b: RefArray): RefArray => ({ data: [...Array.from(a.data), ...Array.from(b.data)], shape: [a.shape[0] + b.shape[0], ...a.shape.slice(1)] });
  const wd = fused ? get(`dilated_convs.${i}.weight`)! : stack(get(`filter_convs.${i}.weight`)!, get(`gate_convs.${i}.weight`)!);
  const fb = get(`filter_convs.${i}.bias`), gb = get(`gate_convs.${i}.bias`);
  const bd = fused ? get(`dilated_convs.${i}.bias`) : fb && gb ? stack(fb, gb) : undefined;
  let wc: RefArray | undefined;
  if (cl || cg) {
    const m = wd.shape[0], lw = get(`cond_convs.${i}.weight`), gw = get(`gcond_convs.${i}.weight`);
    const data = new Float64Array(m * (cl + cg));
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < cl; c++) data[r * (cl + cg) + c] = lw!.data[r * cl + c];
      for (let c = 0; c < cg; c++) data[r * (cl + cg) + cl + c] = gw!.data[r * cg + c];
    }
    wc = { data, shape: [m, cl + cg] };
  }
  return { wd, bd, wc, wr: get(`residual_convs.${i}.weight`), br: get(`residual_convs.${i}.bias`), ws: get(`skip_convs.${i}.weight`), bs: get(`skip_convs.${i}.bias`) };
}

/**
 * Logits [C, T - RF + 1] for one stream. `local` [Cl, T] is aligned with the input samples,
 * `global` [Cg].
 */
export function wavenetRef(sd: SD, cfg: WaveNetRefConfig, x: ArrayLike<number>, local?: ArrayLike<number>, global?: ArrayLike<number>): Float64Array {
  const T = x.length, cl = cfg.localChannels ?? 0, cg = cfg.globalChannels ?? 0;
  const sw = sd.get('start_conv.weight')!, sb = sd.get('start_conv.bias');
  const R = sw.shape[0];
  let h = new Float64Array(R * T);
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < T; j++) {
      const w = cfg.input === 'onehot' ? sw.data[r * cfg.classes + classOfRef(x[j], cfg.classes)] : sw.data[r] * x[j];
      h[r * T + j] = w + (sb ? sb.data[r] : 0);
    }
  }
  let len = T;
  let skip: Float64Array | null = null;
  cfg.dilations.forEach((dil, i) => {
    const p = layerParts(sd, i, cl, cg);
    const n = len - (p.wd.shape[2] - 1) * dil;
    let cond: RefArray | undefined;
    if (cl || cg) {
      const data = new Float64Array((cl + cg) * n);
      for (let j = 0; j < n; j++) {
        for (let c = 0; c < cl; c++) data[c * n + j] = local![c * T + (T - n) + j];
        for (let c = 0; c < cg; c++) data[(cl + c) * n + j] = global![c];
      }
      cond = { data, shape: [1, cl + cg, n] };
    }
    const out = gateRef(h, [1, R, len], { ...p, gated: true, skip: 'conv', wr: p.wr ?? { data: new Float64Array(R * (p.wd.shape[0] / 2)), shape: [R, p.wd.shape[0] / 2] } }, dil, cond);
    const S = p.ws!.shape[0];
    if (!skip) skip = new Float64Array(S * n);
    const prev: Float64Array = skip;
    const prevLen = prev.length / S;
    skip = new Float64Array(S * n);
    for (let s = 0; s < S; s++) for (let j = 0; j < n; j++) skip[s * n + j] = out.skip![s * n + j] + (i ? prev[s * prevLen + (prevLen - n) + j] : 0);
    h = Float64Array.from(out.y!);
    len = n;
  });
  const S = skip!.length / len;
  if (sd.has('end_conv_2.weight')) {
    const w1 = sd.get('end_conv_1.weight')!;
    const hid = conv1x1(w1, sd.get('end_conv_1.bias'), skip!, S, len, true);
    return conv1x1(sd.get('end_conv_2.weight')!, sd.get('end_conv_2.bias'), hid, w1.shape[0], len, true);
  }
  return conv1x1(sd.get('end_conv.weight')!, sd.get('end_conv.bias'), skip!, S, len, true);
}
