/** Polyphase resampling of 10 s of audio (default filter: 32 zero crossings, ~86 dB). */
import type { BenchCase } from '../types.js';
import { Resampler } from '../../src/ops/resample.js';
import { designResampleFilter, reduceRatio, resampledLength } from '../../src/dsp/resample_design.js';
import { resampleRef } from '../../src/ref/resample.js';

function resampleCase(fr: number, to: number, seconds: number): BenchCase {
  const n = fr * seconds, x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.05) * 0.7);
  const { up, down } = reduceRatio(fr, to), d = designResampleFilter(up, down);
  const nOut = resampledLength(n, up, down), perOut = Math.ceil(d.taps.length / up);
  return {
    family: 'resample', name: `resample ${fr / 1000} -> ${to / 1000} kHz ${seconds} s (${up}/${down}, ${perOut} taps/output)`,
    audioSeconds: seconds, flops: 2 * nOut * perOut, bytes: 4 * (n + nOut),
    setup: (gpu) => {
      const rs = new Resampler(gpu, fr, to), xt = gpu.tensor(x);
      return () => { rs.apply(xt); };
    },
    cpu: () => { resampleRef(x, n, up, down, d.taps); },
  };
}

export const cases: BenchCase[] = [
  resampleCase(16000, 48000, 10),
  resampleCase(48000, 16000, 10),
  resampleCase(22050, 44100, 10),
  resampleCase(44100, 48000, 10),
];
