/**
 * Node's WebGPU: the `webgpu` npm package (Dawn). With no hardware adapter it falls back to
 * SwiftShader (a CPU Vulkan) from Debian's chromium package, or from $WAVEGPU_SWIFTSHADER.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaveGpuError } from '../runtime/errors.js';
import type { AdapterHandle, DeviceOptions } from '../runtime/device.js';

const SWIFTSHADER_PATHS = ['/usr/lib/chromium/libvk_swiftshader.so', '/usr/lib64/chromium/libvk_swiftshader.so', '/usr/lib/chromium-browser/libvk_swiftshader.so'];

type DawnModule = { create: (flags: string[]) => GPU; globals: Record<string, unknown> };

async function loadDawn(): Promise<DawnModule> {
  try {
    return (await import('webgpu')) as unknown as DawnModule;
  } catch (e) {
    throw new WaveGpuError('createDevice', `the 'webgpu' npm package could not be loaded (${(e as Error).message}); install it with 'npm install webgpu'`);
  }
}

function ensureRuntimeDir(): void {
  if (process.env.XDG_RUNTIME_DIR && existsSync(process.env.XDG_RUNTIME_DIR)) return;
  const dir = join(tmpdir(), `wavegpu-xdg-${process.getuid?.() ?? 0}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = dir;
}

function swiftShaderPath(): string | undefined {
  const env = process.env.WAVEGPU_SWIFTSHADER;
  if (env) {
    if (!existsSync(env)) throw new WaveGpuError('createDevice', `WAVEGPU_SWIFTSHADER=${env} does not exist`);
    return env;
  }
  return SWIFTSHADER_PATHS.find((p) => existsSync(p));
}

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/**
 * Whether a GPU device node and a Vulkan driver that could drive it exist. Mesa's lavapipe is rejected by
 * Dawn anyway ("shaderUniform*ArrayDynamicIndexing required"), so it does not count.
 */
function hasHardwareIcd(): boolean {
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return true;
  const gpuNode = existsSync('/dev/nvidiactl') || (existsSync('/dev/dri') && readdirSync('/dev/dri').some((f) => f.startsWith('renderD')));
  if (!gpuNode) return false;
  for (const dir of ICD_DIRS) {
    if (!existsSync(dir)) continue;
    if (readdirSync(dir).some((f) => f.endsWith('.json') && !/lvp|swiftshader/i.test(f))) return true;
  }
  return !existsSync('/usr/share/vulkan'); // unknown layout (not a Linux FHS system): just try
}

/** Points the Vulkan loader at SwiftShader through an ICD file with an absolute path. */
function useSwiftShader(lib: string): void {
  const icd = join(tmpdir(), `wavegpu-swiftshader-icd-${process.getuid?.() ?? 0}.json`);
  writeFileSync(icd, JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: lib, api_version: '1.0.5' } }));
  process.env.VK_ICD_FILENAMES = icd;
  process.env.VK_DRIVER_FILES = icd;
}

export async function nodeAdapter(opts: DeviceOptions): Promise<AdapterHandle> {
  const dawn = await loadDawn();
  Object.assign(globalThis, dawn.globals);
  ensureRuntimeDir();
  const flags = [...(opts.dawnFlags ?? [])];
  const tryCreate = async (): Promise<{ gpu: GPU | null; adapter: GPUAdapter | null }> => {
    let gpu: GPU | null = dawn.create(flags);
    const adapter = await gpu.requestAdapter({ powerPreference: opts.powerPreference });
    if (!adapter) gpu = null;
    return { gpu, adapter };
  };
  const userIcd = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  if (!opts.forceSwiftShader && (process.platform !== 'linux' || hasHardwareIcd())) {
    let { gpu, adapter } = await tryCreate();
    if (adapter) return { adapter, source: userIcd ? `dawn, Vulkan ICD ${userIcd}` : 'dawn', release: () => { gpu = null; } };
  }
  const lib = swiftShaderPath();
  if (!lib) {
    throw new WaveGpuError('createDevice', 'no WebGPU adapter: no GPU driver was usable and SwiftShader was not found. Fix: install a Vulkan GPU driver, or on Debian/Ubuntu `apt-get install chromium libvulkan1` (ships SwiftShader), or set WAVEGPU_SWIFTSHADER=/path/to/libvk_swiftshader.so');
  }
  useSwiftShader(lib);
  // Dawn's VK_KHR_zero_initialize_workgroup_memory path makes SwiftShader's compiler spend ~3 ms per
  // workgroup-memory element building a pipeline (16-44 s for one kernel); Dawn then zero-fills
  // workgroup memory in the shader instead, which WebGPU's semantics allow just the same.
  flags.push('disable-dawn-features=use_vulkan_zero_initialize_workgroup_memory_extension');
  let { gpu, adapter } = await tryCreate();
  if (!adapter) {
    throw new WaveGpuError('createDevice', `no WebGPU adapter even with SwiftShader (${lib}). Is the Vulkan loader installed? Fix: \`apt-get install libvulkan1\``);
  }
  return { adapter, source: `dawn, SwiftShader ${lib}`, release: () => { gpu = null; } };
}
