/**
 * The generation-step ops (src/ops/nsynth_step.ts) one at a time against the float64 references,
 * on awkward sizes: 3 streams, 12 residual channels (3 quads), kernel 3 with dilation 5 over 17
 * steps (the queue wraps), conditioning at a channel offset, plain and split entries.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { assertClose, assertThrows, randn } from './util/check.js';
import type { Tensor } from '../src/runtime/tensor.js';
import { advanceCounter, createCounter } from '../src/ops/softmax_sample.js';
import { denseStep, dilStep, mixStep, packConv, packMix, type StepState } from '../src/ops/nsynth_step.js';
import { convRef, gateCondRef } from '../src/ref/nsynth.js';

const t = suite('nsynth_step');
const B = 3, R = 12, K = 3, DIL = 5, T = 17, F = 4, HOP = 5, CT = 40, OFF = 8;
// f32 sums of <= 36 products of values below 1 against float64.
const TOL = { atol: 2e-6, rtol: 2e-6 };

const host = (data: Float32Array, shape: number[]) => ({ data, shape });

for (const split of [1, 2, 8]) {
  t(`dilStep over ${T} steps = causal dilated conv + cond + gate (split ${split})`, async () => {
    const gpu = await getGpu();
    const wd = host(randn(2 * R * R * K, 1, -0.5, 0.5), [2 * R, R, K]), bd = host(randn(2 * R, 2), [2 * R]);
    const xs = randn(T * B * R, 3), cond = randn(B * F * CT, 4);
    const w = packConv(gpu, 'dil', wd, bd);
    const g: StepState = { state: createCounter(gpu, 0), codes: gpu.zeros([B, 1], 'u32') };
    const h = gpu.empty([B, R]), act = gpu.empty([B, R]), out = gpu.empty([T, B, R]);
    const queue = gpu.zeros([B, (K - 1) * DIL + 1, R]), c = gpu.tensor(cond, [B, F, CT]);
    for (let s = 0; s < T; s++) {
      gpu.write(h, xs.subarray(s * B * R, (s + 1) * B * R));
      dilStep(g, h, w, act, { dilation: DIL, queue, cond: { c, offset: OFF, hop: HOP }, split });
      gpu.copy(act, out, 0, s * B * R);
      advanceCounter(g.state);
    }
    const got = await out.read();
    for (let b = 0; b < B; b++) {
      const x = Array.from({ length: R }, (_, r) => Float64Array.from({ length: T }, (_, s) => xs[(s * B + b) * R + r]));
      const cup = Array.from({ length: 2 * R }, (_, i) => Float64Array.from({ length: T }, (_, s) => cond[(b * F + Math.min(Math.floor(s / HOP), F - 1)) * CT + OFF + i]));
      const a = gateCondRef(convRef({ w: wd, b: bd }, x, DIL, (K - 1) * DIL), cup);
      const mine = Float32Array.from({ length: R * T }, (_, i) => got[(i % T) * B * R + b * R + Math.floor(i / T)]);
      assertClose(mine, Float32Array.from(a.flatMap((r) => Array.from(r))), TOL, `stream ${b}`);
    }
    for (const x of [g.state, g.codes, h, act, out, queue, c, w.w, w.b]) x.dispose();
  });
}

function matvec(w: Float32Array, rows: number, cols: number, x: ArrayLike<number>, b: Float32Array): Float64Array {
  return Float64Array.from({ length: rows }, (_, o) => { let s = b[o]; for (let i = 0; i < cols; i++) s += w[o * cols + i] * x[i]; return s; });
}

for (const split of [1, 8]) {
  t(`mixStep and denseStep = matrix-vector references (split ${split})`, async () => {
    const gpu = await getGpu();
    const D = 12, S = 8, O = 20;
    const wr = randn(R * D, 5), br = randn(R, 6), ws = randn(S * D, 7), bs = randn(S, 8);
    const x = randn(B * D, 9), hIn = randn(B * R, 10), skip0 = randn(B * S, 11);
    const mix = packMix(gpu, host(wr, [R, D, 1]), host(br, [R]), host(ws, [S, D, 1]), host(bs, [S]));
    const xt = gpu.tensor(x, [B, D]), hi = gpu.tensor(hIn, [B, R]), ho = gpu.empty([B, R]), sk = gpu.tensor(skip0, [B, S]);
    mixStep(xt, mix, { hIn: hi, hOut: ho, skip: sk, skipInit: false, residual: R, split });
    const wo = randn(O * D, 12), bo = randn(O, 13), cond = randn(B * F * CT, 14);
    const dense = packConv(gpu, 'head', host(wo, [O, D, 1]), host(bo, [O]));
    const g: StepState = { state: createCounter(gpu, 7), codes: gpu.zeros([B, 1], 'u32') };
    const y = gpu.empty([B, O]), c = gpu.tensor(cond, [B, F, CT]);
    denseStep(g, xt, dense, y, { preRelu: true, postRelu: true, cond: { c, offset: OFF, hop: HOP }, split });
    const [hv, sv, yv] = [await ho.read(), await sk.read(), await y.read()];
    for (let b = 0; b < B; b++) {
      const xb = x.subarray(b * D, (b + 1) * D);
      assertClose(hv.subarray(b * R, (b + 1) * R), matvec(wr, R, D, xb, br).map((v, o) => v + hIn[b * R + o]), TOL, `h ${b}`);
      assertClose(sv.subarray(b * S, (b + 1) * S), matvec(ws, S, D, xb, bs).map((v, j) => v + skip0[b * S + j]), TOL, `skip ${b}`);
      const frame = Math.floor(7 / HOP);
      const want = matvec(wo, O, D, Array.from(xb, (v) => Math.max(v, 0)), bo).map((v, o) => Math.max(0, v + cond[(b * F + frame) * CT + OFF + o]));
      assertClose(yv.subarray(b * O, (b + 1) * O), want, TOL, `dense ${b}`);
    }
    await assertThrows(() => mixStep(xt, mix, { hIn: hi, skip: sk, skipInit: false, residual: R, split }), /both hIn and hOut/);
    await assertThrows(() => packConv(gpu, 'odd', host(randn(6, 1), [6, 1, 1])), /multiple of 4/);
    assert.ok(true);
    for (const t2 of [xt, hi, ho, sk, y, c, g.state, g.codes, mix.w, mix.b, dense.w, dense.b] as Tensor[]) t2.dispose();
  });
}

t.run();
