/**
 * Ops on kernels/wavenet.wgsl (pointwise 1x1 conv, one-hot embedding) and
 * kernels/wavenet_gen.wgsl (one generation step: embed, head, commit of the drawn class). The gated layers
 * themselves are src/ops/gate.ts. Parameters are packed with Packer: transposed, padded to vec4.
 */
import { grid } from '../../runtime/gpu.js';
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import type { HostTensor, RingView } from '../../ops/gate.js';

export const NONE = 0xffffffff;
const WG = 64;
const up4 = (n: number) => Math.ceil(n / 4) * 4;

/** Appends segments (each padded to a multiple of 4 floats) and hands out vec4 offsets. */
export class Packer {
  private chunks: Float32Array[] = [];
  private size = 0;
  add(a: Float32Array | null | undefined): number {
    if (!a || !a.length) return NONE;
    const padded = a.length % 4 ? new Float32Array(up4(a.length)) : a;
    if (padded !== a) padded.set(a);
    this.chunks.push(padded);
    this.size += padded.length;
    return (this.size - padded.length) / 4;
  }
  data(): Float32Array {
    const out = new Float32Array(Math.max(4, this.size));
    let at = 0;
    for (const c of this.chunks) { out.set(c, at); at += c.length; }
    return out;
  }
}

/** A 1x1 conv [Cout, Cin] packed as W^T [Cin][Coutp] (+ bias [Coutp]). */
export interface PointwiseLayout { cin: number; cout: number; coutp: number; o_w: number; o_b: number }

export function packPointwise(p: Packer, w: HostTensor, b?: HostTensor, scale = 1): PointwiseLayout {
  const s = w.shape;
  if (!(s.length === 2 || (s.length === 3 && s[2] === 1))) throw new WaveGpuError('pointwise', `1x1 conv weight must be [Cout, Cin] or [Cout, Cin, 1], got ${fmtShape(s)}`);
  const [cout, cin] = s;
  if (b && (b.shape.length !== 1 || b.shape[0] !== cout)) throw new WaveGpuError('pointwise', `bias ${fmtShape(b.shape)} does not match weight ${fmtShape(s)}; expected [${cout}]`);
  const coutp = up4(cout);
  const wt = new Float32Array(cin * coutp);
  for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) wt[i * coutp + o] = w.data[o * cin + i] * scale;
  const bias = b ? Float32Array.from(b.data, (v) => v * scale) : null;
  return { cin, cout, coutp, o_w: p.add(wt), o_b: p.add(bias) };
}

export interface PointwiseOptions {
  relu?: boolean;       // relu on the input
  accumulate?: boolean; // y += ... instead of y = ...
  y?: RingView;         // output ring [B, Cout, L] (allocated [B, Cout, n] when absent)
  n?: number;           // steps (default: the input's time length)
}

/** y = W f(x) + b over x (a [B, Cin, T] tensor or a ring of it). */
export function pointwise(x: Tensor | RingView, w: Tensor, l: PointwiseLayout, opts: PointwiseOptions = {}): Tensor {
  const xr: RingView = 'start' in x ? x : { t: x, start: 0 };
  const xs = xr.t.shape;
  if (xr.t.rank !== 3 || xs[1] !== l.cin) throw new WaveGpuError('pointwise', `x is ${fmtShape(xs)}, expected [B, ${l.cin}, T]`);
  const b = xs[0], n = opts.n ?? xs[2];
  if (n > xs[2]) throw new WaveGpuError('pointwise', `${n} steps requested from an input of ${xs[2]}`);
  const y = opts.y ?? { t: xr.t.gpu.empty([b, l.cout, n], 'f32', 'pointwise'), start: 0 };
  const ys = y.t.shape;
  if (y.t.rank !== 3 || ys[0] !== b || ys[1] !== l.cout || ys[2] < n) throw new WaveGpuError('pointwise', `y is ${fmtShape(ys)}, expected [${b}, ${l.cout}, >= ${n}]`);
  const threads = b * (l.coutp / 4) * Math.ceil(n / 4);
  if (threads) {
    xr.t.gpu.dispatch({
      op: 'pointwise', kernel: 'wavenet', entry: 'pointwise', overrides: { WG },
      uniforms: { params: {
        batch: b, cin: l.cin, cout: l.cout, coutp: l.coutp, t_out: n, relu_in: opts.relu ? 1 : 0, acc: opts.accumulate ? 1 : 0,
        x_len: xs[2], x_start: xr.start, y_len: ys[2], y_start: y.start, o_w: l.o_w, o_b: l.o_b, _p0: 0, _p1: 0, _p2: 0,
      } },
      buffers: { x: xr.t, w, y: y.t },
      workgroups: grid(threads, WG),
    });
  }
  return y.t;
}

/** One-hot start conv: x [B, T] companded values -> [B, R, T] = columns of W (+ bias). */
export function embedOneHot(x: Tensor, w: Tensor, l: PointwiseLayout): Tensor {
  if (x.rank !== 2) throw new WaveGpuError('embed', `x is ${fmtShape(x.shape)}, expected [B, T]`);
  const [b, t] = x.shape;
  const y = x.gpu.empty([b, l.cout, t], 'f32', 'embed');
  x.gpu.dispatch({
    op: 'embed', kernel: 'wavenet', entry: 'embed', overrides: { WG },
    uniforms: { eparams: { batch: b, classes: l.cin, r: l.cout, rp: l.coutp, t_out: t, x_len: t, y_len: t, o_w: l.o_w, o_b: l.o_b, _p0: 0, _p1: 0, _p2: 0 } },
    buffers: { ex: x, ew: w, ey: y },
    workgroups: grid(b * (l.coutp / 4) * t, WG),
  });
  return y;
}

// ---- generation steps (kernels/wavenet_gen.wgsl) ---------------------------------------------------

export interface GenBuffers {
  state: Tensor<'u32'>;   // [1]: step counter
  codes: Tensor<'u32'>;   // [B, N] classes
}

/** h0 [B, R] = start conv of codes[:, state[0]]. */
export function genEmbed(g: GenBuffers, w: Tensor, l: PointwiseLayout, onehot: boolean, classes: number, h0: Tensor): void {
  const [b, total] = g.codes.shape;
  g.state.gpu.dispatch({
    op: 'gen_embed', kernel: 'wavenet_gen', entry: 'gen_embed', overrides: { WG },
    uniforms: { eparams: { batch: b, r: l.cout, rp: l.coutp, classes, onehot: onehot ? 1 : 0, total, o_w: l.o_w, o_b: l.o_b } },
    buffers: { state: g.state, codes: g.codes, gw: w, h0 },
    workgroups: grid(b * l.cout, WG),
  });
}

export interface HeadLayout { l1: PointwiseLayout; l2: PointwiseLayout | null }

/** logits [B, C] = head(relu(skip [B, S])) for one step. */
export function headLogits(skip: Tensor, w: Tensor, head: HeadLayout, logits: Tensor): void {
  const b = skip.shape[0];
  const last = head.l2 ?? head.l1;
  const e = head.l2 ? head.l1.cout : 0;
  if (head.l1.cin + e > 512) throw new WaveGpuError('wavenet_head', `skip + hidden channels ${head.l1.cin + e} exceed the step kernel's 512`);
  skip.gpu.dispatch({
    op: 'wavenet_head', kernel: 'wavenet_gen', entry: 'head', overrides: { WG },
    uniforms: { hparams: {
      batch: b, s: head.l1.cin, e, classes: last.cout, ep: head.l2 ? head.l1.coutp : 0, cp: last.coutp,
      o_w1: head.l2 ? head.l1.o_w : NONE, o_b1: head.l2 ? head.l1.o_b : NONE, o_w2: last.o_w, o_b2: last.o_b, _p0: 0, _p1: 0,
    } },
    buffers: { gw: w, skip, logits },
    workgroups: grid(b, 1),
  });
}

/**
 * codes[:, t+1] = idx (a sample() draw) once t + 1 >= prime; with `values` also
 * values[:, vOff + t + 1] = bins[idx] (the full-recompute path's input sequence).
 */
export function commit(g: GenBuffers, idx: Tensor, prime: number, classes: number, values?: { t: Tensor; off: number }): void {
  const [b, total] = g.codes.shape;
  const gpu = g.state.gpu;
  const out = values?.t ?? gpu.empty([1], 'f32', 'commit');   // unused stand-in (owned by the caller's scope or recording)
  gpu.dispatch({
    op: 'commit', kernel: 'wavenet_gen', entry: 'commit', overrides: { WG },
    uniforms: { cparams: { batch: b, total, prime, classes, v_len: values ? values.t.shape[1] : 1, v_off: values?.off ?? 0, values_out: values ? 1 : 0, _p0: 0 } },
    buffers: { state: g.state, codes: g.codes, idx, values: out },
    workgroups: grid(b, WG),
  });
}
