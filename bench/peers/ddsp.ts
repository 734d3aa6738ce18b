/**
 * Peers of the project's own DDSP cello (weights/cello.safetensors, 64 ch, 8 layers):
 * onnxruntime-web (WebGPU and WASM backends, in the Chromium page) on the decoder exported from
 * the PyTorch recipe model by scripts/bench/ddsp_onnx.py (f0, loudness -> the dense control head,
 * [1, 1250, 126] incl. its bias), next to the same decoder on wavegpu, end to end on both sides:
 * upload the inputs, run, read the controls back (what a page does). Also the whole model
 * end to end (DdspModel.synthesize, 5 s), the peer of bench/peers/ddsp.py's PyTorch synthesize().
 * Magenta's models are TF.js graphs with no PyTorch version, so there is no export for them.
 *
 * Before timing, the outputs are compared on the check input the export wrote: wavegpu (+ the
 * dense bias) against PyTorch, and each onnxruntime backend against wavegpu; a backend that
 * differs by more than 1e-4 (relative L2 or max |diff| / max |y|) gets an error row.
 */
import type { Gpu } from '../../src/runtime/gpu.js';
import type { BenchRow } from '../harness.js';
import { DdspModel } from '../../src/models/ddsp/model.js';
import { DDSP, SAMPLES } from '../../src/models/ddsp/config.js';
import { celloInput, onnxFixture, ownWeights } from '../ddsp_models.js';
import { diff, fmtDiff, loadOrt, timeIt } from './_util.js';

const SECONDS = SAMPLES / DDSP.sampleRate;
const TOL = 1e-4;

/** Row names (bench/peers/ddsp.py names the same ones in peerOf). */
export const DECODER_ROW = `own cello decoder, ${DDSP.frames} frames -> controls (upload+run+read)`;
export const WHOLE_ROW = `own cello whole model, 5 s (upload+run+read)`;


export async function peerRows(gpu: Gpu, platform: string, filter: string): Promise<BenchRow[]> {
  const want = (name: string) => !filter || `ddsp ${name}`.includes(filter);
  const ortName = (ep: string) => DECODER_ROW.replace(' (upload', `: onnxruntime-web ${ep} (upload`);
  const ortWanted = platform === 'chromium' && (want(ortName('webgpu')) || want(ortName('wasm')));
  if (!want(DECODER_ROW) && !want(WHOLE_ROW) && !ortWanted) return [];
  const rows: BenchRow[] = [];
  const row = (name: string, ms: number, extra: Partial<BenchRow> = {}): BenchRow =>
    ({ family: 'ddsp', name, platform, ms, realtime: Number.isFinite(ms) ? SECONDS / (ms / 1e3) : undefined, ...extra });
  const fail = (name: string, e: unknown, extra: Partial<BenchRow> = {}) => rows.push({ family: 'ddsp', name, platform, ms: NaN, error: (e as Error).message.split('\n')[0], ...extra });

  let m: DdspModel;
  try { m = DdspModel.fromWeights(gpu, await ownWeights('cello')); } catch (e) { fail(DECODER_ROW, e); return rows; }
  const temps: { dispose(): void }[] = [];
  try {
    // The check input and PyTorch's output on it (scripts/bench/ddsp_onnx.py); without them the
    // wavegpu rows still run, on the same formula (bench/ddsp_models.ts celloInput).
    let fx: Awaited<ReturnType<typeof onnxFixture>> | null = null, fxError: unknown = null;
    try { fx = await onnxFixture('cello'); } catch (e) { fxError = e; console.log(`ddsp peers: ${(e as Error).message}`); }
    const { f0, ld } = fx ?? celloInput();
    const fT = gpu.tensor(f0), lT = gpu.tensor(ld);
    temps.push(fT, lT);
    const bias = m.weights.dense.b, W = bias.length;
    const wavegpuDecoder = () => gpu.scope(() => { gpu.write(fT, f0); gpu.write(lT, ld); return m.decoder(fT, lT).read(); });

    let ours: Float32Array | null = null;
    if (want(DECODER_ROW) || ortWanted) {
      const raw = (await wavegpuDecoder()) as Float32Array;
      const sum = raw.map((v, i) => v + bias[i % W]); // decoder() stops before the dense bias; the export includes it
      if (fx) console.log(`ddsp peers [${platform}]: wavegpu cello decoder vs PyTorch on the check input: ${fmtDiff(diff(sum, fx.controls))}`);
      ours = sum;
    }
    if (want(DECODER_ROW)) rows.push(row(DECODER_ROW, await timeIt(wavegpuDecoder, 5)));
    if (want(WHOLE_ROW)) rows.push(row(WHOLE_ROW, await timeIt(() => m.synthesize(f0, ld, 1), 5)));

    if (ortWanted && ours) {
      let ort: any = null;
      try {
        ort = await loadOrt();
      } catch (e) { fail(`${DECODER_ROW}: onnxruntime-web`, e); }
      for (const ep of ort ? ['webgpu', 'wasm'] : []) {
        const name = ortName(ep);
        const peer = { runtime: `onnxruntime-web ${ep}`, peerOf: DECODER_ROW };
        if (!want(name)) continue;
        if (!fx) { fail(name, fxError, peer); continue; }
        try {
          const session = await ort.InferenceSession.create(fx.onnx, { executionProviders: [ep] });
          const feeds = { f0_hz: new ort.Tensor('float32', f0, [1, DDSP.frames]), loudness_db: new ort.Tensor('float32', ld, [1, DDSP.frames]) };
          const run = async () => { const out = await session.run(feeds); return (await out.controls.getData()) as Float32Array; };
          const d = diff(await run(), ours);
          console.log(`ddsp peers [${platform}]: onnxruntime-web ${ep} vs wavegpu, cello decoder: ${fmtDiff(d)}`);
          if (!(d.rel <= TOL && d.max <= TOL)) throw new Error(`onnxruntime-web ${ep} and wavegpu disagree on the check input (${fmtDiff(d)}, tolerance ${TOL})`);
          rows.push(row(name, await timeIt(run, 5), peer));
          await session.release();
        } catch (e) { fail(name, e, peer); }
      }
    }
  } catch (e) {
    fail(DECODER_ROW, e);
  } finally { for (const t of temps) t.dispose(); m.dispose(); }
  return rows;
}
