/**
 * Scans: GANSynth's phase <-> instantaneous frequency on its 4 s, 16 kHz spectrogram (n_fft 2048,
 * hop 512: [1, 128 frames, 1024 bins], time on axis -2), and a cumsum along one 10 s row.
 */
import type { BenchCase } from '../types.js';
import { cumsum, instFreq, phaseFromInstFreq, unwrap } from '../../src/ops/scan.js';
import { cumsumRef, instFreqRef, phaseFromInstFreqRef, unwrapRef } from '../../src/ref/scan.js';

const T = 128, F = 1024, shape = [1, T, F];
const phase = Float32Array.from({ length: T * F }, (_, i) => Math.atan2(Math.sin(i * 0.37), Math.cos(i * 0.37)));
const ifreq = Float32Array.from({ length: T * F }, (_, i) => Math.sin(i * 0.001));
const long = Float32Array.from({ length: 160000 }, (_, i) => Math.sin(i * 0.01));

export const cases: BenchCase[] = [{
  family: 'scan', name: `scan GANSynth phase -> unwrap + IF, [${shape}] (4 s @ 16 kHz)`, audioSeconds: 4,
  bytes: 4 * 4 * T * F,
  setup: (gpu) => {
    const p = gpu.tensor(phase, shape);
    return () => { unwrap(p, -2); instFreq(p, -2); };
  },
  cpu: () => { unwrapRef(phase, shape, -2); instFreqRef(phase, shape, -2); },
}, {
  family: 'scan', name: `scan GANSynth IF -> phase (cumsum over time), [${shape}] (4 s @ 16 kHz)`, audioSeconds: 4,
  flops: 2 * T * F, bytes: 2 * 4 * T * F,
  setup: (gpu) => {
    const f = gpu.tensor(ifreq, shape);
    return () => { phaseFromInstFreq(f, -2); };
  },
  cpu: () => { phaseFromInstFreqRef(ifreq, shape, -2); },
}, {
  family: 'scan', name: 'scan cumsum of one 10 s row @ 16 kHz (block scan)', audioSeconds: 10,
  flops: long.length, bytes: 2 * 4 * long.length,
  setup: (gpu) => {
    const x = gpu.tensor(long);
    return () => { cumsum(x); };
  },
  cpu: () => { cumsumRef(long, [long.length]); },
}];
