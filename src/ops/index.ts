/** Every op, grouped by kernel family (one file each, sharing the kernel's basename). */
export * from './elementwise.js';
export * from './harmonic.js';
export * from './mulaw.js';
export * from './pqmf.js';
export * from './scan.js';
export * from './resample.js';
export * from './pitch.js';
