/** Platform-neutral audio file I/O: WAV, PNG and NumPy .npy, all bytes in / bytes out. */
export { readWav, writeWav, toChannels, interleave, downmix, MAX_CHANNELS } from './wav.js';
export type { Wav, WavFormat, WavSampleFormat, WriteWavOptions } from './wav.js';
export { encodePng, decodePng, crc32, adler32, zlibCompress, zlibDecompress } from './png.js';
export type { PngImage, PngOptions, DeflateMode } from './png.js';
export { readNpy, writeNpy } from './npy.js';
export type { NpyArray, NpyDtype } from './npy.js';
export { spectrogramPicture, rainbowgramPicture, type Picture } from './rainbowgram.js';
