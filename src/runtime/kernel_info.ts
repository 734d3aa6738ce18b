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
}
