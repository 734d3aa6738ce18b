/**
 * CPU references for resampling and average pooling, written from torch's definitions with
 * float64 arithmetic. The index scale is rounded to f32 exactly where torch keeps it in a float
 * (1/scale_factor, in/out, (in-1)/(out-1)), and the nearest index is the f32 product, so the
 * references pick torch's source indices. No GPU imports.
 */
export type InterpMode = 'nearest' | 'linear';

export interface InterpAxis {
  /** Input and output lengths. */
  n: number;
  out: number;
  /** The scale_factor given for this axis, if any (torch uses 1/scale_factor then). */
  factor?: number;
}

/** Source (index, weight) pairs of each output position along one axis. */
function taps(a: InterpAxis, mode: InterpMode, align: boolean): [number, number][][] {
  const res: [number, number][][] = [];
  const f32 = Math.fround;
  const ratio = f32(a.factor !== undefined ? 1 / a.factor : a.n / a.out);
  for (let o = 0; o < a.out; o++) {
    if (a.out === a.n) { res.push([[o, 1]]); continue; }
    if (mode === 'nearest') {
      const i = a.out === 2 * a.n ? o >> 1 : Math.min(Math.floor(f32(o * ratio)), a.n - 1);
      res.push([[i, 1]]);
      continue;
    }
    const scale = align ? (a.out > 1 ? f32((a.n - 1) / (a.out - 1)) : 0) : ratio;
    const src = align ? scale * o : Math.max(scale * (o + 0.5) - 0.5, 0);
    const i0 = Math.floor(src), i1 = i0 < a.n - 1 ? i0 + 1 : i0;
    const l = src - i0;
    res.push([[i0, 1 - l], [i1, l]]);
  }
  return res;
}

/** x: [planes, H, W] (H = 1 for 1-D) -> [planes, OH, OW]; separable, rows then columns. */
export function interpRef(x: ArrayLike<number>, planes: number, h: InterpAxis, w: InterpAxis, mode: InterpMode, align = false): Float32Array {
  const th = taps(h, mode, align), tw = taps(w, mode, align);
  const y = new Float32Array(planes * h.out * w.out);
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < h.out; oh++) {
      for (let ow = 0; ow < w.out; ow++) {
        let acc = 0;
        for (const [ih, lh] of th[oh]) for (const [iw, lw] of tw[ow]) acc += lh * lw * x[(p * h.n + ih) * w.n + iw];
        y[(p * h.out + oh) * w.out + ow] = acc;
      }
    }
  }
  return y;
}

export interface PoolAxis { n: number; k: number; s: number; p: number }

function poolLength(a: PoolAxis, ceil: boolean): number {
  let out = Math.floor((a.n + 2 * a.p - a.k + (ceil ? a.s - 1 : 0)) / a.s) + 1;
  if (ceil && (out - 1) * a.s >= a.n + a.p) out--;
  return out;
}

/**
 * Average pooling of [planes, H, W]: window [o*s - p, o*s - p + k) cut at the padded edge
 * (in + p) gives the divisor with countIncludePad; cut at the input gives the summed values.
 */
export function avgPoolRef(x: ArrayLike<number>, planes: number, h: PoolAxis, w: PoolAxis, ceil = false, countIncludePad = true): { data: Float32Array; oh: number; ow: number } {
  const oh = poolLength(h, ceil), ow = poolLength(w, ceil);
  const y = new Float32Array(planes * oh * ow);
  const win = (o: number, a: PoolAxis) => {
    const start = o * a.s - a.p, end = Math.min(start + a.k, a.n + a.p);
    return { lo: Math.max(start, 0), hi: Math.min(end, a.n), padded: end - start };
  };
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oh; i++) {
      const r = win(i, h);
      for (let j = 0; j < ow; j++) {
        const c = win(j, w);
        let sum = 0;
        for (let ih = r.lo; ih < r.hi; ih++) for (let iw = c.lo; iw < c.hi; iw++) sum += x[(p * h.n + ih) * w.n + iw];
        const count = countIncludePad ? r.padded * c.padded : (r.hi - r.lo) * (c.hi - c.lo);
        y[(p * oh + i) * ow + j] = sum / count;
      }
    }
  }
  return { data: y, oh, ow };
}
