/** Seeded random inputs and tolerance checks shared by every test. */
import * as assert from 'uvu/assert';
import { readNpy, type NpyArray } from '../../src/audio/npy.js';
import { readFile } from './io.js';

/** mulberry32: small, seedable, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform values in [lo, hi). */
export function randn(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

export interface Tol { atol: number; rtol: number }

/**
 * Asserts |actual - expected| <= atol + rtol*|expected| elementwise; NaN in actual always fails
 * (outputs are poisoned with NaN before a run, so an unwritten element fails here).
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, what = ''): void {
  assert.is(actual.length, expected.length, `${what} length`);
  let worst = -1, worstErr = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    const err = Math.abs(a - e);
    const ok = err <= tol.atol + tol.rtol * Math.abs(e) || (Number.isNaN(e) && Number.isNaN(a)) || (a === e);
    if (!ok && (worst < 0 || !(err <= worstErr))) { worst = i; worstErr = Number.isNaN(err) ? Infinity : err; }
  }
  if (worst >= 0) {
    assert.unreachable(`${what} element ${worst}: got ${actual[worst]}, expected ${expected[worst]} (|err| ${worstErr.toExponential(3)} > atol ${tol.atol} + rtol ${tol.rtol}*|ref|)`);
  }
}

/** Relative L2 error ||a-b|| / ||b||. */
export function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) { const d = a[i] - b[i]; num += d * d; den += b[i] * b[i]; }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

export async function loadNpy(path: string): Promise<NpyArray> {
  return readNpy(await readFile(path));
}

/** Asserts that fn throws (sync or async) an error whose message matches every pattern. */
export async function assertThrows(fn: () => unknown, ...patterns: RegExp[]): Promise<Error> {
  let err: unknown;
  try { await fn(); } catch (e) { err = e; }
  if (!(err instanceof Error)) assert.unreachable(`expected an error matching ${patterns.join(', ')}`);
  const e = err as Error;
  for (const p of patterns) assert.match(e.message, p, `message "${e.message}" should match ${p}`);
  return e;
}
