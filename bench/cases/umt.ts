/**
 * Universal Music Translation at the paper's size with random weights: one domain decoder's fast
 * generation (4 x 10 layers, and 4 x 14 as the pretrained_musicnet run; kernel 2, 128/128
 * channels, 64-dim latent) and the shared 3 x 10-layer encoder over 3 latent frames.
 */
import type { BenchCase } from '../types.js';
import { cycleDilations } from '../../src/models/nsynth/ae.js';
import { UMT, UMT_FIRST_CLASS, UMT_SIZES as S } from '../../src/models/umt/config.js';
import { umtInputTable } from '../../src/models/umt/mulaw.js';
import { encoderCase, generationCase, type DecoderSize } from './nsynth.js';

const dec = (layers: number): DecoderSize => ({ layers, r: S.residual, s: S.skip, z: S.latent, k: S.kernel, ks: S.kernel, classes: S.classes });

export const cases: BenchCase[] = [
  generationCase('umt', `umt fast generation 4x10 layers (k2, 128/128) B=1, 64 samples`, dec(S.blocks * S.layers), cycleDilations(S.blocks * S.layers, S.layers), UMT.pool, umtInputTable(), UMT_FIRST_CLASS, 64),
  generationCase('umt', `umt fast generation 4x14 layers (pretrained_musicnet) B=1, 64 samples`, dec(S.blocks * 14), cycleDilations(S.blocks * 14, 14), UMT.pool, umtInputTable(), UMT_FIRST_CLASS, 64),
  encoderCase('umt', `umt encoder 3x10 layers (128 ch) 2400 samples`, { layers: S.encoderBlocks * S.encoderLayers, c: S.encoderChannels, z: S.latent }, cycleDilations(S.encoderBlocks * S.encoderLayers, S.encoderLayers), false, UMT.pool, 3 * UMT.pool),
];
