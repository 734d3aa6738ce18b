/**
 * DDSP tone transfer (magenta's models, src/models/ddsp) on 5 s of audio (1250 frames -> 80,000
 * samples at 16 kHz): the whole model and its stages. Seeded synthetic weights of the real shapes
 * (src/models/ddsp/synthetic.ts) so the rows run without ../shared; the work is the same.
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import { irfft } from '../../src/ops/fft.js';
import { randomUniform } from '../../src/ops/softmax_sample.js';
import { ddspControls } from '../../src/ops/ddsp.js';
import { ddspFilteredNoise, ddspHarmonic } from '../../src/ops/ddsp_synth.js';
import { DdspModel } from '../../src/models/ddsp/model.js';
import { syntheticDdspWeights } from '../../src/models/ddsp/synthetic.js';
import { DDSP, SAMPLES } from '../../src/models/ddsp/config.js';

const T = DDSP.frames, C = DDSP.channels, H = DDSP.harmonics, NB = DDSP.noiseBands, SECONDS = SAMPLES / DDSP.sampleRate;
const f0 = Float32Array.from({ length: T }, (_, j) => 440 * 2 ** (Math.sin(j / 60) / 2));
const ld = Float32Array.from({ length: T }, (_, j) => -60 + 10 * Math.sin(j / 40));

// FLOPs (multiply-add = 2): convolutions + dense, and the synthesisers' inner loops.
const DECODER_FLOPS = 2 * T * C * DDSP.kernel * (2 + C * DDSP.layers) + 2 * T * C * (1 + H + NB);
const HARMONIC_FLOPS = SAMPLES * H * 2 * 2;                                 // phase sum + amp * sin (sin not counted)
const NOISE_FLOPS = 2 * SAMPLES * DDSP.hop * (DDSP.hop + DDSP.irSize - 1) / DDSP.hop;

function model(gpu: Gpu): { m: DdspModel; f: ReturnType<Gpu['tensor']>; l: ReturnType<Gpu['tensor']> } {
  return { m: DdspModel.fromWeights(gpu, syntheticDdspWeights()), f: gpu.tensor(f0), l: gpu.tensor(ld) };
}

export const cases: BenchCase[] = [{
  family: 'ddsp', name: `ddsp tone transfer, whole model, 5 s (${T} frames -> ${SAMPLES} samples)`, audioSeconds: SECONDS,
  flops: DECODER_FLOPS + HARMONIC_FLOPS + NOISE_FLOPS,
  setup: (gpu) => {
    const { m, f, l } = model(gpu);
    return () => { m.forward(f, l, 1); };
  },
}, {
  family: 'ddsp', name: `ddsp stage: decoder (conv_in + 16 dilated conv/norm layers + dense, ${C} ch, ${T} frames)`, audioSeconds: SECONDS,
  flops: DECODER_FLOPS, bytes: 4 * (C * C * DDSP.kernel * DDSP.layers + T * (2 + 1 + H + NB)),
  setup: (gpu) => {
    const { m, f, l } = model(gpu);
    return () => { m.decoder(f, l); };
  },
}, {
  family: 'ddsp', name: `ddsp stage: controls + harmonic synth (${H} harmonics, chunked phase)`, audioSeconds: SECONDS,
  flops: HARMONIC_FLOPS, bytes: 4 * (2 * SAMPLES * H + SAMPLES),
  setup: (gpu) => {
    const { m, f, l } = model(gpu);
    const w = m.weights, s = w.synth;
    const dense = m.decoder(f, l), bias = gpu.tensor(w.dense.b), hn = gpu.tensor(s.harmonicNumbers), win = gpu.tensor(s.ampWindow);
    return () => {
      const c = ddspControls(dense, bias, f, hn, w.controls);
      ddspHarmonic(f, hn, c.harm, win, { hop: DDSP.hop, chunk: s.chunk, omegaScale: s.omegaScale, nyquist: s.nyquist, twoPi: s.twoPi });
    };
  },
}, {
  family: 'ddsp', name: `ddsp stage: filtered noise (irfft ${NB} bins -> ${DDSP.irSize}-tap FIR per frame, seeded noise, direct conv)`, audioSeconds: SECONDS,
  flops: NOISE_FLOPS, bytes: 4 * (3 * SAMPLES + T * DDSP.irSize),
  setup: (gpu) => {
    const s = syntheticDdspWeights().synth;
    const mags = gpu.tensor(Float32Array.from({ length: T * NB * 2 }, (_, i) => (i % 2 ? 0 : 0.01 + (i % 7) * 1e-3)), [T, NB, 2]);
    const nwin = gpu.tensor(s.noiseWindow), harmonic = gpu.zeros([SAMPLES]);
    return () => {
      const uni = randomUniform(gpu, [SAMPLES], 1);
      ddspFilteredNoise(uni, irfft(mags), nwin, harmonic, { hop: DDSP.hop, crop: s.crop, noiseScale: s.noiseScale, noiseMin: s.noiseMin });
    };
  },
}];
