/** Every op, grouped by kernel family (one file each, sharing the kernel's basename). */
export * from './elementwise.js';
export * from './harmonic.js';
