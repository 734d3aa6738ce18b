/**
 * A spectrogram or rainbowgram picture of audio, computed on the GPU (STFT, log magnitude,
 * instantaneous frequency along time) and coloured on the CPU. Shared by the CLI, the demo and
 * the browser page.
 */
import type { Tensor } from '../runtime/tensor.js';
import { stft, magnitude, angle, logClamp } from '../ops/stft.js';
import { instFreq } from '../ops/scan.js';
import { rainbowgramPicture, spectrogramPicture, type Picture } from './rainbowgram.js';

export interface PictureOptions {
  nFft?: number;
  hop?: number;
  /** Plain log-magnitude spectrogram instead of a rainbowgram. */
  plain?: boolean;
}

/** audio [T] -> a bins-high, frames-wide picture (periodic Hann window, centred frames). */
export async function audioPicture(audio: Tensor, o: PictureOptions = {}): Promise<Picture> {
  const gpu = audio.gpu;
  const { db, ifreq } = gpu.scope(() => {
    const X = stft(audio, { nFft: o.nFft ?? 512, hop: o.hop ?? 128, window: 'hann' }); // [bins, frames, 2]
    return { db: logClamp(magnitude(X), { base: 'db', eps: 1e-5 }), ifreq: o.plain ? null : instFreq(angle(X), -1) };
  });
  const [bins, frames] = db.shape;
  try {
    const mag = (await db.read()) as Float32Array;
    return ifreq ? rainbowgramPicture(mag, (await ifreq.read()) as Float32Array, frames, bins) : spectrogramPicture(mag, frames, bins);
  } finally {
    db.dispose();
    ifreq?.dispose();
  }
}
