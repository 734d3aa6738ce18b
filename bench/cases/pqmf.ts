/** PQMF analysis + synthesis: Multi-band MelGAN (4 bands at 22.05 kHz) and RAVE (16 bands at 44.1 kHz). */
import type { BenchCase } from '../types.js';
import { Pqmf, PQMF_MBMELGAN, PQMF_RAVE, type PqmfConfig } from '../../src/ops/pqmf.js';
import { designPqmf } from '../../src/dsp/pqmf_design.js';
import { pqmfAnalysisRef, pqmfSynthesisRef } from '../../src/ref/pqmf.js';

function pqmfCase(label: string, config: PqmfConfig, sr: number, seconds: number): BenchCase {
  const d = designPqmf(config), M = d.bands, T = Math.floor((sr * seconds) / M) * M;
  const x = Float32Array.from({ length: T }, (_, i) => Math.sin(i * 0.013) * 0.5 + Math.sin(i * 0.31) * 0.25);
  return {
    family: 'pqmf', name: `pqmf ${label} analysis+synthesis ${seconds} s @ ${sr / 1000} kHz (${M} bands, ${d.prototype.length} taps)`,
    audioSeconds: T / sr,
    // factored banks (see kernels/pqmf.wgsl): per frame and direction, L' + 2 M^2 multiply-adds
    // (L' = the prototype's support); the direct form would be M L' per frame
    flops: (T / M) * 2 * 2 * (d.prototype.length + 2 * M * M),
    bytes: 4 * 4 * T,
    setup: (gpu) => {
      const pq = new Pqmf(gpu, config), xt = gpu.tensor(x, [1, 1, T]);
      return () => { pq.synthesis(pq.analysis(xt)); };
    },
    cpu: () => { pqmfSynthesisRef(pqmfAnalysisRef(x, 1, T, d), 1, T / M, d); },
  };
}

export const cases: BenchCase[] = [
  pqmfCase('MB-MelGAN', PQMF_MBMELGAN, 22050, 4),
  pqmfCase('RAVE', PQMF_RAVE, 44100, 1),
];
