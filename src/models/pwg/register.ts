/** `wavegpu run pwg --weights <checkpoint-XXXsteps.pkl> [--config config.yml] [--seed n]`: mel [80, frames] -> audio. */
import { registerModel } from '../registry.js';
import { vocoderEntry } from '../vocoder/files.js';

registerModel(vocoderEntry('pwg',
  'Parallel WaveGAN (kan-bayashi/ParallelWaveGAN generator, {\'model\': {\'generator\': ...}}; config.yml beside it), seeded noise, 22,050 Hz',
  'normalised log10 mel of logmelfilterbank (fft 1024, hop 256, 80 mels 80-7600 Hz), (mel - mean) / scale'));
