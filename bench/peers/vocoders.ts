/**
 * onnxruntime-web peers of the vocoder rows (bench/cases/vocoders.ts), in the Chromium page:
 * each vocoder exported at full size by scripts/bench/vocoders_onnx.py (Debian PyTorch, weight
 * norm folded, dynamic time axis, the bench's own random checkpoints, so both sides compute the
 * same thing), run by the WebGPU and the WASM backends on the bench mel, end to end (upload the
 * mel (and PWG's noise), run, read the audio back), next to wavegpu end to end in the same page.
 *
 *   1 s rows: peerOf the page's wavegpu end-to-end row '<label> 1 s (...) upload+run+read'.
 *   10 s rows: peerOf the compute-only case row (bench/cases/vocoders.ts): a second end-to-end
 *     wavegpu run of 10 s costs minutes here, and upload + readback are < 0.1% of it.
 *
 * Before timing, each side runs the export's check input (CHECK_FRAMES random frames) and is
 * compared with PyTorch's float64 output there: wavegpu (not for Multi-band MelGAN, whose wavegpu
 * rows run the real TF.js weights while the export has random ones of the same architecture) and
 * each backend; more than TOL (relative L2 or max |diff| / max |y|) is an error row.
 *
 * Time caps (SwiftShader is slow, onnxruntime-web's WebGPU backend much slower still): the check
 * run's time (second run when the first was under 10 s), scaled to 1 s, predicts the 1 s run; a
 * prediction over CAP_1S_MS, or a 1 s run over CAP_10S_FROM_1S_MS (10 s would take 10x), gives
 * an explicit 'skipped: ...' error row instead. 1 s rows predicted under 15 s get a warm-up run at
 * that shape, under 5 s the median of the vocoder's reps; 10 s rows are one run.
 */
import type { Gpu } from '../../src/runtime/gpu.js';
import type { Tensor } from '../../src/runtime/tensor.js';
import type { BenchRow } from '../harness.js';
import { readNpy } from '../../src/audio/npy.js';
import { ORT_URL, diff, fmtDiff, loadOrt, timeIt } from './_util.js';
import { VOCODERS, DURATIONS, caseName, benchMel, fetchBytes, loadBenchVocoder, type VocoderSpec } from '../cases/vocoders.js';

const ONNX_CMD = '/usr/bin/python3 scripts/bench/vocoders_onnx.py (after /usr/bin/python3 scripts/fixtures/vocoders.py --full bench/fixtures)';
const TOL = 1e-4;
const CHECK_FRAMES = 8;
const CAP_1S_MS = 180e3;
const CAP_10S_FROM_1S_MS = 15e3;
const HOP = 256, SR = 22050;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

const ok = (d: { rel: number; max: number }) => d.rel <= TOL && d.max <= TOL;

/** Deterministic N(0, 1) noise (PWG's z) for both sides. */
function noise(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const u = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 0.5) / 4294967296; };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u())), t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

const e2eName = (v: VocoderSpec, tag: string, frames: number) => caseName(v.label, tag, frames).replace(/\)$/, ', upload+run+read)');
const ortName = (v: VocoderSpec, tag: string, frames: number, ep: string) => `${caseName(v.label, tag, frames)}: onnxruntime-web ${ep}`;

export async function peerRows(gpu: Gpu, platform: string, filter: string): Promise<BenchRow[]> {
  if (platform !== 'chromium') return [];
  const want = (name: string) => !filter || `vocoders ${name}`.includes(filter);
  const rows: BenchRow[] = [];
  const sec = (frames: number) => (frames * HOP) / SR;
  let flopsPerFrame = 0; // of the vocoder at hand (wavegpu's count, 2 x multiply-adds)
  const push = (name: string, frames: number, ms: number, extra: Partial<BenchRow> = {}) => {
    const r: BenchRow = { family: 'vocoders', name, platform, ms, realtime: sec(frames) / (ms / 1e3), ...extra };
    if (flopsPerFrame) r.gflops = (flopsPerFrame * frames) / (ms / 1e3) / 1e9;
    rows.push(r);
    console.log(`vocoder peers: ${name}: ${(ms / 1e3).toFixed(2)} s (${r.realtime!.toFixed(3)}x real time)`);
  };
  const fail = (name: string, msg: string, extra: Partial<BenchRow> = {}) => {
    rows.push({ family: 'vocoders', name, platform, ms: NaN, error: msg, ...extra });
    console.log(`vocoder peers: ${name}: ${msg}`);
  };
  const errMsg = (e: unknown) => (e as Error).message.split('\n')[0];

  let ort: any = null, ortError = '';
  for (const v of VOCODERS) {
    const names = DURATIONS.flatMap(({ tag, frames }) => [e2eName(v, tag, frames), ...['webgpu', 'wasm'].map((ep) => ortName(v, tag, frames, ep))]);
    if (!names.some(want)) continue;
    const [d1] = DURATIONS; // 1 s
    flopsPerFrame = 0;
    // Fixtures.
    let onnx: Uint8Array, checkMel: Float32Array, checkY: Float32Array, checkZ: Float32Array | null = null;
    try {
      const npy = async (f: string) => readNpy(await fetchBytes(`bench/fixtures/${f}`)).data as Float32Array;
      onnx = await fetchBytes(`bench/fixtures/${v.peer}.onnx`);
      checkMel = await npy(`${v.peer}_check_mel.npy`);
      checkY = await npy(`${v.peer}_check_y.npy`);
      if (v.kind === 'pwg') checkZ = await npy('pwg_check_z.npy');
    } catch (e) {
      fail(names.find(want)!, `peer fixtures missing (${errMsg(e)}): run ${ONNX_CMD}`);
      continue;
    }
    let model;
    try { model = await loadBenchVocoder(gpu, v); } catch (e) { fail(e2eName(v, d1.tag, d1.frames), errMsg(e)); continue; }
    const temps: Tensor[] = [];
    try {
      const nMels = model.nMels;
      flopsPerFrame = 2 * model.macsPerSample * model.hop;
      // wavegpu on the check input, against PyTorch (same weights except Multi-band MelGAN).
      const wavegpuOn = async (mel: Float32Array, melT: Tensor, z: Float32Array | null, zT: Tensor | null) => gpu.scope(() => {
        gpu.write(melT, mel);
        if (zT && z) gpu.write(zT, z);
        return model!.forward(melT, zT ? { noise: zT } : {}).read();
      }) as Promise<Float32Array>;
      const cMelT = gpu.tensor(checkMel, [nMels, CHECK_FRAMES]);
      const cZT = checkZ ? gpu.tensor(checkZ) : null;
      temps.push(cMelT, ...(cZT ? [cZT] : []));
      let wavegpuCheck: Float32Array | null = null;
      if (v.kind !== 'mbmelgan') {
        wavegpuCheck = await wavegpuOn(checkMel, cMelT, checkZ, cZT);
        const d = diff(wavegpuCheck, checkY);
        console.log(`vocoder peers: ${v.label}: wavegpu vs PyTorch (float64) on the ${CHECK_FRAMES}-frame check input: ${fmtDiff(d)}`);
        if (!ok(d)) fail(`${v.label}: wavegpu vs PyTorch check`, `wavegpu and PyTorch disagree on the check input (${fmtDiff(d)}, tolerance ${TOL})`);
      }

      // wavegpu end to end, 1 s.
      const mel1 = benchMel(nMels, d1.frames), z1 = v.kind === 'pwg' ? noise(d1.frames * HOP, 1) : null;
      const e2e1 = e2eName(v, d1.tag, d1.frames);
      if (want(e2e1) || ['webgpu', 'wasm'].some((ep) => want(ortName(v, d1.tag, d1.frames, ep)))) {
        const melT = gpu.tensor(mel1, [nMels, d1.frames]), zT = z1 ? gpu.tensor(z1) : null;
        temps.push(melT, ...(zT ? [zT] : []));
        push(e2e1, d1.frames, await timeIt(() => wavegpuOn(mel1, melT, z1, zT), v.reps));
      }

      // onnxruntime-web.
      if (!ort && !ortError) {
        try {
          ort = await loadOrt();
        } catch (e) { ortError = `onnxruntime-web did not load from ${ORT_URL}: ${errMsg(e)}`; }
      }
      for (const ep of ['webgpu', 'wasm']) {
        const durNames = DURATIONS.map(({ tag, frames }) => ortName(v, tag, frames, ep));
        if (!durNames.some(want)) continue;
        const peerFor = (i: number) => ({ runtime: `onnxruntime-web ${ep}`, peerOf: i === 0 ? e2e1 : caseName(v.label, DURATIONS[i].tag, DURATIONS[i].frames) });
        if (ortError) { fail(durNames.find(want)!, ortError, peerFor(0)); continue; }
        let session: any = null;
        try {
          session = await ort.InferenceSession.create(onnx, { executionProviders: [ep] });
          const feeds = (mel: Float32Array, z: Float32Array | null, frames: number) => ({
            mel: new ort.Tensor('float32', mel, [1, nMels, frames]),
            ...(z ? { z: new ort.Tensor('float32', z, [1, 1, frames * HOP]) } : {}),
          });
          const run = async (f: ReturnType<typeof feeds>) => { const out = await session.run(f); return (await out.y.getData()) as Float32Array; };
          // Check input (also the predictor of the 1 s time; run twice when cheap, to leave shader compilation out).
          const cf = feeds(checkMel, checkZ, CHECK_FRAMES);
          let [tCheck, yCheck] = await timed(() => run(cf));
          if (tCheck < 10e3) [tCheck, yCheck] = await timed(() => run(cf));
          const dT = diff(yCheck, checkY);
          const dW = wavegpuCheck ? diff(yCheck, wavegpuCheck) : null;
          console.log(`vocoder peers: ${v.label}: onnxruntime-web ${ep} on the check input vs PyTorch ${fmtDiff(dT)}${dW ? `, vs wavegpu ${fmtDiff(dW)}` : ''}; ${(tCheck / 1e3).toFixed(2)} s`);
          if (!ok(dT) || (dW && !ok(dW))) throw new Error(`onnxruntime-web ${ep} disagrees on the check input (vs PyTorch ${fmtDiff(dT)}${dW ? `, vs wavegpu ${fmtDiff(dW)}` : ''}, tolerance ${TOL})`);
          const est1 = (tCheck * d1.frames) / CHECK_FRAMES;
          let t1 = NaN;
          if (want(durNames[0]) || want(durNames[1])) {
            if (est1 > CAP_1S_MS) {
              fail(durNames[0], `skipped: the ${CHECK_FRAMES}-frame check run took ${(tCheck / 1e3).toFixed(1)} s, so 1 s would take ~${(est1 / 1e3).toFixed(0)} s (cap ${CAP_1S_MS / 1e3} s)`, peerFor(0));
            } else {
              const f1 = feeds(mel1, z1, d1.frames);
              // Cheap rows: a warm-up at this shape, then v.reps runs; slow rows: one run (no warm-up
              // at this shape: it includes compiling the shape's shaders, seconds against minutes).
              t1 = await timeIt(() => run(f1), est1 < 5e3 ? v.reps : 1, est1 < 15e3);
              if (want(durNames[0])) push(durNames[0], d1.frames, t1, peerFor(0));
            }
          }
          for (let i = 1; i < DURATIONS.length; i++) {
            if (!want(durNames[i])) continue;
            const { frames } = DURATIONS[i];
            const base = Number.isNaN(t1) ? est1 : t1;
            if (base > CAP_10S_FROM_1S_MS) {
              fail(durNames[i], `skipped: 1 s ${Number.isNaN(t1) ? 'would take ~' : 'took '}${(base / 1e3).toFixed(1)} s, so ${DURATIONS[i].tag} would take ~${((base * frames) / d1.frames / 1e3).toFixed(0)} s`, peerFor(i));
              continue;
            }
            const melN = benchMel(nMels, frames), zN = v.kind === 'pwg' ? noise(frames * HOP, 1) : null;
            const fN = feeds(melN, zN, frames);
            push(durNames[i], frames, (await timed(() => run(fN)))[0], peerFor(i));
          }
        } catch (e) {
          fail(durNames.find(want)!, errMsg(e), peerFor(0));
        } finally {
          if (session) await session.release();
        }
      }
    } catch (e) {
      fail(e2eName(v, d1.tag, d1.frames), errMsg(e));
    } finally {
      for (const t of temps) t.dispose();
      model.dispose();
    }
  }
  return rows;
}
