// Runs wavegpu's DdspModel (src/models/ddsp, unmodified) on the project's safetensors weights,
import 'ROOT/src/node/index.ts';
// with DDSP.channels patched at runtime to the file's width (the one change the TS side needs).
import { readFileSync, writeFileSync } from 'node:fs';
import { createDevice } from 'ROOT/src/runtime/device.js';
import { readSafetensors } from 'ROOT/src/weights/safetensors.js';
import { DDSP } from 'ROOT/src/models/ddsp/config.js';
import { DdspModel } from 'ROOT/src/models/ddsp/model.js';
import type { DdspWeights } from 'ROOT/src/models/ddsp/weights.js';

const [path, f0Path, ldPath, outDir] = process.argv.slice(2);
const file = await readSafetensors(new Uint8Array(readFileSync(path)), path);
const cfg = JSON.parse(file.metadata.config);
const t = async (n: string) => file.tensors.get(n)!.read();
(DDSP as any).channels = cfg.channels;
const layers = [];
for (let i = 0; i < cfg.layers; i++) {
  layers.push({ w: await t(`layers.${i}.weight`), cin: cfg.channels, b: await t(`layers.${i}.bias`), dilation: cfg.dilations[i], gamma: await t(`layers.${i}.gamma`), beta: await t(`layers.${i}.beta`) });
}
const w: DdspWeights = {
  convIn: { w: await t('conv_in.weight'), cin: 2, b: await t('conv_in.bias'), dilation: 1 },
  layers, dense: { w: await t('dense.weight'), b: await t('dense.bias') }, normEps: cfg.normEps,
  features: cfg.features, controls: cfg.controls,
  synth: { harmonicNumbers: await t('synth.harmonic_numbers'), ampWindow: await t('synth.amp_window'), noiseWindow: await t('synth.noise_window'), ...cfg.synth },
};
const gpu = await createDevice();
const model = DdspModel.fromWeights(gpu, w);
const f0 = new Float32Array(readFileSync(f0Path).buffer.slice(0)), ld = new Float32Array(readFileSync(ldPath).buffer.slice(0));
const o = gpu.scope(() => model.forward(gpu.tensor(f0), gpu.tensor(ld), 0));
for (const k of ['audio', 'harmonic', 'amp', 'harm', 'mags'] as const) writeFileSync(`${outDir}/${k}.f32`, await (o as any)[k].read());
console.log('ok');
process.exit(0);
