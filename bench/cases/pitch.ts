/** Pitch (YIN) and loudness features over 5 s of 16 kHz audio (tone transfer's front end). */
import type { BenchCase } from '../types.js';
import { yin, rmsDb } from '../../src/ops/pitch.js';
import { yinRef, rmsDbRef } from '../../src/ref/pitch.js';

const SR = 16000, N = 5 * SR, HOP = 64, WIN = 1024, FMIN = 50, FMAX = 1500;
const x = Float32Array.from({ length: N }, (_, i) => Math.sin((2 * Math.PI * 220 * i) / SR) + 0.3 * Math.sin((2 * Math.PI * 440 * i) / SR));
const frames = Math.floor(N / HOP) + 1, tauMax = Math.ceil(SR / FMIN);

export const cases: BenchCase[] = [
  {
    family: 'pitch', name: `yin 5 s @16 kHz, W=${WIN}, ${frames} frames`, audioSeconds: N / SR, flops: 3 * frames * WIN * tauMax,
    setup: (gpu) => { const a = gpu.tensor(x); return () => { yin(a, { sampleRate: SR, hop: HOP, win: WIN, fmin: FMIN, fmax: FMAX }); }; },
    cpu: () => yinRef(x, SR, HOP, WIN, FMIN, FMAX, 0.15),
  },
  {
    family: 'pitch', name: 'rms dB loudness 5 s @16 kHz', audioSeconds: N / SR, flops: 2 * frames * WIN,
    setup: (gpu) => { const a = gpu.tensor(x); return () => { rmsDb(a, { hop: HOP, win: WIN, offsetDb: -20.7 }); }; },
    cpu: () => rmsDbRef(x, HOP, WIN, -20.7, -120),
  },
];
