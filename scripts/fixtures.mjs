#!/usr/bin/env node
// npm run fixtures [name ...]: regenerates the committed test fixtures by running every
// scripts/fixtures/<name>.py with Debian's Python (torch 1.13, numpy, scipy, soundfile) and every
// scripts/fixtures/<name>.mjs with Node (the TF.js peer runs; these take minutes each).
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const python = process.env.PYTHON || '/usr/bin/python3';
const only = process.argv.slice(2);
const dir = new URL('./fixtures/', import.meta.url).pathname;
for (const f of readdirSync(dir).filter((f) => /^[a-z].*\.(py|mjs)$/.test(f)).sort()) {
  if (only.length && !only.some((o) => f.startsWith(o))) continue;
  console.log(`fixtures: ${f}`);
  execFileSync(f.endsWith('.py') ? python : process.execPath, [dir + f], { stdio: 'inherit' });
}
// Nested generators (scripts/fixtures/<family>/make.py).
for (const d of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
  if (only.length && !only.some((o) => d.name.startsWith(o))) continue;
  console.log(`fixtures: ${d.name}/make.py`);
  execFileSync(python, [`${dir}${d.name}/make.py`], { stdio: 'inherit' });
}
