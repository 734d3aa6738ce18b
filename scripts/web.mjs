#!/usr/bin/env node
// npm run web: serves the built browser demo (dist/web) at http://127.0.0.1:8080/dist/web/
// (WebGPU needs a secure context: localhost qualifies). `--screenshot out.png` instead renders the
// piece in headless Chromium, clicks play and saves a picture of the page.
import { serve, CHROMIUM_FLAGS } from '../test/util/browser.mjs';
const root = new URL('..', import.meta.url).pathname;
const shot = process.argv.indexOf('--screenshot');
const server = await serve(root, '<meta http-equiv="refresh" content="0; url=/dist/web/index.html">');
const url = `http://127.0.0.1:${server.address().port}/dist/web/index.html`;
if (shot < 0) {
  console.log(`wavegpu demo page: ${url} (Ctrl-C to stop)`);
} else {
  const puppeteer = (await import('puppeteer')).default;
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: [...CHROMIUM_FLAGS, '--autoplay-policy=no-user-gesture-required'] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 800 });
  page.on('console', (m) => console.log(`[page] ${m.text()}`));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('GPU'), { timeout: 120e3 });
  await page.click('#play');
  await page.waitForFunction('globalThis.__WAVEGPU_RENDERED > 0', { timeout: 600e3 });
  console.log(await page.$eval('#status', (e) => e.textContent));
  await page.screenshot({ path: process.argv[shot + 1] });
  await browser.close();
  server.close();
}
