/** `wavegpu run mbmelgan --weights <folder or model.json>`: mel [80, frames] -> audio [frames * 256]. */
import { registerModel } from '../registry.js';
import { vocoderEntry } from '../vocoder/files.js';

registerModel(vocoderEntry('mbmelgan',
  'Multi-band MelGAN (TensorFlowTTS LJSpeech, TF.js graph model, uint8 weights): 4 sub-bands + PQMF synthesis, 22,050 Hz',
  'z-normalised log10 mel (fft 1024, hop 256, 80 mels 80-7600 Hz, Slaney), as TensorFlowTTS feeds it'));
