/** `wavegpu run melgan --weights <best_netG.pt>`: mel [80, frames] -> audio [frames * 256]. */
import { registerModel } from '../registry.js';
import { vocoderEntry } from '../vocoder/files.js';

registerModel(vocoderEntry('melgan',
  'MelGAN (descriptinc/melgan-neurips generator, ngf 32, 3 residual layers; config read from the checkpoint), 22,050 Hz',
  'log10 mel of Audio2Mel (fft 1024, hop 256, 80 mels 0-11025 Hz, clamp 1e-5)'));
