/** wavegpu for Node: the platform-neutral library plus the Dawn adapter and file helpers. */
import { registerGpuProvider } from '../runtime/device.js';
import { nodeAdapter } from './dawn.js';

registerGpuProvider(nodeAdapter);

export * from '../index.js';
export { loadWeightsFile, openFileSource, nodeOpener } from '../weights/source_node.js';
