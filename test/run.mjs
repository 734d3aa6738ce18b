#!/usr/bin/env node
// Runs every test/**/*.test.ts with uvu in Node (Dawn + SwiftShader) and in headless Chromium
// (puppeteer, page served from 127.0.0.1), concurrently, and ends with one line:
//   N passed, M failed
// Usage: node test/run.mjs [--node | --browser] [filter]
import { readdirSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { serve, CHROMIUM_FLAGS } from './util/browser.mjs';
import * as esbuild from 'esbuild';

const root = resolve(new URL('..', import.meta.url).pathname);
process.chdir(root);
const argv = process.argv.slice(2);
const onlyNode = argv.includes('--node'), onlyBrowser = argv.includes('--browser');
const filter = argv.find((a) => !a.startsWith('--'));
const out = join(root, '.test-build', String(process.pid)); // per run: concurrent runs must not share bundles

function findTests(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'fixtures' || f === 'util' ? [] : findTests(p);
    return f.endsWith('.test.ts') ? [p] : [];
  });
}

const allFiles = findTests(join(root, 'test')).sort().filter((f) => !filter || f.includes(filter));
execFileSync(process.execPath, ['build.mjs', '--kernels'], { stdio: 'inherit' });

// One entry that queues each file under its own uvu group, then runs them all. Files named
// *.node.test.ts exercise Node-only code (the CLI) and are left out of the browser run.
function entrySource(platform) {
  const files = platform === 'node' ? allFiles : allFiles.filter((f) => !f.endsWith('.node.test.ts'));
  const lines = [
    platform === 'node' ? `import ${JSON.stringify(relative(join(out, platform), join(root, 'src/node/index.ts')))};` : '',
    `import { exec } from 'uvu';`,
    `const files = ${JSON.stringify(files.map((f) => relative(root, f)))};`,
    `const loaders = [${files.map((f) => `() => import(${JSON.stringify(relative(join(out, platform), f))})`).join(', ')}];`,
    `(async () => {`,
    `  for (let i = 0; i < loaders.length; i++) { globalThis.UVU_QUEUE.push([files[i]]); globalThis.UVU_INDEX = i; await loaders[i](); }`,
    `  await exec();`,
    `  globalThis.__WAVEGPU_DONE = true; console.log('__WAVEGPU_TESTS_DONE__');`,
    platform === 'node' ? `  process.exit(process.exitCode ?? 0);` : '',
    `})().catch((e) => { console.log('__WAVEGPU_TESTS_CRASH__ ' + (e && e.stack || e)); globalThis.__WAVEGPU_DONE = true; ${platform === 'node' ? 'process.exit(1);' : ''} });`,
  ];
  return lines.join('\n');
}

async function bundleFor(platform) {
  mkdirSync(join(out, platform), { recursive: true });
  const entry = join(out, platform, 'entry.ts');
  writeFileSync(entry, entrySource(platform));
  await esbuild.build({
    entryPoints: [entry], outdir: join(out, platform), bundle: true, splitting: true, format: 'esm',
    platform, target: 'es2022', sourcemap: 'inline', external: platform === 'node' ? ['webgpu'] : ['node:*'],
    logLevel: 'warning', banner: { js: 'globalThis.UVU_DEFER = 1; // uvu must not auto-run suites: the entry runs them in order' }, define: platform === 'browser' ? { 'process.env.NODE_DEBUG': 'undefined' } : {},
  });
  return join(out, platform, 'entry.js');
}

const ANSI = /\x1b\[[0-9;]*m/g;
function summarize(label, text) {
  const clean = text.replace(ANSI, '');
  const total = /Total:\s+(\d+)/.exec(clean), passed = /Passed:\s+(\d+)/.exec(clean), skipped = /Skipped:\s+(\d+)/.exec(clean);
  if (!total || !passed || !clean.includes('__WAVEGPU_TESTS_DONE__')) {
    console.log(`[${label}] the run did not finish; counted as 1 failure`);
    return { passed: passed ? +passed[1] : 0, failed: total && passed ? +total[1] - +passed[1] + 1 : 1, skipped: 0 };
  }
  return { passed: +passed[1], failed: +total[1] - +passed[1], skipped: skipped ? +skipped[1] : 0 };
}

function prefixer(label) {
  let buf = '';
  return (chunk) => {
    buf += chunk;
    const parts = buf.split('\n');
    buf = parts.pop();
    for (const p of parts) process.stdout.write(`[${label}] ${p}\n`);
  };
}

async function runNode() {
  const entry = await bundleFor('node');
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--enable-source-maps', entry], { env: { ...process.env, WAVEGPU_ROOT: root }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const print = prefixer('node');
    const timer = setTimeout(() => { print('\ntimed out after 40 min\n'); child.kill('SIGKILL'); }, 40 * 60e3);
    child.stdout.on('data', (d) => { text += d; print(d.toString()); });
    child.stderr.on('data', (d) => print(d.toString()));
    child.on('close', () => { clearTimeout(timer); print('\n'); res(summarize('node', text)); });
  });
}

async function runBrowser() {
  await bundleFor('browser');
  const puppeteer = (await import('puppeteer')).default;
  const page0 = `<!doctype html><meta charset="utf-8"><title>wavegpu tests</title><script type="module" src="/${relative(root, join(out, 'browser'))}/entry.js"></script>`;
  const server = await serve(root, page0);
  const print = prefixer('chromium');
  let text = '';
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, protocolTimeout: 0 });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => { const t = m.text().replace(ANSI, ''); text += t + '\n'; print(t.endsWith('\n') ? t : t + '\n'); });
    page.on('pageerror', (e) => { text += `pageerror ${e.message}\n`; print(`pageerror ${e.message}\n`); });
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction('globalThis.__WAVEGPU_DONE === true', { timeout: 40 * 60e3, polling: 500 });
  } catch (e) {
    print(`browser run failed: ${e.message}\n`);
  } finally {
    await browser.close();
    server.close();
  }
  return summarize('chromium', text);
}

const runs = [];
if (!onlyBrowser) runs.push(runNode());
if (!onlyNode) runs.push(runBrowser());
const results = await Promise.all(runs);
rmSync(out, { recursive: true, force: true });
const total = results.reduce((a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed ? 1 : 0);
