/**
 * Data-movement rows, all bandwidth-bound: `bytes` = source read once + destination written once.
 * 'copy ceiling 64 MiB' is the device's bandwidth ceiling for the bench table: a contiguous
 * 64 MiB copy through the copy4 kernel (8 x 16 bytes per thread), 128 MiB of traffic per run:
 * what a shader can move. (copyBufferToBuffer, a driver memcpy with no shader, ran several
 * times faster on SwiftShader; concat along a leading axis uses it, other ops cannot.)
 * Measured on SwiftShader (per CPU-second, interleaved, 2026-11-21): copy 1.6 GB/cpu-s; as
 * fractions of it transpose 0.54, permute 0.61, slice 0.68, concat 0.74, embedding 0.69 (all
 * 16-byte-word paths) and pad 0.26 (element by element).
 */
import type { BenchCase } from '../types.js';
import type { Gpu } from '../../src/runtime/gpu.js';
import * as L from '../../src/ops/layout.js';

const MiB = 1 << 20;

function fill(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (i % 1000) * 0.001;
  return a;
}

function moveCase(name: string, inShape: number[], outElems: number, op: (x: ReturnType<Gpu['tensor']>) => void): BenchCase {
  const n = inShape.reduce((a, b) => a * b, 1);
  return {
    family: 'layout', name, bytes: 4 * (n + outElems),
    setup: (gpu: Gpu) => { const x = gpu.tensor(fill(n), inShape); return () => op(x); },
  };
}

export const COPY_CEILING = 'copy ceiling 64 MiB';

export const cases: BenchCase[] = [
  moveCase(COPY_CEILING, [16 * MiB], 16 * MiB, (x) => { L.clone(x); }),
  // [1024, 4096] -> [4096, 1024] (16 MiB): the tiled transpose through workgroup memory.
  moveCase('transpose 1024x4096 (16 MiB)', [1024, 4096], 4 * MiB, (x) => { L.transpose(x); }),
  // [B, H, T, D] -> [B, T, H, D] (attention heads, 16 MiB): the generic strided gather.
  moveCase('permute [8,16,512,64] (0,2,1,3) (16 MiB)', [8, 16, 512, 64], 4 * MiB, (x) => { L.permute(x, [0, 2, 1, 3]); }),
  moveCase('slice [64, 65536][:, 1::2] (16 MiB in)', [64, 65536], 2 * MiB, (x) => { L.slice(x, [null, { start: 1, step: 2 }]); }),
  {
    // Four [64, 16384] channel blocks along time (4 MiB each): one dispatch for all four.
    family: 'layout', name: 'concat 4x[64,16384] axis 1 (16 MiB)', bytes: 2 * 16 * MiB,
    setup: (gpu: Gpu) => {
      const xs = [0, 1, 2, 3].map(() => gpu.tensor(fill(64 * 16384), [64, 16384]));
      return () => { L.concat(xs, 1); };
    },
  },
  moveCase('pad reflect [64, 65536] (1024, 1024)', [64, 65536], 64 * (65536 + 2048), (x) => { L.pad(x, [1024, 1024], 'reflect'); }),
  {
    // Embedding lookup: 16384 ids into an [8192, 256] table (16 MiB gathered).
    family: 'layout', name: 'embedding 16384 ids x 256 from [8192, 256]', bytes: 4 * (16384 * 256 * 2 + 16384),
    setup: (gpu: Gpu) => {
      const w = gpu.tensor(fill(8192 * 256), [8192, 256]);
      const ids = gpu.tensor(Int32Array.from({ length: 16384 }, (_, i) => (i * 7919) % 8192), [16384], 'i32');
      return () => { L.embedding(ids, w); };
    },
  },
];
