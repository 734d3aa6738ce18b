/** mu-law: 10 s of 16 kHz audio to 256 classes and back; pytorch-wavenet's companded input at 44.1 kHz. */
import type { BenchCase } from '../types.js';
import { MuLaw, MULAW_256, MULAW_PYTORCH_WAVENET } from '../../src/ops/mulaw.js';
import { encodeRef, decodeRef, compandedRef } from '../../src/ref/mulaw.js';

const audio = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.9 * Math.sin(i * 0.021) * Math.cos(i * 0.0007));

const x16 = audio(160000), x44 = audio(441000);

export const cases: BenchCase[] = [{
  family: 'mulaw', name: 'mulaw 256 encode+decode 10 s @ 16 kHz', audioSeconds: 10,
  bytes: 4 * 4 * x16.length,
  setup: (gpu) => {
    const mu = new MuLaw(gpu, MULAW_256), xt = gpu.tensor(x16);
    return () => { mu.decode(mu.encode(xt)); };
  },
  cpu: () => { decodeRef(encodeRef(x16, MULAW_256), MULAW_256); },
}, {
  family: 'mulaw', name: 'mulaw 128 (pytorch-wavenet) audio -> companded input 10 s @ 44.1 kHz', audioSeconds: 10,
  bytes: 2 * 4 * x44.length,
  setup: (gpu) => {
    const mu = new MuLaw(gpu, MULAW_PYTORCH_WAVENET), xt = gpu.tensor(x44);
    return () => { mu.quantize(xt); };
  },
  cpu: () => { compandedRef(encodeRef(x44, MULAW_PYTORCH_WAVENET), MULAW_PYTORCH_WAVENET); },
}];
