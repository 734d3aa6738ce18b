/**
 * WaveNet hyper-parameters. Defaults are those of vincentherrmann/pytorch-wavenet's published
 * checkpoints (`<data>_<layers>-<blocks>-<classes>-<dilation>-<residual>-<skip>-<kernel>`,
 * e.g. violin_7-2-128-64-64-64-2), which fit 44.1 kHz clips.
 */
import { WaveGpuError } from '../../runtime/errors.js';

export interface WaveNetConfig {
  /** Layers per block; dilations 1, 2, ..., 2^(layers-1), restarting each block. */
  layers: number;
  blocks: number;
  /** Explicit dilation list (overrides layers x blocks). */
  dilations?: number[];
  kernelSize: number;
  /** D: channels of the gated activation (the dilated conv has 2D outputs). */
  dilationChannels: number;
  /** R: channels of the residual stream. */
  residualChannels: number;
  /** S: channels of the skip sum. */
  skipChannels: number;
  /** E: hidden channels of a two-layer head (end_conv_1 -> relu -> end_conv_2); 0 = one layer (end_conv). */
  endChannels: number;
  /** Mu-law classes C (the softmax size). */
  classes: number;
  /** Mu-law parameter of the companding (pytorch-wavenet: mu = classes; the WaveNet paper: classes - 1). */
  mu: number;
  /** Network input: 'scalar' = the companded value through a 1-channel start conv; 'onehot' = its class. */
  input: 'scalar' | 'onehot';
  /** Local conditioning channels (features at the sample rate, [B, Cl, T]); 0 = none. */
  localChannels: number;
  /** Global conditioning channels (one vector per stream, [B, Cg]); 0 = none. */
  globalChannels: number;
  sampleRate: number;
}

export const PYTORCH_WAVENET_DEFAULTS: WaveNetConfig = {
  layers: 10, blocks: 4, kernelSize: 2, dilationChannels: 32, residualChannels: 32, skipChannels: 256,
  endChannels: 0, classes: 256, mu: 256, input: 'scalar', localChannels: 0, globalChannels: 0, sampleRate: 44100,
};

/** The dilation of every layer, in order. */
export function dilationsOf(c: Pick<WaveNetConfig, 'layers' | 'blocks' | 'dilations'>): number[] {
  if (c.dilations) return c.dilations.slice();
  const out: number[] = [];
  for (let b = 0; b < c.blocks; b++) for (let i = 0; i < c.layers; i++) out.push(2 ** i);
  return out;
}

/** Samples one output sees: sum over layers of (K-1)*dilation, plus one. */
export function receptiveField(c: Pick<WaveNetConfig, 'layers' | 'blocks' | 'dilations' | 'kernelSize'>): number {
  return dilationsOf(c).reduce((a, d) => a + (c.kernelSize - 1) * d, 0) + 1;
}

/**
 * Hyper-parameters from a pytorch-wavenet checkpoint name such as
 * 'violin_7-2-128-64-64-64-2' (layers-blocks-classes-dilation-residual-skip-kernel); null if the
 * name does not follow that pattern.
 */
export function parseWaveNetName(name: string): Partial<WaveNetConfig> | null {
  const m = /(\d+)-(\d+)-(\d+)-(\d+)-(\d+)-(\d+)-(\d+)(?:\.[\w]+)?$/.exec(name);
  if (!m) return null;
  const [layers, blocks, classes, dil, res, skip, kernel] = m.slice(1).map(Number);
  return { layers, blocks, classes, mu: classes, dilationChannels: dil, residualChannels: res, skipChannels: skip, kernelSize: kernel };
}

export function validateConfig(c: WaveNetConfig): void {
  const pos = ['kernelSize', 'dilationChannels', 'residualChannels', 'skipChannels', 'classes'] as const;
  for (const k of pos) if (!Number.isInteger(c[k]) || c[k] < 1) throw new WaveGpuError('wavenet', `config.${k} must be a positive integer, got ${c[k]}`);
  if (c.classes < 2) throw new WaveGpuError('wavenet', `config.classes must be at least 2, got ${c.classes}`);
  const dil = dilationsOf(c);
  if (!dil.length || dil.some((d) => !Number.isInteger(d) || d < 1)) throw new WaveGpuError('wavenet', `dilations must be positive integers, got [${dil.join(', ')}]`);
}
