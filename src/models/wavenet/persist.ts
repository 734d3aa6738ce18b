/**
 * Persistent fast generation (kernels/wavenet_persist.wgsl): one workgroup per stream runs many
 * whole samples per dispatch, all layers, head and draw included, so a sample costs no dispatch
 * of its own. Same weights, queues semantics and draws as generate() (test/wavenet.test.ts checks
 * they agree sample for sample). Limits: R, D <= 64, S, E, C <= 256, no conditioning.
 */
import { WaveGpuError } from '../../runtime/errors.js';
import type { Tensor } from '../../runtime/tensor.js';
import type { Recording } from '../../runtime/recording.js';
import { queueLength } from '../../ops/gate.js';
import type { WaveNet } from './model.js';
import { NONE } from './kernels.js';
import { plan, result, type GenerateOptions, type GenerateResult, type Plan } from './generate.js';

/** 16 threads: phase 1 of a 64-channel layer has 16 groups of 4 channels; idle invocations still cost on SwiftShader. */
const WG = 16;

export interface PersistOptions extends GenerateOptions {
  /** Samples per dispatch (default 64). */
  stepsPerDispatch?: number;
}

function check(model: WaveNet): void {
  const c = model.config, l0 = model.parts.layers[0].layout;
  const bad: string[] = [];
  if (c.residualChannels > 64 || c.dilationChannels > 64) bad.push('residual and dilation channels <= 64');
  if (c.skipChannels > 256 || c.endChannels > 256 || c.classes > 256) bad.push('skip, end channels and classes <= 256');
  if (c.localChannels || c.globalChannels) bad.push('no conditioning');
  if (model.parts.layers.some((w) => w.layout.skipMode !== 'conv' || w.layout.k !== l0.k || w.layout.gated !== l0.gated)) bad.push('a skip conv in every layer, one kernel size');
  if (bad.length) throw new WaveGpuError('persist', `the persistent kernel needs ${bad.join('; ')}; use generate() for this model`);
}

/** 8 u32 per layer: dilation, queue length, queue offset, o_wd, o_bd, o_w2, o_b2, has_res. */
function layerTable(model: WaveNet): { table: Uint32Array; qStride: number } {
  const table = new Uint32Array(8 * model.parts.layers.length);
  let q = 0;
  model.parts.layers.forEach(({ layout: l }, i) => {
    const len = queueLength(l, model.dilations[i]);
    table.set([model.dilations[i], len, q, l.o_wd, l.o_bd, l.o_w2, l.o_b2, l.hasRes ? 1 : 0], 8 * i);
    q += l.r * len;
  });
  return { table, qStride: q };
}

export class PersistentGenerator {
  private p: Plan;
  private bufs: { state: Tensor<'u32'>; codes: Tensor<'u32'>; table: Tensor<'u32'>; queues: Tensor };
  private qStride: number;
  private rec: Recording;
  private per: number;
  private done = 0;

  constructor(readonly model: WaveNet, opts: PersistOptions) {
    check(model);
    const p = (this.p = plan(model, opts));
    const gpu = model.gpu;
    this.per = opts.stepsPerDispatch ?? 64;
    if (!Number.isInteger(this.per) || this.per < 1) throw new WaveGpuError('persist', `stepsPerDispatch must be a positive integer, got ${this.per}`);
    const { table, qStride } = layerTable(model);
    this.qStride = qStride;
    this.bufs = gpu.scope(() => ({
      state: gpu.zeros([p.b], 'u32'), codes: gpu.tensor(p.codes, [p.b, p.total], 'u32'),
      table: gpu.tensor(table, [table.length], 'u32'), queues: gpu.zeros([p.b * qStride]),
    }));
    this.dispatch(1, true);
    this.rec = gpu.record(() => this.dispatch(this.per, false));
  }

  private dispatch(nSteps: number, fill: boolean): void {
    const { model, p, bufs } = this;
    const c = model.config, l0 = model.parts.layers[0].layout, { start, head } = model.parts;
    const last = head.l2 ?? head.l1;
    model.gpu.dispatch({
      op: 'persist', kernel: 'wavenet_persist', entry: 'persist', overrides: { WG },
      uniforms: { params: {
        batch: p.b, r: l0.r, d: l0.d, s: l0.s, rp: start.coutp, dp: l0.dp, sp: l0.sp, k: l0.k,
        layers: model.parts.layers.length, e: head.l2 ? head.l1.cout : 0, ep: head.l2 ? head.l1.coutp : 0, classes: c.classes,
        cp: last.coutp, onehot: c.input === 'onehot' ? 1 : 0, total: p.total, prime: p.primeLen,
        n_steps: nSteps, q_stride: this.qStride, seed_lo: p.draw.seed % 4294967296, seed_hi: Math.floor(p.draw.seed / 4294967296),
        stream0: p.draw.stream, temp: p.draw.temperature, fill: fill ? 1 : 0, gated: l0.gated ? 1 : 0,
        o_sw: start.o_w, o_sb: start.o_b, o_h1w: head.l2 ? head.l1.o_w : NONE, o_h1b: head.l2 ? head.l1.o_b : NONE,
        o_h2w: last.o_w, o_h2b: last.o_b, _p0: 0, _p1: 0,
      } },
      buffers: { state: bufs.state, codes: bufs.codes, gw: model.parts.layers[0].w, mw: model.parts.misc, table: bufs.table, queues: bufs.queues },
      workgroups: [p.b, 1, 1],
    });
  }

  get remaining(): number { return Math.max(0, this.p.total - 1 - this.done); }

  /** Records the next n steps (default: all remaining): whole dispatches of stepsPerDispatch, then the rest. */
  steps(n = this.remaining): void {
    for (let i = 0; i < Math.floor(n / this.per); i++) { this.rec.replay(); this.model.gpu.submit(); }
    if (n % this.per) this.dispatch(n % this.per, false);
    this.done += n;
  }

  async result(): Promise<GenerateResult> {
    return result(this.model, this.p, await this.bufs.codes.read());
  }

  dispose(): void {
    this.rec.dispose();
    for (const t of Object.values(this.bufs)) t.dispose();
  }
}

/** generate() on the persistent kernel. */
export async function generatePersistent(model: WaveNet, opts: PersistOptions): Promise<GenerateResult> {
  const gen = new PersistentGenerator(model, opts);
  try {
    gen.steps();
    return await gen.result();
  } finally {
    gen.dispose();
  }
}
