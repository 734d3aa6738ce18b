/**
 * Device-lifetime constant tables for the DSP families (fft, stft, mel, fftconv): FFT twiddles,
 * analysis windows, mel filterbanks. Each is computed once on the host in float64, rounded to
 * f32 and uploaded with queue.writeBuffer, then cached per device under a key.
 *
 * Why not gpu.tensor(): a constant must outlive the scope or recording of the op that first
 * needed it (a recording replays bind groups that name its buffer), and uploads are not
 * allowed inside record(). A fresh buffer written through the queue is ordered before every
 * later submit, so it is valid for any command recorded after this call, recorded or not.
 * The tensors are not adopted by any scope and must not be disposed; they die with the device.
 */
import { Tensor, numel } from '../runtime/tensor.js';
import type { Gpu } from '../runtime/gpu.js';

const caches = new WeakMap<Gpu, Map<string, Tensor>>();

const USAGE = 0x80 /* STORAGE */ | 0x4 /* COPY_SRC */ | 0x8; /* COPY_DST */

/** The cached constant `key`, made from `make()` on first use. */
export function constantTensor(gpu: Gpu, key: string, shape: readonly number[], make: () => Float32Array | Uint32Array): Tensor {
  let cache = caches.get(gpu);
  if (!cache) caches.set(gpu, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const data = make();
  if (data.length !== numel(shape)) throw new Error(`constant ${key}: ${data.length} values for shape [${shape.join(', ')}]`);
  const bytes = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
  const buffer = gpu.device.createBuffer({ size: bytes, usage: USAGE, label: `const ${key}` });
  gpu.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  const t = new Tensor(gpu, shape, data instanceof Uint32Array ? 'u32' : 'f32', { buffer, refs: 1 });
  cache.set(key, t);
  return t;
}

/** table[j] = exp(-2 pi i j / n), j < n, interleaved [re, im]; angles reduced exactly in float64. */
export function twiddleValues(n: number): Float32Array {
  const out = new Float32Array(2 * n);
  for (let j = 0; j < n; j++) {
    const a = (2 * Math.PI * j) / n;
    out[2 * j] = Math.cos(a);
    out[2 * j + 1] = -Math.sin(a);
  }
  // Exact values where they are known (cos(pi/2) is 6e-17 in float64, not 0).
  for (let q = 0; q < 4 && n % 4 === 0; q++) {
    const j = (q * n) / 4;
    out[2 * j] = [1, 0, -1, 0][q];
    out[2 * j + 1] = [0, -1, 0, 1][q];
  }
  return out;
}

/** The twiddle table of length n ([n, 2]) on `gpu`. */
export function twiddles(gpu: Gpu, n: number): Tensor {
  return constantTensor(gpu, `twiddles:${n}`, [n, 2], () => twiddleValues(n));
}
