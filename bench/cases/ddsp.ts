/**
 * DDSP on 5 s of audio (1250 frames -> 80,000 samples at 16 kHz): the whole model and its stages
 * (decoder; controls + harmonic synth; filtered noise) for
 *   - magenta's tone-transfer shape (128 ch, 16 layers) on seeded synthetic weights
 *     (src/models/ddsp/synthetic.ts), so those rows run without ../shared; the work is the same;
 *   - the project's own cello (weights/cello.safetensors: 64 ch, 8 layers);
 *   - magenta's real violin (../shared/weights/magenta-js-ddsp/violin; rows report 'skipped: ...'
 *     without ../shared).
 * Neither model has a reverb stage: magenta's graph ends before the reverb magenta-js adds in the
 * app, and the own instruments were trained without one.
 * Peers of the own cello's decoder and whole model (onnxruntime-web, PyTorch CPU): bench/peers/ddsp.*.
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import { irfft } from '../../src/ops/fft.js';
import { randomUniform } from '../../src/ops/softmax_sample.js';
import { ddspControls } from '../../src/ops/ddsp.js';
import { ddspFilteredNoise, ddspHarmonic } from '../../src/ops/ddsp_synth.js';
import { DdspModel } from '../../src/models/ddsp/model.js';
import type { DdspWeights } from '../../src/models/ddsp/weights.js';
import { syntheticDdspWeights } from '../../src/models/ddsp/synthetic.js';
import { DDSP, SAMPLES } from '../../src/models/ddsp/config.js';
import { celloInput, magentaWeights, ownWeights, violinInput } from '../ddsp_models.js';

const T = DDSP.frames, H = DDSP.harmonics, NB = DDSP.noiseBands, SECONDS = SAMPLES / DDSP.sampleRate;

// FLOPs (multiply-add = 2): convolutions + dense, and the synthesisers' inner loops.
const decoderFlops = (C: number, L: number) => 2 * T * C * DDSP.kernel * (2 + C * L) + 2 * T * C * (1 + H + NB);
const HARMONIC_FLOPS = SAMPLES * H * 2 * 2;                                 // phase sum + amp * sin (sin not counted)
const NOISE_FLOPS = 2 * SAMPLES * DDSP.hop * (DDSP.hop + DDSP.irSize - 1) / DDSP.hop;

interface Source {
  /** Row prefix: '' for the synthetic rows (their names predate the others), else e.g. 'own cello (64 ch, 8 layers)'. */
  label: string;
  channels: number;
  layers: number;
  weights: () => DdspWeights | Promise<DdspWeights>;
  input: () => { f0: Float32Array; ld: Float32Array };
  /** Noise stage on the model's own noise magnitudes (real models) or on fixed ones (synthetic). */
  realMags: boolean;
  /** Samples for the whole-model and decoder rows' medians (the 128-channel ones take ~2 s a run on SwiftShader). */
  reps: number;
}

async function model(gpu: Gpu, src: Source) {
  const { f0, ld } = src.input();
  const w = await src.weights();
  if (w.convIn.b.length !== src.channels || w.layers.length !== src.layers) {
    throw new Error(`${src.label}: weights have ${w.convIn.b.length} channels and ${w.layers.length} layers, the row names say ${src.channels} and ${src.layers}`);
  }
  return { m: DdspModel.fromWeights(gpu, w), f: gpu.tensor(f0), l: gpu.tensor(ld) };
}

function rowsFor(src: Source): BenchCase[] {
  const { label, channels: C, layers: L } = src;
  const DECODER_FLOPS = decoderFlops(C, L);
  return [{
    family: 'ddsp', name: `ddsp ${label ? label + ': ' : 'tone transfer, '}whole model, 5 s (${T} frames -> ${SAMPLES} samples)`, audioSeconds: SECONDS,
    flops: DECODER_FLOPS + HARMONIC_FLOPS + NOISE_FLOPS, reps: src.reps, breakdown: true,
    setup: async (gpu) => {
      const { m, f, l } = await model(gpu, src);
      return () => { m.forward(f, l, 1); };
    },
  }, {
    family: 'ddsp', name: `ddsp ${label ? label + ' ' : ''}stage: decoder (conv_in + ${L} dilated conv/norm layers + dense, ${C} ch, ${T} frames)`, audioSeconds: SECONDS,
    flops: DECODER_FLOPS, bytes: 4 * (C * C * DDSP.kernel * L + T * (2 + 1 + H + NB)), reps: src.reps,
    setup: async (gpu) => {
      const { m, f, l } = await model(gpu, src);
      return () => { m.decoder(f, l); };
    },
  }, {
    family: 'ddsp', name: `ddsp ${label ? label + ' ' : ''}stage: controls + harmonic synth (${H} harmonics, chunked phase)`, audioSeconds: SECONDS,
    flops: HARMONIC_FLOPS, bytes: 4 * (2 * SAMPLES * H + SAMPLES),
    setup: async (gpu) => {
      const { m, f, l } = await model(gpu, src);
      const w = m.weights, s = w.synth;
      const dense = m.decoder(f, l), bias = gpu.tensor(w.dense.b), hn = gpu.tensor(s.harmonicNumbers), win = gpu.tensor(s.ampWindow);
      return () => {
        const c = ddspControls(dense, bias, f, hn, w.controls);
        ddspHarmonic(f, hn, c.harm, win, { hop: DDSP.hop, chunk: s.chunk, omegaScale: s.omegaScale, nyquist: s.nyquist, twoPi: s.twoPi });
      };
    },
  }, {
    family: 'ddsp', name: `ddsp ${label ? label + ' ' : ''}stage: filtered noise (irfft ${NB} bins -> ${DDSP.irSize}-tap FIR per frame, seeded noise, direct conv)`, audioSeconds: SECONDS,
    flops: NOISE_FLOPS, bytes: 4 * (3 * SAMPLES + T * DDSP.irSize),
    setup: async (gpu) => {
      const s = (await src.weights()).synth;
      let mags;
      if (src.realMags) {
        const { m, f, l } = await model(gpu, src);
        const w = m.weights;
        mags = ddspControls(m.decoder(f, l), gpu.tensor(w.dense.b), f, gpu.tensor(s.harmonicNumbers), w.controls).mags;
      } else {
        mags = gpu.tensor(Float32Array.from({ length: T * NB * 2 }, (_, i) => (i % 2 ? 0 : 0.01 + (i % 7) * 1e-3)), [T, NB, 2]);
      }
      const nwin = gpu.tensor(s.noiseWindow), harmonic = gpu.zeros([SAMPLES]);
      return () => {
        const uni = randomUniform(gpu, [SAMPLES], 1);
        ddspFilteredNoise(uni, irfft(mags), nwin, harmonic, { hop: DDSP.hop, crop: s.crop, noiseScale: s.noiseScale, noiseMin: s.noiseMin });
      };
    },
  }];
}

const OWN_CELLO_LABEL = 'own cello (64 ch, 8 layers)';

export const cases: BenchCase[] = [
  ...rowsFor({ label: '', channels: DDSP.channels, layers: DDSP.layers, weights: syntheticDdspWeights, input: violinInput, realMags: false, reps: 3 }),
  ...rowsFor({ label: OWN_CELLO_LABEL, channels: 64, layers: 8, weights: () => ownWeights('cello'), input: celloInput, realMags: true, reps: 5 }),
  ...rowsFor({ label: 'magenta violin (128 ch, 16 layers)', channels: DDSP.channels, layers: DDSP.layers, weights: () => magentaWeights('violin'), input: violinInput, realMags: true, reps: 3 }),
];
