/** `wavegpu info`: the adapter, its limits and features. */
import type { Gpu } from '../../runtime/gpu.js';

const LIMITS = [
  'maxBufferSize', 'maxStorageBufferBindingSize', 'maxStorageBuffersPerShaderStage', 'maxUniformBufferBindingSize',
  'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ', 'maxComputeWorkgroupsPerDimension', 'minUniformBufferOffsetAlignment',
];

export function info(gpu: Gpu): string {
  const i = gpu.adapter.info;
  const lines = [`adapter: ${gpu.describe()}`];
  for (const k of ['vendor', 'architecture', 'device', 'description'] as const) if (i[k]) lines.push(`  ${k}: ${i[k]}`);
  lines.push('limits:');
  const lim = gpu.limits as unknown as Record<string, number>;
  for (const k of LIMITS) lines.push(`  ${k}: ${lim[k]}`);
  lines.push(`features: ${[...gpu.features].sort().join(', ') || '(none)'}`);
  return lines.join('\n');
}
