/**
 * facebookresearch/music-translation ("A Universal Music Translation Network", Mor et al. 2019):
 * a shared non-causal WaveNet encoder and one conditioned WaveNet decoder per musical domain
 * (src/wavenet_models.py Encoder, src/wavenet.py WaveNet). Defaults are train.py's and the
 * paper's; widths and layer counts are read off the checkpoint, the per-block cycles are not
 * stored in it (the pretrained_musicnet run used train.sh: --latent-d 64 --layers 14 --blocks 4).
 */
export interface UmtConfig {
  /** Encoder layers per block (--encoder-layers; dilations 2^0 .. 2^(n-1), repeated per block). */
  encoderLayers: number;
  /** Decoder layers per block (--layers). */
  layers: number;
  /** Samples averaged into one latent frame (--encoder-pool; 800 = 50 ms at 16 kHz). */
  pool: number;
  sampleRate: number;
}

export const UMT: UmtConfig = { encoderLayers: 10, layers: 10, pool: 800, sampleRate: 16000 };

/** The paper's sizes (benchmarks, documentation): 3 x 10 encoder layers, 4 x 10 decoder layers. */
export const UMT_SIZES = {
  encoderBlocks: 3, encoderLayers: 10, encoderChannels: 128, latent: 64,
  blocks: 4, layers: 10, kernel: 2, residual: 128, skip: 128, classes: 256,
} as const;

/** WavenetGenerator.Q_ZERO: the class fed before the first generated sample. */
export const UMT_FIRST_CLASS = 128;
