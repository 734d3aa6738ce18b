/** Harmonic synth: 5 s of 16 kHz audio, 60 harmonics (DDSP's configuration). */
import type { BenchCase } from '../types.js';
import { harmonicSynth } from '../../src/ops/harmonic.js';
import { harmonicRef } from '../../src/ref/harmonic.js';

const F = 1250, hop = 64, H = 60, sr = 16000;
const f0 = Float32Array.from({ length: F }, (_, j) => 220 + 110 * Math.sin(j / 50));
const amp = new Float32Array(F).fill(0.5);
const dist = Float32Array.from({ length: F * H }, (_, i) => 1 / (1 + (i % H)));

export const cases: BenchCase[] = [{
  family: 'harmonic', name: `harmonic synth 5 s, ${H} harmonics`, audioSeconds: (F * hop) / sr,
  // ~8 flops per harmonic per sample for the sin polynomial + lerp + mac (rough, for a GFLOP/s column).
  flops: F * hop * H * 20,
  setup: (gpu) => {
    const a = gpu.tensor(f0, [1, F]), b = gpu.tensor(amp, [1, F]), c = gpu.tensor(dist, [1, F, H]);
    return () => { harmonicSynth(a, b, c, { sampleRate: sr, hop, normalize: true }); };
  },
  cpu: () => harmonicRef(f0, amp, dist, 1, F, H, sr, hop, true),
}];
