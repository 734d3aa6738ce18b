import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { randn, assertClose, loadNpy, assertThrows } from './util/check.js';
import { gate, gateRing, gateStep, gateQueue, gateWeights, type GateParts, type HostTensor } from '../src/ops/gate.js';
import { gateRef } from '../src/ref/gate.js';
import type { Gpu } from '../src/runtime/gpu.js';
import type { Tensor } from '../src/runtime/tensor.js';

const t = suite('gate');

// Tolerances: each output sums R*K + Ccond products (then D for the 1x1s) in f32 against a
// float64 reference, and goes through SwiftShader's exp (tanh, sigmoid: ~1e-6 relative). With
// 64 channels the f32 rounding reaches a few 1e-6 on values of order 1.
const TOL = { atol: 3e-5, rtol: 1e-4 };
// The reference against torch's float32 conv1d: both round differently at the 1e-7 level.
const TOL_FIXTURE = { atol: 2e-6, rtol: 1e-5 };

interface Cfg { B: number; R: number; D: number; S: number; K: number; dil: number; T: number; gated: boolean; skip: 'conv' | 'identity' | 'none'; bias: boolean; cond?: 'local' | 'global'; C?: number; res?: boolean }

const arr = (data: Float32Array, shape: number[]): HostTensor => ({ data, shape });

function makeParts(c: Cfg, seed: number): GateParts {
  const M = c.gated ? 2 * c.D : c.D;
  const sc = 1 / Math.sqrt(c.R * c.K);
  const p: GateParts = { wd: arr(randn(M * c.R * c.K, seed, -sc, sc), [M, c.R, c.K]), gated: c.gated, skip: c.skip };
  if (c.res !== false) p.wr = arr(randn(c.R * c.D, seed + 1, -0.3, 0.3), [c.R, c.D, 1]);
  if (c.skip === 'conv') p.ws = arr(randn(c.S * c.D, seed + 2, -0.3, 0.3), [c.S, c.D, 1]);
  if (c.bias) {
    p.bd = arr(randn(M, seed + 3, -0.2, 0.2), [M]);
    if (p.wr) p.br = arr(randn(c.R, seed + 4, -0.2, 0.2), [c.R]);
    if (c.skip === 'conv') p.bs = arr(randn(c.S, seed + 5, -0.2, 0.2), [c.S]);
  }
  if (c.cond) p.wc = arr(randn(M * c.C!, seed + 6, -0.5, 0.5), [M, c.C!, 1]);
  return p;
}

function sOf(c: Cfg): number { return c.skip === 'conv' ? c.S : c.skip === 'identity' ? c.D : 0; }

const CASES: Cfg[] = [
  { B: 1, R: 1, D: 1, S: 1, K: 2, dil: 1, T: 2, gated: true, skip: 'conv', bias: false },
  { B: 2, R: 3, D: 5, S: 7, K: 2, dil: 4, T: 37, gated: true, skip: 'conv', bias: true },
  { B: 3, R: 64, D: 64, S: 64, K: 2, dil: 16, T: 91, gated: true, skip: 'conv', bias: false },
  { B: 2, R: 3, D: 3, S: 3, K: 3, dil: 7, T: 300, gated: false, skip: 'identity', bias: true, cond: 'local', C: 1 },
  { B: 2, R: 16, D: 16, S: 16, K: 3, dil: 2, T: 133, gated: false, skip: 'identity', bias: true, cond: 'local', C: 1 },
  { B: 3, R: 5, D: 6, S: 2, K: 2, dil: 1, T: 65, gated: true, skip: 'conv', bias: true, cond: 'global', C: 3 },
  { B: 1, R: 4, D: 2, S: 3, K: 4, dil: 3, T: 50, gated: true, skip: 'conv', bias: true, cond: 'local', C: 5, res: false },
  { B: 2, R: 6, D: 4, S: 0, K: 2, dil: 2, T: 23, gated: true, skip: 'none', bias: true },
  // D > 64: the workgroup-tile kernel (main_wide)
  { B: 2, R: 7, D: 81, S: 9, K: 2, dil: 3, T: 45, gated: true, skip: 'conv', bias: true, cond: 'global', C: 2 },
  { B: 1, R: 5, D: 66, S: 66, K: 3, dil: 1, T: 30, gated: false, skip: 'identity', bias: true, cond: 'local', C: 1 },
];

function condData(c: Cfg, n: number, seed: number): { data: Float32Array; shape: number[] } | undefined {
  if (!c.cond) return undefined;
  const shape = c.cond === 'local' ? [c.B, c.C!, n] : [c.B, c.C!];
  return { data: randn(shape.reduce((a, b) => a * b, 1), seed, -1, 1), shape };
}

function name(c: Cfg): string {
  return `B${c.B} R${c.R} D${c.D} S${sOf(c)} K${c.K} dil${c.dil} T${c.T} ${c.gated ? 'gated' : 'tanh'} skip=${c.skip}${c.bias ? ' bias' : ''}${c.cond ? ` ${c.cond}${c.C}` : ''}${c.res === false ? ' no-res' : ''}`;
}

for (const [i, c] of CASES.entries()) {
  t(`gate vs reference: ${name(c)}`, async () => {
    const gpu = await getGpu();
    const parts = makeParts(c, 100 + i * 10);
    const x = randn(c.B * c.R * c.T, 7 + i, -1, 1);
    const n = c.T - (c.K - 1) * c.dil;
    const cond = condData(c, n, 50 + i);
    const ref = gateRef(x, [c.B, c.R, c.T], parts, c.dil, cond);
    const S = sOf(c);
    // The skip buffer is shorter than the output (aligned to its end) and starts non-zero: the
    // layer must accumulate into the last columns only.
    const skipLen = Math.max(1, n - 3);
    const skip0 = randn(c.B * Math.max(S, 1) * skipLen, 99 + i, -1, 1);
    await gpu.scope(async () => {
      const w = gateWeights(gpu, parts);
      const skip = S ? gpu.tensor(skip0, [c.B, S, skipLen]) : undefined;
      const y = gate(gpu.tensor(x, [c.B, c.R, c.T]), w, { dilation: c.dil, skip, cond: cond && gpu.tensor(cond.data, cond.shape) });
      if (ref.y) assertClose(await y!.read(), ref.y, TOL, 'y');
      else assert.is(y, null);
      if (skip) {
        const want = new Float32Array(skip0.length);
        for (let b = 0; b < c.B; b++) for (let s = 0; s < S; s++) for (let j = 0; j < skipLen; j++) {
          const at = (b * S + s) * skipLen + j;
          want[at] = skip0[at] + ref.skip![(b * S + s) * n + (n - skipLen) + j];
        }
        assertClose(await skip.read(), want, TOL, 'skip');
      }
    });
  });
}

const FIXTURES = ['wavenet', 'local', 'global', 'nam'];

async function fixture(caseName: string): Promise<Record<string, HostTensor | undefined>> {
  const out: Record<string, HostTensor | undefined> = {};
  for (const k of ['x', 'wd', 'bd', 'wc', 'wr', 'br', 'ws', 'bs', 'cond', 'y', 'skip']) {
    try {
      const a = await loadNpy(`test/fixtures/gate/${caseName}_${k}.npy`);
      out[k] = { data: a.data as Float32Array, shape: a.shape };
    } catch { out[k] = undefined; }
  }
  return out;
}

function fixtureParts(f: Record<string, HostTensor | undefined>, caseName: string): GateParts {
  const nam = caseName === 'nam';
  return { wd: f.wd!, bd: f.bd, wc: f.wc, wr: f.wr, br: f.br, ws: f.ws, bs: f.bs, gated: !nam, skip: nam ? 'identity' : 'conv' };
}

const DIL: Record<string, number> = { wavenet: 3, local: 2, global: 5, nam: 4 };

for (const cn of FIXTURES) {
  t(`reference and gpu match torch fixture: ${cn}`, async () => {
    const gpu = await getGpu();
    const f = await fixture(cn);
    const parts = fixtureParts(f, cn);
    const ref = gateRef(f.x!.data, f.x!.shape, parts, DIL[cn], f.cond);
    assertClose(ref.y!, f.y!.data, TOL_FIXTURE, 'ref y');
    assertClose(ref.skip!, f.skip!.data, TOL_FIXTURE, 'ref skip');
    await gpu.scope(async () => {
      const skip = gpu.empty(f.skip!.shape);
      const y = gate(gpu.tensor(f.x!.data, f.x!.shape), gateWeights(gpu, parts), { dilation: DIL[cn], skip, skipInit: true, cond: f.cond && gpu.tensor(f.cond.data, f.cond.shape) });
      assertClose(await y!.read(), f.y!.data, TOL, 'gpu y');
      assertClose(await skip.read(), f.skip!.data, TOL, 'gpu skip');
    });
  });
}

t('gateRing: wrapped input and output rings equal the plain layer', async () => {
  const gpu = await getGpu();
  const c: Cfg = { B: 2, R: 5, D: 3, S: 4, K: 3, dil: 3, T: 40, gated: true, skip: 'conv', bias: true };
  const parts = makeParts(c, 300);
  const x = randn(c.B * c.R * c.T, 301);
  const n = c.T - (c.K - 1) * c.dil;
  const ref = gateRef(x, [c.B, c.R, c.T], parts, c.dil);
  const Lx = c.T + 3, xs = 17, Ly = n + 5, ys = n - 2;   // both rings wrap
  const ring = new Float32Array(c.B * c.R * Lx).fill(NaN);
  for (let row = 0; row < c.B * c.R; row++) for (let j = 0; j < c.T; j++) ring[row * Lx + ((xs + j) % Lx)] = x[row * c.T + j];
  await gpu.scope(async () => {
    const y = gpu.empty([c.B, c.R, Ly]);
    const skip = gpu.empty([c.B, c.S, n]);
    gateRing(gateWeights(gpu, parts), { x: { t: gpu.tensor(ring, [c.B, c.R, Lx]), start: xs }, y: { t: y, start: ys }, n, dilation: c.dil, skip, skipInit: true });
    const got = await y.read();
    const unwrapped = new Float32Array(c.B * c.R * n);
    for (let row = 0; row < c.B * c.R; row++) for (let j = 0; j < n; j++) unwrapped[row * n + j] = got[row * Ly + ((ys + j) % Ly)];
    assertClose(unwrapped, ref.y!, TOL, 'ring y');
    assertClose(await skip.read(), ref.skip!, TOL, 'ring skip');
  });
});

/** Runs gateStep over T steps (recorded once, replayed with the counter written between steps). */
async function runSteps(gpu: Gpu, c: Cfg, parts: GateParts, x: Float32Array, cond: { data: Float32Array; shape: number[] } | undefined, fill: boolean) {
  return gpu.scope(async () => {
    const w = gateWeights(gpu, parts);
    const S = sOf(c);
    const queue = gateQueue(gpu, c.B, w, c.dil);
    const state = gpu.tensor(new Uint32Array([0]), [1], 'u32');
    const h = gpu.empty([c.B, c.R]);
    const condT = cond && gpu.tensor(cond.data, cond.shape);
    const skip = gpu.zeros([c.B, Math.max(S, 1)]);
    const rec = gpu.record(() => gateStep(h, w, { dilation: c.dil, queue, state, skip: S ? skip : undefined, skipInit: true, cond: condT }));
    const ys: Float32Array[] = [], ss: Float32Array[] = [];
    for (let step = 0; step < c.T; step++) {
      const col = new Float32Array(c.B * c.R);
      for (let b = 0; b < c.B; b++) for (let r = 0; r < c.R; r++) col[b * c.R + r] = x[(b * c.R + r) * c.T + step];
      gpu.write(h, col);
      gpu.write(state, new Uint32Array([step]));
      if (step === 0 && fill) ys.push(await gateStep(h, w, { dilation: c.dil, queue, state, skip: S ? skip : undefined, skipInit: true, cond: condT, fill: true })!.read() as Float32Array);
      else { rec.replay(); ys.push(await (rec.result as Tensor<'f32'>).read()); }
      if (S) ss.push(await skip.read());
    }
    rec.dispose();
    return { ys, ss };
  });
}

for (const fill of [false, true]) {
  t(`gateStep over a sequence equals the causal layer (${fill ? 'steady-state fill' : 'zero queue'})`, async () => {
    const gpu = await getGpu();
    const c: Cfg = { B: 2, R: 3, D: 4, S: 5, K: 3, dil: 2, T: 11, gated: true, skip: 'conv', bias: true, cond: 'local', C: 2 };
    const parts = makeParts(c, 400);
    const x = randn(c.B * c.R * c.T, 401);
    const cond = condData(c, c.T, 402)!;
    const H = (c.K - 1) * c.dil, Tp = c.T + H;
    const padded = new Float32Array(c.B * c.R * Tp);   // causal history: zeros, or copies of x(0)
    for (let row = 0; row < c.B * c.R; row++) for (let j = 0; j < Tp; j++) padded[row * Tp + j] = j < H ? (fill ? x[row * c.T] : 0) : x[row * c.T + j - H];
    const ref = gateRef(padded, [c.B, c.R, Tp], parts, c.dil, cond);
    const { ys, ss } = await runSteps(gpu, c, parts, x, cond, fill);
    const S = sOf(c);
    for (let step = 0; step < c.T; step++) {
      const wantY = new Float32Array(c.B * c.R), wantS = new Float32Array(c.B * S);
      for (let b = 0; b < c.B; b++) {
        for (let r = 0; r < c.R; r++) wantY[b * c.R + r] = ref.y![(b * c.R + r) * c.T + step];
        for (let s = 0; s < S; s++) wantS[b * S + s] = ref.skip![(b * S + s) * c.T + step];
      }
      assertClose(ys[step], wantY, TOL, `y step ${step}`);
      assertClose(ss[step], wantS, TOL, `skip step ${step}`);
    }
  });
}

t('errors name the op, the shapes and the fix', async () => {
  const gpu = await getGpu();
  const c: Cfg = { B: 1, R: 3, D: 2, S: 2, K: 2, dil: 4, T: 9, gated: true, skip: 'conv', bias: false };
  const parts = makeParts(c, 500);
  await gpu.scope(async () => {
    const w = gateWeights(gpu, parts);
    await assertThrows(() => gate(gpu.zeros([1, 4, 9]), w, { dilation: 4, skip: gpu.zeros([1, 2, 5]) }), /gate/, /\[1, 4, 9\]/, /\[B, 3, T\]/);
    await assertThrows(() => gate(gpu.zeros([1, 3, 4]), w, { dilation: 4, skip: gpu.zeros([1, 2, 1]) }), /gate/, /receptive field 5/);
    await assertThrows(() => gate(gpu.zeros([1, 3, 9]), w, { dilation: 4 }), /gate/, /skip is missing/);
    await assertThrows(() => gate(gpu.zeros([1, 3, 9]), w, { dilation: 0 }), /dilation must be a positive integer/);
    await assertThrows(() => gateWeights(gpu, { ...parts, wr: arr(new Float32Array(4), [2, 2, 1]) }), /gate/, /wr has shape \[2, 2, 1\], expected \[3, 2\]/);
    await assertThrows(() => gateWeights(gpu, { wd: arr(new Float32Array(9), [3, 3, 1]) }), /even number/);
    await assertThrows(() => gate(gpu.zeros([1, 3, 9]), w, { dilation: 4, skip: gpu.zeros([1, 2, 5]), cond: gpu.zeros([1, 2, 5]) }), /no conditioning weight/);
    await assertThrows(() => gateStep(gpu.zeros([1, 3]), w, { dilation: 4, queue: gpu.zeros([1, 3, 4]), state: gpu.zeros([1], 'u32'), skip: gpu.zeros([1, 2]) }), /queue is \[1, 3, 4\], expected \[1, 3, 5\]/);
  });
});

t.run();
