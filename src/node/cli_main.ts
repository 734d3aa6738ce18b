/** The `wavegpu` command. Each subcommand lives in its own module under src/node/commands. */
import { createDevice } from './index.js';

export async function main(argv: string[]): Promise<number> {
  const [cmd] = argv;
  if (cmd === 'info') {
    const gpu = await createDevice();
    console.log(gpu.describe());
    gpu.destroy();
    return 0;
  }
  console.error(`unknown command ${cmd}`);
  return 2;
}
