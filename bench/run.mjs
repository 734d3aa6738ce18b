#!/usr/bin/env node
// npm run bench [-- --node | --browser | --python] [filter]
// Runs every bench/cases/*.ts in Node (Dawn) and then in headless Chromium (sequentially, so
// they do not share the CPU); the peers of bench/peers/*.ts (e.g. onnxruntime-web in the page)
// after the cases on each platform, and bench/peers/*.py (PyTorch CPU) last. Prints a table with
// each row's fraction of the device's measured ceilings (rows named '... ceiling ...'), the
// peer comparisons and per-kernel breakdowns, and writes bench/results/bench-<time>.json.
// Peer fixtures (ONNX exports etc.) are made on first use by scripts/bench/*.py (Debian torch).
import { readdirSync, writeFileSync, mkdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve, relative } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { serve, CHROMIUM_FLAGS } from '../test/util/browser.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
process.chdir(root);
const argv = process.argv.slice(2);
const picked = ['--node', '--browser', '--python'].filter((f) => argv.includes(f));
const want = (flag) => picked.length === 0 || picked.includes(flag);
const filter = argv.find((a) => !a.startsWith('--')) ?? '';
const out = join(root, '.bench-build');
mkdirSync(out, { recursive: true });

execFileSync(process.execPath, ['build.mjs', '--kernels'], { stdio: 'inherit' });
// Each scripts/bench/<x>.py writes peer fixtures into bench/fixtures; it reruns when it is newer
// than its stamp. A failure leaves the peer rows to report what is missing.
mkdirSync('bench/fixtures', { recursive: true });
for (const script of readdirSync('scripts/bench').filter((f) => f.endsWith('.py')).sort()) {
  const stamp = join('bench/fixtures', `.${script}.stamp`);
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(join('scripts/bench', script)).mtimeMs) continue;
  console.log(`bench: making peer fixtures with Debian PyTorch: /usr/bin/python3 scripts/bench/${script}`);
  try { execFileSync('/usr/bin/python3', [join('scripts/bench', script)], { stdio: 'inherit' }); writeFileSync(stamp, new Date().toISOString() + '\n'); }
  catch { console.log(`bench: scripts/bench/${script} failed (apt-get install python3-torch python3-onnx?); its peer rows will report an error`); }
}

const cases = readdirSync('bench/cases').filter((f) => f.endsWith('.ts')).sort();
const peers = readdirSync('bench/peers').filter((f) => f.endsWith('.ts') && !f.startsWith('_')).sort(); // _x: shared helpers
writeFileSync(join(out, 'cases.ts'), [
  ...cases.map((f, i) => `import { cases as c${i} } from '../bench/cases/${f.replace(/\.ts$/, '.js')}';`),
  ...peers.map((f, i) => `import { peerRows as p${i} } from '../bench/peers/${f.replace(/\.ts$/, '.js')}';`),
  `import type { BenchCase } from '../bench/types.js';`,
  `import type { BenchRow } from '../bench/harness.js';`,
  `import type { Gpu } from '../src/runtime/gpu.js';`,
  `export const CASES: BenchCase[] = [${cases.map((_, i) => `...c${i}`).join(', ')}];`,
  `export const PEERS: [string, (gpu: Gpu, platform: string, filter: string) => Promise<BenchRow[]>][] = [${peers.map((f, i) => `[${JSON.stringify(f)}, p${i}]`).join(', ')}];`,
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

async function runPython() {
  for (const script of readdirSync('bench/peers').filter((f) => f.endsWith('.py') && !f.startsWith('_')).sort()) {
    await new Promise((res) => {
      const child = spawn('/usr/bin/python3', [join('bench/peers', script), filter], { stdio: ['ignore', 'pipe', 'inherit'] });
      let buf = '';
      child.stdout.on('data', (d) => { buf += d; const parts = buf.split('\n'); buf = parts.pop(); parts.forEach((l) => take(l, 'pytorch-cpu')); });
      child.on('error', (e) => { console.log(`[pytorch-cpu] ${script}: ${e.message}`); res(); });
      child.on('close', (code) => { if (code) console.log(`[pytorch-cpu] ${script} exited with ${code}`); res(); });
    });
  }
}

if (want('--node')) await runNode();
if (want('--browser')) await runBrowser();
if (want('--python')) await runPython();

// Table with fractions of the measured ceilings, per platform.
const fmt = (v, d = 2) => (v === undefined || Number.isNaN(v) ? '' : v.toFixed(d));
const ceil = {};
for (const r of rows) {
  if (!/ceiling/.test(r.name) || r.error) continue;
  const c = (ceil[r.platform] ??= { gflops: 0, gbps: 0 });
  if (r.gflops) c.gflops = Math.max(c.gflops, r.gflops);
  if (r.gbps) c.gbps = Math.max(c.gbps, r.gbps);
}
const own = rows.filter((r) => !r.runtime);
const header = ['platform', 'family', 'case', 'ms', 'GFLOP/s', '%peak', 'GB/s', '%bw', 'x realtime', 'CPU ref ms', 'vs CPU'];
const table = own.map((r) => [r.platform, r.family, r.name, r.error ? 'ERROR: ' + r.error : fmt(r.ms, 3), fmt(r.gflops), r.gflops && ceil[r.platform]?.gflops ? fmt(100 * r.gflops / ceil[r.platform].gflops, 0) : '', fmt(r.gbps), r.gbps && ceil[r.platform]?.gbps ? fmt(100 * r.gbps / ceil[r.platform].gbps, 0) : '', fmt(r.realtime, 1), fmt(r.cpuMs, 2), r.cpuMs ? fmt(r.cpuMs / r.ms, 1) + 'x' : '']);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => String(t[i]).length)));
const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
console.log('\n' + line(header) + '\n' + line(widths.map((w) => '-'.repeat(w))) + '\n' + table.map(line).join('\n'));
// Peers: each peer row against the wavegpu row it names (same family), on every platform measured.
const peerRows = rows.filter((r) => r.runtime && r.peerOf);
if (peerRows.length) {
  const ph = ['family', 'case', 'peer', 'peer ms', 'wavegpu ms (platform)', 'wavegpu is'];
  const pt = [];
  for (const p of peerRows) {
    const mine = own.filter((r) => r.family === p.family && r.name === p.peerOf && !r.error);
    if (p.error || !mine.length) { pt.push([p.family, p.peerOf, p.runtime, p.error ? 'ERROR: ' + p.error : fmt(p.ms, 1), mine.length ? '' : 'no wavegpu row', '']); continue; }
    for (const m of mine) pt.push([p.family, p.peerOf, p.runtime, fmt(p.ms, 1), `${fmt(m.ms, 1)} (${m.platform})`, p.ms >= m.ms ? `${fmt(p.ms / m.ms)}x faster` : `${fmt(m.ms / p.ms)}x slower`]);
  }
  const pw = ph.map((h, i) => Math.max(h.length, ...pt.map((t) => String(t[i]).length)));
  const pl = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(pw[i])).join(' | ') + ' |';
  console.log('\nPeers (same run; peer ms / wavegpu ms):\n' + pl(ph) + '\n' + pl(pw.map((w) => '-'.repeat(w))) + '\n' + pt.map(pl).join('\n'));
}
// Where the time goes: per-kernel GPU time of rows with `breakdown` (timestamp queries, one run).
for (const r of own.filter((x) => x.kernels?.length)) {
  const total = r.kernels.reduce((a, k) => a + k.ms, 0);
  console.log(`\n${r.platform} ${r.family} ${r.name}: ${fmt(total, 1)} ms of kernels (${fmt(r.ms, 1)} ms wall)`);
  for (const k of r.kernels.slice(0, 8)) console.log(`  ${k.kernel.padEnd(36)} ${String(k.calls).padStart(6)} calls ${fmt(k.ms, 1).padStart(10)} ms ${fmt(100 * k.ms / total, 0).padStart(4)}%`);
}
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), devices, ceilings: ceil, rows }, null, 1));
console.log(`\nwrote ${file}`);
