/** wavegpu: WebGPU compute for neural audio. Platform-neutral entry (browser bundle). */
export { createDevice, registerGpuProvider, type DeviceOptions } from './runtime/device.js';
export { Gpu, grid, type DispatchSpec } from './runtime/gpu.js';
export { Tensor, numel, type DType } from './runtime/tensor.js';
export { Recording } from './runtime/recording.js';
export { WaveGpuError } from './runtime/errors.js';
export type { KernelSource } from './runtime/kernel_info.js';
export * as ops from './ops/index.js';
export { readNpy, writeNpy, type NpyArray } from './audio/npy.js';
