// Static server and Chromium flags shared by the test runner and the benchmarks.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { createServer } from 'node:http';

const MIME = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.json': 'application/json', '.wasm': 'application/wasm', '.map': 'application/json' };

/** Static server: repo root at /, ../shared at /shared, with COOP/COEP for wasm threads. */
export function serve(rootDir, page) {
  const shared = resolve(rootDir, '..', 'shared');
  const server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    if (url === '/' || url === '/index.html') { res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }); res.end(page); return; }
    const base = url.startsWith('/shared/') ? shared : rootDir;
    const file = resolve(base, '.' + (url.startsWith('/shared/') ? url.slice(7) : url));
    if (!file.startsWith(base) || !existsSync(file) || statSync(file).isDirectory()) { res.writeHead(404, headers); res.end(); return; }
    res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

// The last flag: see src/node/dawn.ts (SwiftShader pipeline builds with zero-init workgroup memory).
export const CHROMIUM_FLAGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--disable-dawn-features=use_vulkan_zero_initialize_workgroup_memory_extension'];

