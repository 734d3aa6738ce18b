/** The project's own DDSP instruments (weights/*.safetensors) load and play in tune. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getGpu } from './util/gpu.js';
import { readFile } from './util/io.js';
import { readSafetensors } from '../src/weights/safetensors.js';
import { readOwnDdspWeights } from '../src/models/ddsp/own.js';
import { DdspModel } from '../src/models/ddsp/model.js';
import { yin } from '../src/ops/pitch.js';

const t = suite('ddsp own instruments');

for (const [name, hz, ld] of [['cello', 146.83, -50], ['flute', 523.25, -48]] as [string, number, number][]) {
  t(`${name}: a held ${hz} Hz note comes out within 20 cents`, async () => {
    const gpu = await getGpu();
    const file = await readSafetensors(await readFile(`weights/${name}.safetensors`), name);
    const model = DdspModel.fromWeights(gpu, await readOwnDdspWeights(file));
    const frames = 300;
    const audio = await model.synthesize(new Float32Array(frames).fill(hz), new Float32Array(frames).fill(ld), 1);
    assert.is(audio.length, frames * 64);
    const rms = Math.sqrt(audio.reduce((a, v) => a + v * v, 0) / audio.length);
    assert.ok(rms > 1e-3, `${name} is silent (rms ${rms})`);
    const f0 = await yin(gpu.tensor(audio), { sampleRate: 16000, hop: 64, fmin: 50, fmax: 1500 }).f0.read();
    const inner = Array.from(f0.subarray(40, frames - 40)).sort((a, b) => a - b);
    const median = inner[inner.length >> 1];
    assert.ok(Math.abs(1200 * Math.log2(median / hz)) < 20, `${name}: median f0 ${median} Hz for ${hz} Hz`);
    model.dispose();
  });
}

t.run();
