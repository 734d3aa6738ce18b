/** `wavegpu run hifigan --weights <generator checkpoint> [--config config.json]`: mel [80, frames] -> audio. */
import { registerModel } from '../registry.js';
import { vocoderEntry } from '../vocoder/files.js';

registerModel(vocoderEntry('hifigan',
  'HiFi-GAN V1/V2/V3 (jik876/hifi-gan {\'generator\': ...} checkpoint; config.json beside it or inferred from the shapes), 22,050 Hz',
  'ln mel of meldataset.mel_spectrogram (fft 1024, hop 256, 80 mels 0-8000 Hz, clamp 1e-5)'));
