/** A benchmark row. Each kernel family exports `cases: BenchCase[]` from bench/cases/<family>.ts. */
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
}
