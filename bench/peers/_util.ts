/** Shared by the peers in bench/peers (files starting with '_' are not peers themselves). */
import { median } from '../harness.js';

export { median };

export const ORT_URL = '/node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs';

/** onnxruntime-web in the page (WebGPU + WASM builds), WASM with every core the page reports. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function loadOrt(): Promise<any> {
  const ort = await import(/* @vite-ignore */ ORT_URL as string);
  ort.env.wasm.wasmPaths = '/node_modules/onnxruntime-web/dist/';
  ort.env.wasm.numThreads = (navigator.hardwareConcurrency || 2);
  return ort;
}

/** Warm-up (when warm) + reps timed end-to-end runs; the median in ms. */
export async function timeIt(fn: () => Promise<unknown>, reps: number, warm = true): Promise<number> {
  if (warm) await fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); await fn(); t.push(performance.now() - t0); }
  return median(t);
}

/** Relative L2 of a - b and max |a - b| / max |b| (Infinity when the lengths differ). */
export function diff(a: Float32Array, b: Float32Array): { rel: number; max: number } {
  if (a.length !== b.length) return { rel: Infinity, max: Infinity };
  let e = 0, n = 0, m = 0, peak = 0;
  for (let i = 0; i < b.length; i++) {
    const d = a[i] - b[i];
    e += d * d; n += b[i] * b[i];
    m = Math.max(m, Math.abs(d)); peak = Math.max(peak, Math.abs(b[i]));
  }
  return { rel: Math.sqrt(e / n), max: m / peak };
}

export const fmtDiff = (d: { rel: number; max: number }) => `rel. L2 ${d.rel.toExponential(1)}, max ${d.max.toExponential(1)}`;
