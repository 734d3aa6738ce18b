/**
 * A benchmark row. Each kernel family exports `cases: BenchCase[]` from bench/cases/<family>.ts.
 * Peers (other runtimes doing the same work) live in bench/peers/: `<x>.ts` exports
 * `peerRows(gpu, platform, filter): Promise<BenchRow[]>` (run after the cases, in Node and in the
 * page), `<x>.py` prints `__BENCH_ROW__ <json>` lines (platform 'pytorch-cpu', run last, argv[1] =
 * filter). Peer rows set BenchRow.runtime and BenchRow.peerOf (the wavegpu row's exact name, same
 * family); bench/run.mjs prints peer ms / wavegpu ms. Peer fixtures come from scripts/bench/*.py,
 * rerun by run.mjs when a script is newer than bench/fixtures/.<script>.stamp.
 */
import type { Gpu } from '../src/runtime/gpu.js';

export interface BenchCase {
  /** Kernel family (the basename shared by kernels/, src/ops/, src/ref/, test/). */
  family: string;
  /** Row label with its size, e.g. 'conv1d 64x64 k3 T=16384'. */
  name: string;
  /** Floating-point operations of one run (multiply-add = 2). */
  flops?: number;
  /** Bytes one run must move at minimum (inputs read once + outputs written once). */
  bytes?: number;
  /** For audio rows: seconds of audio one run produces/consumes (real-time factor). */
  audioSeconds?: number;
  /**
   * Allocates inputs and returns `run`, which records one run into the current encoder
   * (no submit, no readback). The harness disposes everything made inside setup.
   */
  setup(gpu: Gpu): (() => void) | Promise<() => void>;
  /** Optional CPU reference of the same work, for the ratio column (run a few times, small). */
  cpu?: () => void;
  /** Samples for the median (default 5); slow rows (whole models on SwiftShader) use 1-3. */
  reps?: number;
  /** Also profile one run with timestamp queries and attach the per-kernel times to the row. */
  breakdown?: boolean;
}
