#!/usr/bin/env node
// npm run bench [-- --node | --browser] [filter]
// Runs every bench/cases/*.ts in Node (Dawn) and then in headless Chromium (sequentially, so
// they do not share the CPU), plus the onnxruntime-web peer in the page. Prints a table with
// each row's fraction of the device's measured ceilings (rows named '... ceiling ...') and
// writes bench/results/bench-<time>.json.
import { readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, resolve, relative } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { serve, CHROMIUM_FLAGS } from '../test/util/browser.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
process.chdir(root);
const argv = process.argv.slice(2);
const onlyNode = argv.includes('--node'), onlyBrowser = argv.includes('--browser');
const filter = argv.find((a) => !a.startsWith('--')) ?? '';
const out = join(root, '.bench-build');
mkdirSync(out, { recursive: true });

execFileSync(process.execPath, ['build.mjs', '--kernels'], { stdio: 'inherit' });
if (!existsSync('bench/fixtures/conv_stack.onnx')) {
  console.log('bench: making bench/fixtures/conv_stack.* with Debian PyTorch (scripts/bench/conv_stack_onnx.py)');
  try { execFileSync('/usr/bin/python3', ['scripts/bench/conv_stack_onnx.py'], { stdio: 'inherit' }); }
  catch { console.log('bench: could not run it (apt-get install python3-torch); the peer rows will report an error'); }
}

const cases = readdirSync('bench/cases').filter((f) => f.endsWith('.ts')).sort();
writeFileSync(join(out, 'cases.ts'), [
  ...cases.map((f, i) => `import { cases as c${i} } from '../bench/cases/${f.replace(/\.ts$/, '.js')}';`),
  `import type { BenchCase } from '../bench/types.js';`,
  `export const CASES: BenchCase[] = [${cases.map((_, i) => `...c${i}`).join(', ')}];`,
].join('\n') + '\n');

async function bundle(platform) {
  const entry = join(out, `${platform}_entry.ts`);
  writeFileSync(entry, platform === 'node'
    ? `import '../src/node/index.ts';\nimport { main } from '../bench/entry.ts';\nmain('node', ${JSON.stringify(filter)}).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });\n`
    : `import { main } from '../bench/entry.ts';\nmain('chromium', ${JSON.stringify(filter)}).catch((e) => console.log('__BENCH_CRASH__ ' + e.stack)).finally(() => { globalThis.__BENCH_DONE = true; });\n`);
  await esbuild.build({ entryPoints: [entry], outdir: join(out, platform), bundle: true, splitting: true, format: 'esm', platform, target: 'es2022', external: platform === 'node' ? ['webgpu'] : ['node:*'], logLevel: 'warning' });
  return join(out, platform, `${platform}_entry.js`);
}

const rows = [];
const devices = [];
function take(line, label) {
  if (line.startsWith('__BENCH_ROW__ ')) { const r = JSON.parse(line.slice(14)); rows.push(r); console.log(`[${label}] ${r.family} ${r.name}: ${r.error ? 'ERROR ' + r.error : r.ms.toFixed(3) + ' ms'}`); }
  else if (line.startsWith('__BENCH_DEVICE__ ')) devices.push(JSON.parse(line.slice(17)));
  else if (line.trim()) console.log(`[${label}] ${line}`);
}

async function runNode() {
  const entry = await bundle('node');
  await new Promise((res) => {
    const child = spawn(process.execPath, [entry], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d) => { buf += d; const parts = buf.split('\n'); buf = parts.pop(); parts.forEach((l) => take(l, 'node')); });
    child.on('close', res);
  });
}

async function runBrowser() {
  await bundle('browser');
  const puppeteer = (await import('puppeteer')).default;
  const server = await serve(root, `<!doctype html><meta charset="utf-8"><script type="module" src="/.bench-build/browser/browser_entry.js"></script>`);
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: [...CHROMIUM_FLAGS, '--enable-dawn-features=disable_robustness'], protocolTimeout: 0 });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => take(m.text(), 'chromium'));
    page.on('pageerror', (e) => console.log(`[chromium] pageerror ${e.message}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction('globalThis.__BENCH_DONE === true', { timeout: 60 * 60e3, polling: 1000 });
  } finally { await browser.close(); server.close(); }
}

if (!onlyBrowser) await runNode();
if (!onlyNode) await runBrowser();

// Table with fractions of the measured ceilings, per platform.
const fmt = (v, d = 2) => (v === undefined || Number.isNaN(v) ? '' : v.toFixed(d));
const ceil = {};
for (const r of rows) {
  if (!/ceiling/.test(r.name) || r.error) continue;
  const c = (ceil[r.platform] ??= { gflops: 0, gbps: 0 });
  if (r.gflops) c.gflops = Math.max(c.gflops, r.gflops);
  if (r.gbps) c.gbps = Math.max(c.gbps, r.gbps);
}
const header = ['platform', 'family', 'case', 'ms', 'GFLOP/s', '%peak', 'GB/s', '%bw', 'x realtime', 'CPU ref ms', 'vs CPU'];
const table = rows.map((r) => [r.platform, r.family, r.name, r.error ? 'ERROR: ' + r.error : fmt(r.ms, 3), fmt(r.gflops), r.gflops && ceil[r.platform]?.gflops ? fmt(100 * r.gflops / ceil[r.platform].gflops, 0) : '', fmt(r.gbps), r.gbps && ceil[r.platform]?.gbps ? fmt(100 * r.gbps / ceil[r.platform].gbps, 0) : '', fmt(r.realtime, 1), fmt(r.cpuMs, 2), r.cpuMs ? fmt(r.cpuMs / r.ms, 1) + 'x' : '']);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => String(t[i]).length)));
const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
console.log('\n' + line(header) + '\n' + line(widths.map((w) => '-'.repeat(w))) + '\n' + table.map(line).join('\n'));
const peer = (n) => rows.find((r) => r.family === 'peer' && r.name.startsWith(n) && !r.error);
const mine = peer('wavegpu conv stack (upload+run+read)'), gpuPeer = peer('onnxruntime-web webgpu'), wasmPeer = peer('onnxruntime-web wasm');
if (mine && gpuPeer) console.log(`\nconv stack, same page: wavegpu ${mine.ms.toFixed(1)} ms vs onnxruntime-web webgpu ${gpuPeer.ms.toFixed(1)} ms: ${(gpuPeer.ms / mine.ms).toFixed(2)}x faster`);
if (mine && wasmPeer) console.log(`conv stack, same page: wavegpu ${mine.ms.toFixed(1)} ms vs onnxruntime-web wasm ${wasmPeer.ms.toFixed(1)} ms: ${(wasmPeer.ms / mine.ms).toFixed(2)}x`);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), devices, ceilings: ceil, rows }, null, 1));
console.log(`\nwrote ${file}`);
