/**
 * STFT and iSTFT of 10 s of 16 kHz audio (n_fft 512, hop 160, periodic Hann of 400: the usual
 * speech front end with a power-of-two FFT), in seconds of audio per second; the cpu column is
 * the float64 reference (src/ref/stft.ts) on the same signal.
 */
import type { BenchCase } from '../types.js';
import { stft, istft, hannWindow } from '../../src/ops/stft.js';
import { stftRef, istftRef } from '../../src/ref/stft.js';

const SR = 16000, SECONDS = 10, T = SR * SECONDS;
const N_FFT = 512, HOP = 160, WIN = 400;
const x = Float32Array.from({ length: T }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / SR) + 0.1 * Math.sin(i * 1.7));
const o = { nFft: N_FFT, hop: HOP, winLength: WIN, window: 'hann' as const };
const frames = 1 + Math.floor(T / HOP), bins = N_FFT / 2 + 1;
const flops = frames * 2.5 * N_FFT * Math.log2(N_FFT);
const refOpts = { nFft: N_FFT, hop: HOP, window: hannWindow(WIN), winLength: WIN };

export const cases: BenchCase[] = [
  {
    family: 'stft', name: `stft ${SECONDS} s @ 16 kHz (n_fft ${N_FFT}, hop ${HOP}, win ${WIN})`,
    audioSeconds: SECONDS, flops, bytes: 4 * T + 8 * bins * frames,
    setup: (gpu) => {
      const xt = gpu.tensor(x);
      return () => { stft(xt, o); };
    },
    cpu: () => { stftRef(x, 1, T, refOpts); },
  },
  {
    family: 'stft', name: `istft ${SECONDS} s @ 16 kHz (n_fft ${N_FFT}, hop ${HOP}, win ${WIN})`,
    audioSeconds: SECONDS, flops, bytes: 4 * T + 8 * bins * frames,
    setup: async (gpu) => {
      const X = stft(gpu.tensor(x), o);
      await gpu.sync();
      return () => { istft(X, { ...o, length: T }); };
    },
    cpu: () => { istftRef(spectrum(), 1, frames, { ...refOpts, length: T }); },
  },
];

let cached: Float64Array | null = null;
function spectrum(): Float64Array {
  return (cached ??= stftRef(x, 1, T, refOpts).data);
}
