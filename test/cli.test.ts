/** The CLI's argument handling and model registry (Node-only parts run only in Node). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseArgs, pairs, rejectUnknown, numberFlag } from '../src/node/args.js';
import { assertThrows } from './util/check.js';

const t = suite('cli');

t('parses positionals, --k v, --k=v and repeated flags', () => {
  const a = parseArgs(['run', 'nam', '--weights', 'w.nam', '--in', 'audio=x.npy', '--in=b=y.npy', '--seed=3']);
  assert.equal(a.positional, ['run', 'nam']);
  assert.equal([...pairs(a, 'in')], [['audio', 'x.npy'], ['b', 'y.npy']]);
  assert.is(numberFlag(a, 'seed', 0), 3);
});

t('clear errors for missing values, bad pairs, unknown options and bad numbers', async () => {
  await assertThrows(() => parseArgs(['--weights']), /--weights needs a value/);
  await assertThrows(() => pairs(parseArgs(['--in', 'x.npy']), 'in'), /expects name=path/);
  await assertThrows(() => rejectUnknown(parseArgs(['--wieghts', 'x']), ['weights'], 'run'), /no option --wieghts/);
  await assertThrows(() => numberFlag(parseArgs(['--seed', 'abc']), 'seed', 0), /must be a number/);
});

t.run();
