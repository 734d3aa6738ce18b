/** Packs a uniform struct's field values at the offsets wgsl_reflect computed. */
import type { StructInfo } from './kernel_info.js';
import { WaveGpuError } from './errors.js';

export type UniformValue = number | readonly number[];

const SCALARS = new Set(['f32', 'i32', 'u32']);

function writeScalar(dv: DataView, offset: number, type: string, v: number, where: string): void {
  if (!Number.isFinite(v) && type !== 'f32') throw new WaveGpuError(where, `value ${v} is not a finite ${type}`);
  if (type === 'f32') dv.setFloat32(offset, v, true);
  else if (type === 'i32') {
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new WaveGpuError(where, `value ${v} does not fit i32`);
    dv.setInt32(offset, v, true);
  } else {
    if (!Number.isInteger(v) || v < 0 || v > 4294967295) throw new WaveGpuError(where, `value ${v} does not fit u32`);
    dv.setUint32(offset, v, true);
  }
}

/**
 * Writes `values` into `dv` at `base` following `struct`. Every field must be given, and no
 * other: a typo in a field name is an error, not a silent zero.
 */
export function packUniforms(dv: DataView, base: number, struct: StructInfo, values: Record<string, UniformValue>, op: string, structName: string): void {
  for (const key of Object.keys(values)) {
    if (!(key in struct.fields)) throw new WaveGpuError(op, `uniform struct ${structName} has no field '${key}' (fields: ${Object.keys(struct.fields).join(', ')})`);
  }
  for (const [name, f] of Object.entries(struct.fields)) {
    const v = values[name];
    if (v === undefined) throw new WaveGpuError(op, `uniform field ${structName}.${name} was not given`);
    const where = `${op} ${structName}.${name}`;
    if (SCALARS.has(f.type)) {
      if (typeof v !== 'number') throw new WaveGpuError(where, `expected a number, got ${JSON.stringify(v)}`);
      writeScalar(dv, base + f.offset, f.type, v, where);
    } else if (/^vec[234]$/.test(f.type) && f.format && SCALARS.has(f.format)) {
      const n = Number(f.type[3]);
      if (!Array.isArray(v) || v.length !== n) throw new WaveGpuError(where, `expected ${n} numbers, got ${JSON.stringify(v)}`);
      for (let i = 0; i < n; i++) writeScalar(dv, base + f.offset + 4 * i, f.format, v[i], where);
    } else {
      throw new WaveGpuError(where, `unsupported uniform field type ${f.type}<${f.format ?? ''}>`);
    }
  }
}
