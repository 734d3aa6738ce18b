/**
 * music-translation's 8-bit mu-law (src/utils.py), evaluated in float64 as its training data
 * pipeline does (H5Dataset: int16 / 2^15 as float64):
 *   q = int16(((sign(x) ln(1 + 255|x|) / ln 256) + 1) / 2 * 255)   x clipped to [-1, 1]
 *   inverse: y = 2 (q - 128) / 256, x = sign(y) (256^|y| - 1) / 255
 * Neither scheme of src/ops/mulaw.ts (its 'round' adds 0.5; NSynth's floors 128 y), so the
 * classes are computed here, on the CPU, like the original's numpy preprocessing. Both networks
 * read class q as x = q / 255 - 0.5 (float32, as torch computes it).
 */
const MU = 255;

export function umtMuLaw(x: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(x.length), l = Math.log1p(MU);
  for (let i = 0; i < x.length; i++) {
    const v = Math.min(1, Math.max(-1, Number.isNaN(x[i]) ? 0 : x[i]));
    const y = (Math.sign(v) * Math.log1p(MU * Math.abs(v))) / l;
    out[i] = Math.trunc(((y + 1) / 2) * MU);
  }
  return out;
}

export function umtInvMuLaw(q: ArrayLike<number>): Float32Array {
  return Float32Array.from(q, (c) => {
    const y = (2 * (c - (MU + 1) / 2)) / (MU + 1);
    return (Math.sign(y) / MU) * ((1 + MU) ** Math.abs(y) - 1);
  });
}

/** [256] model input of each class: fround(fround(q / 255) - 0.5), torch's float32 x / 255 - 0.5. */
export function umtInputTable(): Float32Array {
  return Float32Array.from({ length: MU + 1 }, (_, q) => Math.fround(Math.fround(q / MU) - 0.5));
}
