/** A small argv parser: positionals, `--flag value`, `--flag=value`, repeatable flags, booleans. */
import { WaveGpuError } from '../runtime/errors.js';

export interface Args {
  positional: string[];
  flags: Map<string, string[]>;
}

export function parseArgs(argv: string[], booleans: readonly string[] = []): Args {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    let value: string;
    if (eq > 0) value = a.slice(eq + 1);
    else if (booleans.includes(name)) value = 'true';
    else {
      if (i + 1 >= argv.length) throw new WaveGpuError('cli', `--${name} needs a value`);
      value = argv[++i];
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { positional, flags };
}

export function flag(args: Args, name: string): string | undefined {
  const v = args.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

export function numberFlag(args: Args, name: string, fallback: number): number {
  const v = flag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new WaveGpuError('cli', `--${name} must be a number, got '${v}'`);
  return n;
}

/** Flags not in `known` are an error (typos should not be silently ignored). */
export function rejectUnknown(args: Args, known: readonly string[], command: string): void {
  for (const k of args.flags.keys()) {
    if (!known.includes(k)) throw new WaveGpuError('cli', `'wavegpu ${command}' has no option --${k} (options: ${known.map((x) => '--' + x).join(' ')})`);
  }
}

/** `name=path` pairs of repeatable flags such as --in audio=x.npy. */
export function pairs(args: Args, name: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of args.flags.get(name) ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new WaveGpuError('cli', `--${name} expects name=path, got '${v}'`);
    out.set(v.slice(0, eq), v.slice(eq + 1));
  }
  return out;
}
