/** The peer benchmark's model on wavegpu: 16 x Conv1d(64, 64, k=3, padding=1), same weights as the ONNX file. */
import type { Gpu } from '../src/runtime/gpu.js';
import type { Tensor } from '../src/runtime/tensor.js';
import { readNpy } from '../src/audio/npy.js';
import { conv1d } from '../src/ops/conv1d.js';

export const STACK = { layers: 16, channels: 64, kernel: 3, length: 16384, get flops() { return this.layers * 2 * this.channels * this.channels * this.kernel * this.length; } };

export interface StackWeights { w: Tensor[]; b: Tensor[] }

async function fetchBytes(path: string): Promise<Uint8Array> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const fs = await import('node:fs');
    return new Uint8Array(fs.readFileSync(path));
  }
  return new Uint8Array(await (await fetch('/' + path)).arrayBuffer());
}

export async function loadConvStack(gpu: Gpu): Promise<StackWeights> {
  const w = readNpy(await fetchBytes('bench/fixtures/conv_stack_w.npy')); // [16, 64, 64, 3]
  const b = readNpy(await fetchBytes('bench/fixtures/conv_stack_b.npy')); // [16, 64]
  const per = STACK.channels * STACK.channels * STACK.kernel;
  const out: StackWeights = { w: [], b: [] };
  for (let l = 0; l < STACK.layers; l++) {
    out.w.push(gpu.tensor(w.data.subarray(l * per, (l + 1) * per) as Float32Array, [STACK.channels, STACK.channels, STACK.kernel]));
    out.b.push(gpu.tensor(b.data.subarray(l * STACK.channels, (l + 1) * STACK.channels) as Float32Array, [STACK.channels]));
  }
  return out;
}

/** x: [1, 64, T] -> [1, 64, T]; intermediate activations are freed as the stack goes. */
export function convStack(s: StackWeights, x: Tensor): Tensor {
  let h = x;
  for (let l = 0; l < STACK.layers; l++) {
    const next = conv1d(h, s.w[l], s.b[l], { padding: 1 });
    if (h !== x) h.dispose();
    h = next;
  }
  return h;
}
