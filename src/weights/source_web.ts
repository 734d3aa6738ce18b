/**
 * Browser byte sources: a Blob/File (sliced on demand, no whole-file copy) and a URL fetched
 * with a streamed body and progress, plus an opener for files beside a URL.
 */
import { bytesSource } from './bytes.js';
import { fail, type ByteSource, type FileOpener, type ProgressFn } from './types.js';

/** A Blob or File read on demand with blob.slice(). */
export function blobSource(blob: Blob, name = 'blob'): ByteSource {
  return {
    size: blob.size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > blob.size) {
        fail('weights', name, `read of ${length} bytes at offset ${offset} lies outside the ${blob.size}-byte file`);
      }
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}

/** Fetches a URL, streaming the body with progress; never trusts Content-Length beyond `maxBytes`. */
export async function fetchBytes(url: string, onProgress?: ProgressFn, maxBytes = 4 * 1024 ** 3): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) fail('weights', url, `HTTP ${res.status}`);
  const total = Number(res.headers.get('content-length') ?? 0);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.length;
    if (loaded > maxBytes) fail('weights', url, `body exceeds ${maxBytes} bytes`);
    chunks.push(value);
    onProgress?.(loaded, Math.max(total, loaded));
  }
  const out = new Uint8Array(loaded);
  let pos = 0;
  for (const c of chunks) { out.set(c, pos); pos += c.length; }
  return out;
}

/** A URL as a ByteSource (downloaded once, streamed with progress). */
export async function urlSource(url: string, onProgress?: ProgressFn): Promise<ByteSource> {
  return bytesSource(await fetchBytes(url, onProgress), url);
}

/** Opens files relative to a base URL (the URL of model.json or of a checkpoint .index). */
export function urlOpener(baseUrl: string, onProgress?: ProgressFn): FileOpener {
  return async (rel: string) => urlSource(new URL(rel, baseUrl).href, onProgress);
}
