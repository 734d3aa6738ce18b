/** Every op, grouped by kernel family (one file each, sharing the kernel's basename). */
export * from './elementwise.js';
export * from './harmonic.js';
export * from './mulaw.js';
export * from './pqmf.js';
export * from './scan.js';
export * from './resample.js';
export * from './pitch.js';
export { conv1d, conv1dGeometry, conv1dVersion, type Conv1dOptions, type Conv1dVersion, type Conv1dGeometry, type PaddingMode, type Activation, type Epilogue } from './conv1d.js';
export { convTranspose1d, convTranspose1dGeometry, type ConvTranspose1dOptions, type ConvTranspose1dVersion, type ConvTranspose1dGeometry } from './conv_transpose1d.js';
export { foldWeightNorm } from './weight_norm.js';
export * from './conv2d.js';
export * from './upsample.js';
export * from './norm.js';
