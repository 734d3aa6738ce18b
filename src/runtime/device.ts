/**
 * Getting a GPUDevice in the browser (navigator.gpu) or in Node (a provider registered by the
 * Node entry point, which wraps the `webgpu` npm package and keeps it out of browser bundles).
 */
import { WaveGpuError } from './errors.js';
import { Gpu } from './gpu.js';

export interface DeviceOptions {
  powerPreference?: GPUPowerPreference;
  /** Node only: extra Dawn toggles, e.g. ['enable-dawn-features=disable_robustness'] for benchmarks. */
  dawnFlags?: string[];
  /** Node only: skip hardware adapters and use SwiftShader. */
  forceSwiftShader?: boolean;
  /** Print the adapter chosen (Node CLI does). */
  verbose?: boolean;
}

export interface AdapterHandle {
  adapter: GPUAdapter;
  /** Where the adapter came from, e.g. 'navigator.gpu' or 'dawn (SwiftShader via /usr/lib/chromium/...)'. */
  source: string;
  /** Drops references that keep a Node process alive. */
  release?: () => void;
}

export type GpuProvider = (opts: DeviceOptions) => Promise<AdapterHandle>;

let nodeProvider: GpuProvider | undefined;

/** Called by the Node entry point; browser bundles never register one. */
export function registerGpuProvider(p: GpuProvider): void {
  nodeProvider = p;
}

async function browserAdapter(opts: DeviceOptions): Promise<AdapterHandle> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) {
    throw new WaveGpuError('createDevice', 'navigator.gpu is missing: WebGPU needs a secure context (https:// or http://localhost) and a browser with WebGPU enabled (Chrome/Edge 113+, Firefox 141+, Safari 26+). In Node, import wavegpu\'s Node entry so the `webgpu` package is used.');
  }
  const adapter = await gpu.requestAdapter({ powerPreference: opts.powerPreference });
  if (!adapter) throw new WaveGpuError('createDevice', 'navigator.gpu.requestAdapter() returned null: WebGPU is present but no adapter is usable (blocklisted GPU or driver). Try chrome://gpu, or --enable-unsafe-webgpu for a software adapter.');
  return { adapter, source: 'navigator.gpu' };
}

function pickLimits(adapter: GPUAdapter): Record<string, number> {
  const want = [
    'maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage',
    'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX',
    'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ', 'maxComputeWorkgroupsPerDimension', 'maxUniformBufferBindingSize',
  ];
  const out: Record<string, number> = {};
  const lim = adapter.limits as unknown as Record<string, number>;
  for (const k of want) if (typeof lim[k] === 'number') out[k] = lim[k];
  return out;
}

/**
 * Creates a wavegpu device. In a browser it uses navigator.gpu; in Node (through wavegpu's Node
 * entry) the `webgpu` package, falling back to SwiftShader when no hardware adapter exists.
 */
export async function createDevice(opts: DeviceOptions = {}): Promise<Gpu> {
  const hasNavigatorGpu = !!(globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const handle = !hasNavigatorGpu && nodeProvider ? await nodeProvider(opts) : await browserAdapter(opts);
  const { adapter } = handle;
  const features: GPUFeatureName[] = [];
  for (const f of ['timestamp-query', 'subgroups', 'shader-f16'] as GPUFeatureName[]) if (adapter.features.has(f)) features.push(f);
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits: pickLimits(adapter), requiredFeatures: features });
  } catch (e) {
    throw new WaveGpuError('createDevice', `requestDevice failed: ${(e as Error).message}`);
  }
  const gpu = new Gpu(device, adapter, handle.source, handle.release);
  if (opts.verbose) console.error(`wavegpu: using ${gpu.describe()}`);
  return gpu;
}
