/**
 * Node byte sources: a file handle read on demand (no whole-file copy), and an opener for the
 * files beside it. node:fs is imported dynamically so the rest of src/weights stays
 * platform-neutral and bundles for the browser.
 */
import { loadWeights, type LoadOptions } from './load.js';
import { fail, type ByteSource, type FileOpener, type WeightFile } from './types.js';

/** The slice of node:fs/promises used here (typed locally: no @types/node dependency). */
interface FileHandle {
  read(buf: Uint8Array, off: number, len: number, pos: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}
interface FsPromises { open(path: string, flags: string): Promise<FileHandle> }

const FS_MODULE = 'node:fs/promises';

/** Opens a file for random access; close() releases the handle. */
export async function openFileSource(path: string): Promise<ByteSource> {
  const fs = (await import(/* @vite-ignore */ FS_MODULE)) as FsPromises;
  let fh: FileHandle;
  try { fh = await fs.open(path, 'r'); } catch (e) { return fail('weights', path, `cannot open (${(e as Error).message})`); }
  const size = (await fh.stat()).size;
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
        fail('weights', path, `read of ${length} bytes at offset ${offset} lies outside the ${size}-byte file`);
      }
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(out, done, length - done, offset + done);
        if (bytesRead === 0) fail('weights', path, `file ended early at ${offset + done} (changed while reading?)`);
        done += bytesRead;
      }
      return out;
    },
    async close(): Promise<void> { await fh.close(); },
  };
}

/** Opens files relative to `dir`, refusing absolute paths and '..' (names come from the file). */
export function nodeOpener(dir: string): FileOpener {
  return async (rel: string) => {
    if (rel.startsWith('/') || rel.includes('\\') || rel.split('/').includes('..')) fail('weights', rel, 'sibling path escapes the model directory');
    return openFileSource(`${dir.replace(/\/+$/, '')}/${rel}`);
  };
}

/** Loads a weight file from a path; siblings (shards) open from its directory. Call close() when done. */
export async function loadWeightsFile(path: string, opts: Omit<LoadOptions, 'name' | 'open'> = {}): Promise<WeightFile> {
  const src = await openFileSource(path);
  const slash = path.lastIndexOf('/');
  const dir = slash >= 0 ? path.slice(0, slash) : '.';
  try {
    return await loadWeights(src, { ...opts, name: path, open: nodeOpener(dir) });
  } catch (e) {
    await src.close?.();
    throw e;
  }
}
