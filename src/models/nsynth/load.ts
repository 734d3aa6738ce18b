/**
 * NSynth weights by their TensorFlow variable names (the official `wavenet-ckpt`
 * model.ckpt-200000, read with readTfCheckpoint, or a safetensors converted from it):
 *   ae_startconv, ae_dilatedconv_{1..L}, ae_res_{1..L}, ae_bottleneck          (encoder)
 *   startconv, skip_start, dilatedconv_{i}, cond_map_{i}, res_{i}, skip_{i},
 *   out1, cond_map_out1, logits                                                   (decoder)
 * each with /W [1, K, Cin, Cout] (masked.conv1d's conv2d kernel) and /biases [Cout]. A scope in
 * front of every name (e.g. 'nsynth/') is found from ae_startconv/W. `ema: true` reads the
 * /ExponentialMovingAverage shadow copies the training run kept instead of the raw variables
 * (magenta's own generation restores the raw ones).
 */
import { WaveGpuError, fmtShape } from '../../runtime/errors.js';
import type { WeightFile } from '../../weights/types.js';
import { cycleDilations, type AeDecoderParams, type AeEncoderParams, type Conv } from './ae.js';
import { NSYNTH, type NSynthConfig } from './config.js';

export interface NSynthLoadOptions extends Partial<NSynthConfig> {
  /** Read the /ExponentialMovingAverage copies (default false). */
  ema?: boolean;
}

export interface NSynthParams {
  config: NSynthConfig;
  encoder: AeEncoderParams;
  decoder: AeDecoderParams;
  encoderDilations: number[];
  decoderDilations: number[];
}

/** TF conv kernel [1, K, Cin, Cout] -> PyTorch [Cout, Cin, K]. */
export function tfToTorch(data: Float32Array, shape: readonly number[], name: string): { data: Float32Array; shape: number[] } {
  if (shape.length !== 4 || shape[0] !== 1) throw new WaveGpuError('nsynth', `${name} is ${fmtShape(shape)}, expected a masked.conv1d kernel [1, K, Cin, Cout]`);
  const [, k, cin, cout] = shape;
  const out = new Float32Array(cout * cin * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[(o * cin + i) * k + j] = data[(j * cin + i) * cout + o];
  return { data: out, shape: [cout, cin, k] };
}

function scopeOf(file: WeightFile): string {
  for (const name of file.tensors.keys()) if (name.endsWith('ae_startconv/W')) return name.slice(0, -'ae_startconv/W'.length);
  throw new WaveGpuError('nsynth', `${file.name} has no ae_startconv/W: not an NSynth WaveNet checkpoint (tensors: ${[...file.tensors.keys()].slice(0, 6).join(', ')}...)`);
}

function countLayers(file: WeightFile, scope: string, base: string): number {
  let n = 0;
  while (file.tensors.has(`${scope}${base}_${n + 1}/W`)) n++;
  return n;
}

async function conv(file: WeightFile, name: string, ema: boolean): Promise<Conv> {
  const suffix = ema ? '/ExponentialMovingAverage' : '';
  const we = file.tensors.get(`${name}/W${suffix}`), be = file.tensors.get(`${name}/biases${suffix}`);
  if (!we) throw new WaveGpuError('nsynth', `${file.name} lacks ${name}/W${suffix}${ema ? ' (load without ema to use the raw variables)' : ''}`);
  const w = tfToTorch(await we.read(), we.shape, `${name}/W`);
  const b = be ? { data: await be.read(), shape: be.shape } : undefined;
  return { w, b };
}

/** Reads every NSynth variable; layer counts come from the checkpoint, cycles and hop from `o`. */
export async function readNSynthParams(file: WeightFile, o: NSynthLoadOptions = {}): Promise<NSynthParams> {
  const config: NSynthConfig = { ...NSYNTH, ...Object.fromEntries(Object.entries(o).filter(([k, v]) => k in NSYNTH && v !== undefined)) };
  const s = scopeOf(file), ema = o.ema ?? false;
  const c = (n: string) => conv(file, s + n, ema);
  const aeLayers = countLayers(file, s, 'ae_dilatedconv'), layers = countLayers(file, s, 'dilatedconv');
  if (!layers) throw new WaveGpuError('nsynth', `${file.name} has an encoder but no decoder layers (${s}dilatedconv_1/W)`);
  const encoder: AeEncoderParams = { start: await c('ae_startconv'), layers: [], bottleneck: await c('ae_bottleneck') };
  for (let i = 1; i <= aeLayers; i++) encoder.layers.push({ dil: await c(`ae_dilatedconv_${i}`), res: await c(`ae_res_${i}`) });
  const decoder: AeDecoderParams = {
    start: await c('startconv'), skipStart: await c('skip_start'), layers: [],
    out1: await c('out1'), condOut: await c('cond_map_out1'), logits: await c('logits'),
  };
  for (let i = 1; i <= layers; i++) decoder.layers.push({ dil: await c(`dilatedconv_${i}`), cond: await c(`cond_map_${i}`), res: await c(`res_${i}`), skip: await c(`skip_${i}`) });
  return { config, encoder, decoder, encoderDilations: cycleDilations(aeLayers, config.aeStages), decoderDilations: cycleDilations(layers, config.stages) };
}
