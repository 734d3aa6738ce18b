/**
 * Neural Amp Modeler's feed-forward WaveNet (.nam "architecture": "WaveNet"): layer arrays of
 * dilated-conv layers, each z = conv(x) + input_mixin(cond); a = tanh(z) (or tanh * sigmoid when
 * gated); x_next = x + 1x1(a); head += a. The condition is the input signal itself.
 */
import { WaveGpuError } from '../../runtime/errors.js';

export interface NamLayerArray {
  inputSize: number;
  conditionSize: number;
  headSize: number;
  channels: number;
  kernelSize: number;
  dilations: number[];
  gated: boolean;
  headBias: boolean;
}

export interface NamConfig {
  arrays: NamLayerArray[];
  /** The file's sample rate (NAM's default 48 kHz when absent). */
  sampleRate: number;
}

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new WaveGpuError('nam', `config ${what} is ${JSON.stringify(v)}, expected a positive integer`);
  return v;
}

/** Validates a .nam WaveNet config for this engine (tanh activations, chained array sizes). */
export function parseNamConfig(config: Record<string, unknown>, sampleRate: number | null): NamConfig {
  const layers = config.layers;
  if (!Array.isArray(layers) || !layers.length) throw new WaveGpuError('nam', 'config.layers must be a non-empty list of layer arrays');
  const arrays = layers.map((raw: Record<string, unknown>, a: number): NamLayerArray => {
    const p = `layers[${a}]`;
    if (raw.activation !== undefined && raw.activation !== 'Tanh') throw new WaveGpuError('nam', `${p}.activation is ${JSON.stringify(raw.activation)}; only "Tanh" is implemented`);
    const extra = ['bottleneck', 'groups_input', 'groups_1x1', 'film_params', 'head_1x1'].filter((k) => raw[k] !== undefined && raw[k] !== null && raw[k] !== false);
    if (extra.length) throw new WaveGpuError('nam', `${p} uses ${extra.join(', ')}, which this engine does not implement (A1-style WaveNets only)`);
    if (!Array.isArray(raw.dilations) || !raw.dilations.length) throw new WaveGpuError('nam', `${p}.dilations must be a non-empty list`);
    return {
      inputSize: int(raw.input_size, `${p}.input_size`), conditionSize: int(raw.condition_size, `${p}.condition_size`),
      headSize: int(raw.head_size, `${p}.head_size`), channels: int(raw.channels, `${p}.channels`), kernelSize: int(raw.kernel_size, `${p}.kernel_size`),
      dilations: raw.dilations.map((d: unknown, i: number) => int(d, `${p}.dilations[${i}]`)), gated: !!raw.gated, headBias: !!raw.head_bias,
    };
  });
  arrays.forEach((l, a) => {
    if (l.conditionSize !== 1) throw new WaveGpuError('nam', `layers[${a}].condition_size is ${l.conditionSize}; the condition is the mono input, size 1`);
    if (a === 0 && l.inputSize !== 1) throw new WaveGpuError('nam', `layers[0].input_size is ${l.inputSize}; expected 1 (mono audio)`);
    if (a > 0 && l.inputSize !== arrays[a - 1].channels) throw new WaveGpuError('nam', `layers[${a}].input_size ${l.inputSize} does not match layers[${a - 1}].channels ${arrays[a - 1].channels}`);
    if (a > 0 && arrays[a - 1].headSize !== l.channels) throw new WaveGpuError('nam', `layers[${a - 1}].head_size ${arrays[a - 1].headSize} must equal layers[${a}].channels ${l.channels} (its head sum starts there)`);
  });
  if (arrays[arrays.length - 1].headSize !== 1) throw new WaveGpuError('nam', `the last layer array's head_size is ${arrays[arrays.length - 1].headSize}; expected 1 (mono output)`);
  return { arrays, sampleRate: sampleRate ?? 48000 };
}

/** Input samples one output sample depends on. */
export function namReceptiveField(c: NamConfig): number {
  return c.arrays.reduce((acc, l) => acc + l.dilations.reduce((s, d) => s + (l.kernelSize - 1) * d, 0), 0) + 1;
}
