/**
 * CPU references for 2-D convolution and transposed convolution (NCHW), written from the
 * definitions with float64 accumulation and rounded to f32 at the end. No GPU imports.
 * conv2dRef gathers each output from its receptive field; convTranspose2dRef scatters each
 * input value into the outputs it touches (the definition of the transposed convolution), so it
 * shares no index algebra with the GPU kernel, which gathers.
 */
export interface Conv2dRefParams {
  stride: [number, number];
  /** [top, bottom, left, right] zero padding. */
  padding: [number, number, number, number];
  dilation: [number, number];
  groups: number;
  /** [Cout] */
  bias?: ArrayLike<number>;
}

export interface Ref4d { data: Float32Array; shape: [number, number, number, number] }

/** x: [B, Cin, H, W], w: [Cout, Cin/G, KH, KW] -> [B, Cout, OH, OW] */
export function conv2dRef(x: ArrayLike<number>, xShape: number[], w: ArrayLike<number>, wShape: number[], p: Conv2dRefParams): Ref4d {
  const [B, Cin, H, W] = xShape;
  const [Cout, Cig, KH, KW] = wShape;
  const [sh, sw] = p.stride, [dh, dw] = p.dilation;
  const [pt, pb, pl, pr] = p.padding;
  const OH = Math.floor((H + pt + pb - dh * (KH - 1) - 1) / sh) + 1;
  const OW = Math.floor((W + pl + pr - dw * (KW - 1) - 1) / sw) + 1;
  const Cog = Cout / p.groups;
  const y = new Float32Array(B * Cout * OH * OW);
  for (let b = 0; b < B; b++) {
    for (let co = 0; co < Cout; co++) {
      const g = Math.floor(co / Cog);
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let acc = 0;
          for (let ci = 0; ci < Cig; ci++) {
            const c = g * Cig + ci;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * sh - pt + kh * dh;
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * sw - pl + kw * dw;
                if (iw < 0 || iw >= W) continue;
                acc += x[((b * Cin + c) * H + ih) * W + iw] * w[((co * Cig + ci) * KH + kh) * KW + kw];
              }
            }
          }
          y[((b * Cout + co) * OH + oh) * OW + ow] = acc + (p.bias ? p.bias[co] : 0);
        }
      }
    }
  }
  return { data: y, shape: [B, Cout, OH, OW] };
}

export interface ConvTranspose2dRefParams {
  stride: [number, number];
  /** [ph, pw]: rows/columns cropped from each side of the full output. */
  padding: [number, number];
  outputPadding: [number, number];
  dilation: [number, number];
  groups: number;
  bias?: ArrayLike<number>;
}

/** x: [B, Cin, H, W], w: [Cin, Cout/G, KH, KW] -> [B, Cout, OH, OW] */
export function convTranspose2dRef(x: ArrayLike<number>, xShape: number[], w: ArrayLike<number>, wShape: number[], p: ConvTranspose2dRefParams): Ref4d {
  const [B, Cin, H, W] = xShape;
  const [, Cog, KH, KW] = wShape;
  const [sh, sw] = p.stride, [dh, dw] = p.dilation, [ph, pw] = p.padding;
  const Cout = Cog * p.groups, Cig = Cin / p.groups;
  const OH = (H - 1) * sh - 2 * ph + dh * (KH - 1) + p.outputPadding[0] + 1;
  const OW = (W - 1) * sw - 2 * pw + dw * (KW - 1) + p.outputPadding[1] + 1;
  const acc = new Float64Array(B * Cout * OH * OW);
  for (let b = 0; b < B; b++) {
    for (let ci = 0; ci < Cin; ci++) {
      const g = Math.floor(ci / Cig);
      for (let ih = 0; ih < H; ih++) {
        for (let iw = 0; iw < W; iw++) {
          const v = x[((b * Cin + ci) * H + ih) * W + iw];
          for (let col = 0; col < Cog; col++) {
            const out = (b * Cout + g * Cog + col) * OH;
            for (let kh = 0; kh < KH; kh++) {
              const oh = ih * sh - ph + kh * dh;
              if (oh < 0 || oh >= OH) continue;
              for (let kw = 0; kw < KW; kw++) {
                const ow = iw * sw - pw + kw * dw;
                if (ow < 0 || ow >= OW) continue;
                acc[(out + oh) * OW + ow] += v * w[((ci * Cog + col) * KH + kh) * KW + kw];
              }
            }
          }
        }
      }
    }
  }
  const y = new Float32Array(acc.length);
  const plane = OH * OW;
  for (let i = 0; i < y.length; i++) y[i] = acc[i] + (p.bias ? p.bias[Math.floor(i / plane) % Cout] : 0);
  return { data: y, shape: [B, Cout, OH, OW] };
}
