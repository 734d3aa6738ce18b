/** `wavegpu run` and friends through the CLI's main(): exit codes and one-line errors (Node only). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/node/cli_main.js';
import { writeNpy, readNpy } from '../src/audio/npy.js';
import { sharedWeightsAvailable } from './util/io.js';

const t = suite('cli run');
const dir = mkdtempSync(join(tmpdir(), 'wavegpu-cli-'));
const NAM = '../shared/weights/NeuralAmpModelerCore/wavenet.nam';

/** Runs main() capturing console.error; returns [exit code, stderr]. */
async function cli(...argv: string[]): Promise<[number, string]> {
  const err: string[] = [];
  const orig = console.error, origLog = console.log;
  console.error = (...a: unknown[]) => { err.push(a.join(' ')); };
  console.log = () => {};
  try { return [await main(argv), err.join('\n')]; } finally { console.error = orig; console.log = origLog; }
}

t('unknown command and unknown model: one clear line, non-zero exit', async () => {
  let [code, err] = await cli('frobnicate');
  assert.is(code, 1); assert.match(err, /unknown command 'frobnicate'/);
  [code, err] = await cli('run', 'nope', '--weights', 'x');
  assert.is(code, 1); assert.match(err, /unknown model 'nope'/); assert.match(err, /nam/);
});

t('missing input, wrong dtype, wrong rank and unknown options are refused', async () => {
  if (!(await sharedWeightsAvailable('NeuralAmpModelerCore/wavenet.nam'))) return;
  let [code, err] = await cli('run', 'nam', '--weights', NAM, '--out', `audio=${dir}/y.npy`);
  assert.is(code, 1); assert.match(err, /missing input 'audio'/);
  writeFileSync(`${dir}/i.npy`, writeNpy(new Int32Array(8), [8]));
  [code, err] = await cli('run', 'nam', '--weights', NAM, '--in', `audio=${dir}/i.npy`);
  assert.is(code, 1); assert.match(err, /must be f32/);
  writeFileSync(`${dir}/x2.npy`, writeNpy(new Float32Array(8), [2, 4]));
  [code, err] = await cli('run', 'nam', '--weights', NAM, '--in', `audio=${dir}/x2.npy`);
  assert.is(code, 1); assert.match(err, /shape/);
  [code, err] = await cli('run', 'nam', '--weights', NAM, '--wieghts', 'x');
  assert.is(code, 1); assert.match(err, /no option --wieghts/);
});

t('run nam writes its output', async () => {
  if (!(await sharedWeightsAvailable('NeuralAmpModelerCore/wavenet.nam'))) return;
  const x = Float32Array.from({ length: 300 }, (_, i) => 0.3 * Math.sin(i / 7));
  writeFileSync(`${dir}/x.npy`, writeNpy(x, [300]));
  const [code, err] = await cli('run', 'nam', '--weights', NAM, '--in', `audio=${dir}/x.npy`, '--out', `audio=${dir}/y.npy`);
  assert.is(code, 0, err);
  const y = readNpy(readFileSync(`${dir}/y.npy`));
  assert.equal(y.shape, [300]);
  assert.ok(y.data.every(Number.isFinite));
});

t.run();
