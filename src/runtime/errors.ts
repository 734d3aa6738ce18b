/**
 * The library's one error type. Every failure the library detects (bad shapes, bad files,
 * device limits, kernel compile errors) is a WaveGpuError whose message names the operation,
 * what was expected, what was found and, where there is one, the fix.
 */
export class WaveGpuError extends Error {
  /** The op, reader or subsystem that raised it, e.g. 'conv1d', 'safetensors', 'wav'. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'WaveGpuError';
    this.op = op;
  }
}

/** Throws a WaveGpuError for `op` unless `cond` holds. */
export function check(cond: unknown, op: string, message: string | (() => string)): asserts cond {
  if (!cond) throw new WaveGpuError(op, typeof message === 'function' ? message() : message);
}

/** `[2,3,5]` -> `"[2, 3, 5]"`, for messages. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
