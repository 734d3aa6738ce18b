/**
 * File access for tests that runs unchanged in Node and in the browser.
 * Paths are relative to the repository root ('test/fixtures/conv/x.npy'); the shared weights
 * live at '../shared/weights/...' in Node and are served at '/shared/weights/...' to the page.
 */
declare const process: any;

export const isNode = typeof process !== 'undefined' && !!process.versions?.node;

function urlFor(path: string): string {
  if (path.startsWith('../shared/')) return '/' + path.slice(3);
  return '/' + path.replace(/^\.\//, '');
}

/** Reads a whole file, or returns null when it does not exist. */
export async function tryReadFile(path: string): Promise<Uint8Array | null> {
  if (isNode) {
    const fs = await import('node:fs');
    const p = await import('node:path');
    const full = p.resolve(process.env.WAVEGPU_ROOT ?? process.cwd(), path);
    if (!fs.existsSync(full)) return null;
    return new Uint8Array(fs.readFileSync(full));
  }
  const res = await fetch(urlFor(path));
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`fetch ${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export async function readFile(path: string): Promise<Uint8Array> {
  const bytes = await tryReadFile(path);
  if (!bytes) throw new Error(`test file missing: ${path} (regenerate fixtures with 'npm run fixtures')`);
  return bytes;
}

export async function readText(path: string): Promise<string> {
  return new TextDecoder().decode(await readFile(path));
}

export async function exists(path: string): Promise<boolean> {
  return (await tryReadFile(path)) !== null;
}

/** Directory of the shared published checkpoints, or null (with the reason logged) when absent. */
export const SHARED_WEIGHTS = '../shared/weights';
export async function sharedWeightsAvailable(probe: string): Promise<boolean> {
  const ok = await exists(`${SHARED_WEIGHTS}/${probe}`);
  if (!ok) console.log(`  skip: ${SHARED_WEIGHTS}/${probe} is absent (published checkpoints live beside the repo, see ../shared/weights/README.md)`);
  return ok;
}
