/**
 * CPU references for scans along an axis (float64, plain loops, sequential sums):
 *   cumsum                      y[i] = sum_{j<=i} scale * x[j]
 *   unwrap (numpy.unwrap)       dd = diff(p); ddmod = mod(dd + pi, 2 pi) - pi, with +pi kept where
 *                               ddmod = -pi and dd > 0; correction = ddmod - dd, zero where
 *                               |dd| < discont; u = p + cumsum(correction) (u[0] = p[0])
 *   instantaneous frequency     GANSynth: u = unwrap(p); IF = concat(u[:1], diff(u)) / pi
 *   phase from IF               GANSynth: p = cumsum(IF * pi)
 * Shapes are viewed as [outer, n, inner] around `axis`.
 */

export function axisView(shape: readonly number[], axis: number): { outer: number; n: number; inner: number } {
  const ax = axis < 0 ? shape.length + axis : axis;
  if (ax < 0 || ax >= shape.length) throw new RangeError(`axis ${axis} out of range for rank ${shape.length}`);
  const prod = (a: readonly number[]) => a.reduce((p, d) => p * d, 1);
  return { outer: prod(shape.slice(0, ax)), n: shape[ax], inner: prod(shape.slice(ax + 1)) };
}

/** Calls f(indices of one row along the axis) for every row. */
function eachRow(shape: readonly number[], axis: number, f: (idx: (i: number) => number) => void): void {
  const { outer, n, inner } = axisView(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) f((i) => (o * n + i) * inner + j);
  }
}

export function cumsumRef(x: ArrayLike<number>, shape: readonly number[], axis = -1, scale = 1): Float64Array {
  const y = new Float64Array(x.length), n = axisView(shape, axis).n;
  eachRow(shape, axis, (at) => {
    let s = 0;
    for (let i = 0; i < n; i++) { s += scale * x[at(i)]; y[at(i)] = s; }
  });
  return y;
}

/** Floor modulo (numpy.mod: the result takes the divisor's sign). */
const fmod = (a: number, b: number) => a - b * Math.floor(a / b);

export function unwrapRef(p: ArrayLike<number>, shape: readonly number[], axis = -1, discont = Math.PI): Float64Array {
  const u = new Float64Array(p.length), n = axisView(shape, axis).n;
  const disc = Math.max(discont, Math.PI);
  eachRow(shape, axis, (at) => {
    if (n > 0) u[at(0)] = p[at(0)];
    let cum = 0;
    for (let i = 1; i < n; i++) {
      const dd = p[at(i)] - p[at(i - 1)];
      let ddmod = fmod(dd + Math.PI, 2 * Math.PI) - Math.PI;
      if (ddmod === -Math.PI && dd > 0) ddmod = Math.PI;
      const correct = Math.abs(dd) < disc ? 0 : ddmod - dd;
      cum += correct;
      u[at(i)] = p[at(i)] + cum;
    }
  });
  return u;
}

export function instFreqRef(p: ArrayLike<number>, shape: readonly number[], axis = -2): Float64Array {
  const u = unwrapRef(p, shape, axis), f = new Float64Array(p.length), n = axisView(shape, axis).n;
  eachRow(shape, axis, (at) => {
    for (let i = 0; i < n; i++) f[at(i)] = (i === 0 ? u[at(0)] : u[at(i)] - u[at(i - 1)]) / Math.PI;
  });
  return f;
}

export function phaseFromInstFreqRef(f: ArrayLike<number>, shape: readonly number[], axis = -2): Float64Array {
  return cumsumRef(f, shape, axis, Math.PI);
}
