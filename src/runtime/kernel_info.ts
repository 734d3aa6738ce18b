/**
 * Shapes of the kernel registry that build.mjs generates from kernels/*.wgsl with wgsl_reflect
 * (src/kernels.gen.ts). Nothing here is typed by hand per kernel: bindings, their access modes
 * and the byte offsets of uniform struct fields all come from the WGSL source.
 */
export type BindingKind = 'uniform' | 'storage' | 'read-only-storage';

export interface BindingInfo {
  group: number;
  binding: number;
  name: string;
  kind: BindingKind;
  /** For uniforms: the struct type name, looked up in KernelSource.structs. */
  type: string;
}

export interface FieldInfo {
  offset: number;
  size: number;
  /** 'f32' | 'i32' | 'u32' | 'vec2' ... ; `format` is the element type of vectors. */
  type: string;
  format?: string;
  count?: number;
}

export interface StructInfo {
  size: number;
  fields: Record<string, FieldInfo>;
}

export interface EntryInfo {
  bindings: BindingInfo[];
  workgroupSize: number[];
  overrides: string[];
}

export interface KernelSource {
  name: string;
  code: string;
  entries: Record<string, EntryInfo>;
  structs: Record<string, StructInfo>;
  /**
   * Where each line of `code` came from (kernels/lib files are expanded in place by `#import`):
   * runs of [first line of the run in code, source file, its line there], 1-based, in order.
   * Absent for kernels registered by hand (their lines are their own).
   */
  lines?: [number, string, number][];
}

/** 'kernels/x.wgsl:12' for line `line` of a kernel's combined code. */
export function sourceLine(k: KernelSource, line: number): string {
  let run: [number, string, number] | undefined;
  for (const r of k.lines ?? []) if (r[0] <= line) run = r;
  return run ? `${run[1]}:${run[2] + line - run[0]}` : `kernels/${k.name}.wgsl:${line}`;
}
