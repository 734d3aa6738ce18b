#!/usr/bin/env node
// npm run fixtures [name ...]: regenerates the committed test fixtures by running every
// scripts/fixtures/<name>.py with Debian's Python (torch 1.13, numpy, scipy, soundfile).
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
const python = process.env.PYTHON || '/usr/bin/python3';
const only = process.argv.slice(2);
const dir = new URL('./fixtures/', import.meta.url).pathname;
for (const f of readdirSync(dir).filter((f) => f.endsWith('.py')).sort()) {
  if (only.length && !only.some((o) => f.startsWith(o))) continue;
  console.log(`fixtures: ${f}`);
  execFileSync(python, [dir + f], { stdio: 'inherit' });
}
