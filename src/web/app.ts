/**
 * The browser demo: renders the Bach prelude on the GPU with the chosen instrument, plays it
 * through Web Audio and draws its rainbowgram (STFT and instantaneous frequency on the GPU).
 */
import { createDevice } from '../runtime/device.js';
import type { Gpu } from '../runtime/gpu.js';
import { bachPrelude } from '../music/bach_prelude.js';
import { renderNotes } from '../demo/additive.js';
import { renderWithDdsp } from '../demo/instrument.js';
import { loadOwnInstrument } from '../models/ddsp/load.js';
import { audioPicture } from '../audio/picture.js';

interface Instrument {
  label: string;
  render(gpu: Gpu): Promise<{ audio: Float32Array; sampleRate: number }>;
}

/** The project's own DDSP instruments, fetched from weights/ beside the page's server root. */
function own(name: string, label: string): Instrument {
  return {
    label,
    async render(gpu) {
      const { model, peakDb } = await loadOwnInstrument(gpu, `/weights/${name}.safetensors`);
      try { return await renderWithDdsp(model, bachPrelude(), { peak: peakDb }); } finally { model.dispose(); }
    },
  };
}

const INSTRUMENTS: Record<string, Instrument> = {
  cello: own('cello', 'Cello (DDSP, trained on FluidR3)'),
  flute: own('flute', 'Flute (DDSP, trained on FluidR3)'),
  additive: { label: 'Additive cello (no network)', render: (gpu) => renderNotes(gpu, bachPrelude()) },
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function drawRainbowgram(gpu: Gpu, audio: Float32Array, canvas: HTMLCanvasElement): Promise<void> {
  const pic = await gpu.scope(() => audioPicture(gpu.tensor(audio)));
  canvas.width = pic.width; canvas.height = pic.height;
  canvas.getContext('2d')!.putImageData(new ImageData(pic.rgba as Uint8ClampedArray<ArrayBuffer>, pic.width, pic.height), 0, 0);
}

async function main(): Promise<void> {
  const status = $('status'), select = $<HTMLSelectElement>('instrument');
  for (const [key, inst] of Object.entries(INSTRUMENTS)) select.add(new Option(inst.label, key));
  let gpu: Gpu;
  try {
    gpu = await createDevice();
  } catch (e) {
    status.textContent = (e as Error).message;
    return;
  }
  status.textContent = `GPU: ${gpu.describe()}`;
  const ctx = new AudioContext();
  $('play').addEventListener('click', async () => {
    const inst = INSTRUMENTS[select.value];
    status.textContent = `rendering with ${inst.label}...`;
    const t0 = performance.now();
    const { audio, sampleRate } = await inst.render(gpu);
    const secs = (performance.now() - t0) / 1000, dur = audio.length / sampleRate;
    status.textContent = `${dur.toFixed(1)} s of audio rendered in ${secs.toFixed(2)} s (${(dur / secs).toFixed(1)}x real time) on ${gpu.describe()}`;
    const buf = ctx.createBuffer(1, audio.length, sampleRate);
    buf.copyToChannel(audio as Float32Array<ArrayBuffer>, 0);
    const src = ctx.createBufferSource();
    src.buffer = buf;
    src.connect(ctx.destination);
    await ctx.resume();
    src.start();
    await drawRainbowgram(gpu, audio, $<HTMLCanvasElement>('rainbow'));
    (globalThis as { __WAVEGPU_RENDERED?: number }).__WAVEGPU_RENDERED = dur;
  });
}

main();
