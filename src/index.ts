/** wavegpu: WebGPU compute for neural audio. Platform-neutral entry (browser bundle). */
export { createDevice, registerGpuProvider, type DeviceOptions } from './runtime/device.js';
export { Gpu, grid, type DispatchSpec } from './runtime/gpu.js';
export { Tensor, numel, type DType } from './runtime/tensor.js';
export { Recording } from './runtime/recording.js';
export type { KernelTime } from './runtime/profiler.js';
export { WaveGpuError } from './runtime/errors.js';
export type { KernelSource } from './runtime/kernel_info.js';
export * as ops from './ops/index.js';
export * from './audio/index.js';
export { bachPrelude, midiToHz, type Note } from './music/bach_prelude.js';
export { registerModel, getModel, listModels, type ModelEntry, type LoadedModel, type ArrayData, type IOSpec } from './models/registry.js';
export * as weights from './weights/index.js';
export { DdspModel } from './models/ddsp/model.js';
export { loadDdsp } from './models/ddsp/load.js';
