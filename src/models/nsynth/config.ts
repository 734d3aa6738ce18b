/**
 * magenta's NSynth WaveNet autoencoder, configuration h512_bo16
 * (magenta/models/nsynth/wavenet/h512_bo16.py): the defaults below are the official ones; layer
 * counts and widths are read off the checkpoint, so a reduced model (the test fixture) loads with
 * only the dilation cycles and the hop changed.
 */
import { MULAW_NSYNTH, mulawTables } from '../../ops/mulaw.js';

export interface NSynthConfig {
  /** Decoder dilation cycle: layer i has dilation 2^(i mod stages) (num_stages). */
  stages: number;
  /** Encoder dilation cycle (ae_num_stages). */
  aeStages: number;
  /** Samples per encoding frame (ae_hop_length: the average pooling window). */
  hop: number;
  sampleRate: number;
}

/** h512_bo16: 30 + 30 layers cycling 1..512, widths 512 / 256 skip / 128 encoder, 16-dim code. */
export const NSYNTH: NSynthConfig = { stages: 10, aeStages: 10, hop: 512, sampleRate: 16000 };

/** The official sizes (for benchmarks and documentation; the loader reads them off the weights). */
export const NSYNTH_SIZES = { layers: 30, width: 512, skipWidth: 256, kernel: 3, aeLayers: 30, aeWidth: 128, bottleneck: 16, classes: 256 } as const;

/** Model input of class q: x_scaled = (q - 128) / 128 (mu_law's floor(128 y) over 128). */
export function nsynthInputTable(): Float32Array {
  return mulawTables(MULAW_NSYNTH).companded;
}

/** Class of silence (0.0): the first generation input, as fastgen's zero audio. */
export const NSYNTH_FIRST_CLASS = 128;
