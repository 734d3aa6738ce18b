/**
 * Universal Music Translation weights by their PyTorch names. A training checkpoint
 * (bestmodel_<k>.pth / lastmodel_<k>.pth, Trainer.save_model) is
 *   {'encoder_state': Encoder.state_dict(), 'decoder_state': WaveNet.state_dict(),
 *    'discriminator_state': ..., 'model_optimizer_state': ..., 'dataset': k, ...}
 * which the torch reader flattens to 'encoder_state.start.weight', 'decoder_state.layers.0.causal.weight', ...
 * One file per decoder domain; every file carries the same shared encoder (read from the first).
 *   encoder  start, dilated_convs.{i}.dilated_conv, dilated_convs.{i}.conv_1x1, conv_1x1
 *   decoder  first_conv, skip_conv, layers.{i}.{causal,condition,residual,skip}, fc, condition, logits
 * The prefixes are found from 'dilated_convs.0.dilated_conv.weight' and 'first_conv.weight', so a
 * file converted with `--only decoder_state. --rename decoder_state.=` (or a 'module.' prefix)
 * loads too.
 */
import { WaveGpuError } from '../../runtime/errors.js';
import type { WeightFile } from '../../weights/types.js';
import { cycleDilations, type AeDecoderParams, type AeEncoderParams, type Conv } from '../nsynth/ae.js';
import { UMT, type UmtConfig } from './config.js';

export interface UmtParams {
  config: UmtConfig;
  encoder: AeEncoderParams;
  encoderDilations: number[];
  decoders: AeDecoderParams[];
  decoderDilations: number[];
}

function prefixOf(file: WeightFile, marker: string): string | null {
  for (const name of file.tensors.keys()) if (name.endsWith(marker) && (name === marker || name.endsWith('.' + marker))) return name.slice(0, -marker.length);
  return null;
}

async function conv(file: WeightFile, name: string): Promise<Conv> {
  const we = file.tensors.get(`${name}.weight`), be = file.tensors.get(`${name}.bias`);
  if (!we) throw new WaveGpuError('umt', `${file.name} lacks ${name}.weight`);
  return { w: { data: await we.read(), shape: we.shape }, b: be ? { data: await be.read(), shape: be.shape } : undefined };
}

function count(file: WeightFile, make: (i: number) => string): number {
  let n = 0;
  while (file.tensors.has(make(n))) n++;
  return n;
}

async function readEncoder(file: WeightFile): Promise<AeEncoderParams> {
  const p = prefixOf(file, 'dilated_convs.0.dilated_conv.weight');
  if (p === null) throw new WaveGpuError('umt', `${file.name} has no encoder (…dilated_convs.0.dilated_conv.weight); the first file must be a training checkpoint or an encoder state dict`);
  const n = count(file, (i) => `${p}dilated_convs.${i}.dilated_conv.weight`);
  const layers = [];
  for (let i = 0; i < n; i++) layers.push({ dil: await conv(file, `${p}dilated_convs.${i}.dilated_conv`), res: await conv(file, `${p}dilated_convs.${i}.conv_1x1`) });
  return { start: await conv(file, `${p}start`), layers, bottleneck: await conv(file, `${p}conv_1x1`) };
}

async function readDecoder(file: WeightFile): Promise<AeDecoderParams> {
  const p = prefixOf(file, 'first_conv.weight');
  if (p === null) throw new WaveGpuError('umt', `${file.name} has no WaveNet decoder (…first_conv.weight)`);
  const n = count(file, (i) => `${p}layers.${i}.causal.weight`);
  const layers = [];
  for (let i = 0; i < n; i++) {
    const c = (part: string) => conv(file, `${p}layers.${i}.${part}`);
    layers.push({ dil: await c('causal'), cond: await c('condition'), res: await c('residual'), skip: await c('skip') });
  }
  return {
    start: await conv(file, `${p}first_conv`), skipStart: await conv(file, `${p}skip_conv`), layers,
    out1: await conv(file, `${p}fc`), condOut: await conv(file, `${p}condition`), logits: await conv(file, `${p}logits`),
  };
}

/** Layers per block: the option, else 10 (train.py's default) or 14 (train.sh) when 10 does not divide the count. */
function perBlock(total: number, given: number | undefined, what: string): number {
  const n = given ?? (total % 10 === 0 ? 10 : total % 14 === 0 ? 14 : 0);
  if (!n || total % n !== 0) throw new WaveGpuError('umt', `${total} ${what} layers do not split into blocks of ${given ?? '10 or 14'}; pass the run's --${what === 'decoder' ? 'layers' : 'encoder-layers'} value`);
  return n;
}

/** Reads the shared encoder (first file) and one decoder per file (domain k = file k). */
export async function readUmtParams(files: WeightFile[], o: Partial<UmtConfig> = {}): Promise<UmtParams> {
  if (!files.length) throw new WaveGpuError('umt', 'no checkpoint given; pass one file per decoder domain');
  const encoder = await readEncoder(files[0]);
  const decoders: AeDecoderParams[] = [];
  for (const f of files) decoders.push(await readDecoder(f));
  const total = decoders[0].layers.length;
  if (decoders.some((d) => d.layers.length !== total)) throw new WaveGpuError('umt', `decoders have different depths: ${decoders.map((d) => d.layers.length).join(', ')} layers`);
  const config: UmtConfig = {
    pool: o.pool ?? UMT.pool, sampleRate: o.sampleRate ?? UMT.sampleRate,
    layers: perBlock(total, o.layers, 'decoder'),
    encoderLayers: perBlock(encoder.layers.length, o.encoderLayers, 'encoder'),
  };
  return {
    config, encoder, decoders,
    encoderDilations: cycleDilations(encoder.layers.length, config.encoderLayers),
    decoderDilations: cycleDilations(total, config.layers),
  };
}
