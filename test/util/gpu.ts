/** The device every test shares (Dawn in Node, navigator.gpu in the page), poisoned with NaN. */
import { createDevice } from '../../src/runtime/device.js';
import type { Gpu } from '../../src/runtime/gpu.js';

let shared: Promise<Gpu> | null = null;

export function getGpu(): Promise<Gpu> {
  shared ??= createDevice().then((g) => { g.poison = true; return g; });
  return shared;
}

/** Forgets the shared device (after a test destroyed it). */
export function resetGpu(): void {
  shared = null;
}
