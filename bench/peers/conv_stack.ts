/**
 * The peer benchmark, run in the same Chromium page as wavegpu: a 16-layer
 * Conv1d(64, 64, k=3, padding=1) stack on [1, 64, 16384] (bench/fixtures/conv_stack.onnx, made by
 * scripts/bench/conv_stack_onnx.py with Debian's PyTorch) under onnxruntime-web's WebGPU and WASM
 * backends, next to the same stack (same weights) on wavegpu. Times are medians of end-to-end
 * runs: upload the input, run, read the output back (what a page does), plus wavegpu compute-only.
 */
import type { Gpu } from '../../src/runtime/gpu.js';
import type { BenchRow } from '../harness.js';
import { convStack, loadConvStack, STACK } from '../conv_stack.js';
import { loadOrt, timeIt } from './_util.js';


function row(name: string, ms: number, extra: Partial<BenchRow> = {}): BenchRow {
  return { family: 'peer', name, platform: 'chromium', ms, gflops: STACK.flops / (ms / 1e3) / 1e9, ...extra };
}

export async function peerRows(gpu: Gpu, platform: string, filter: string): Promise<BenchRow[]> {
  if (platform !== 'chromium') return []; // onnxruntime-web's WebGPU backend needs the page
  if (filter && !'peer conv_stack'.includes(filter) && !filter.includes('peer')) return [];
  const rows: BenchRow[] = [];
  const reps = 5;
  const x = new Float32Array(STACK.channels * STACK.length);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 0.5;
  const weights = await loadConvStack(gpu);
  const xT = gpu.tensor(x, [1, STACK.channels, STACK.length]);
  rows.push(row('wavegpu conv stack (compute only)', await timeIt(async () => { gpu.scope(() => convStack(weights, xT)); await gpu.sync(); }, reps)));
  rows.push(row('wavegpu conv stack (upload+run+read)', await timeIt(() => gpu.scope(() => { gpu.write(xT, x); return convStack(weights, xT).read(); }), reps)));
  const ort = await loadOrt();
  const model = new Uint8Array(await (await fetch('/bench/fixtures/conv_stack.onnx')).arrayBuffer());
  for (const ep of ['webgpu', 'wasm']) {
    try {
      const session = await ort.InferenceSession.create(model, { executionProviders: [ep] });
      const feeds = { x: new ort.Tensor('float32', x, [1, STACK.channels, STACK.length]) };
      const ms = await timeIt(async () => { const out = await session.run(feeds); await out.y.getData(); }, reps);
      rows.push(row(`onnxruntime-web ${ep} conv stack (upload+run+read)`, ms, { runtime: `onnxruntime-web ${ep}`, peerOf: 'wavegpu conv stack (upload+run+read)' }));
      await session.release();
    } catch (e) {
      rows.push({ family: 'peer', name: `onnxruntime-web ${ep} conv stack`, platform: 'chromium', ms: NaN, error: (e as Error).message.split('\n')[0] });
    }
  }
  return rows;
}
