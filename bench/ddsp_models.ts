/**
 * DDSP weights and inputs shared by bench/cases/ddsp.ts and bench/peers/ddsp.ts: the project's
 * own instruments (weights/<name>.safetensors) and magenta's TF.js models
 * (../shared/weights/magenta-js-ddsp/<instrument>, served to the page at /shared/...), read once
 * per process into CPU arrays (each row's setup uploads its own copy; the harness frees it).
 */
import { readSafetensors } from '../src/weights/safetensors.js';
import { readTfjs } from '../src/weights/tfjs.js';
import { readNpy } from '../src/audio/npy.js';
import { readOwnDdspWeights } from '../src/models/ddsp/own.js';
import { readDdspWeights, type DdspWeights } from '../src/models/ddsp/weights.js';
import { DDSP } from '../src/models/ddsp/config.js';

declare const process: { versions?: { node?: string } } | undefined;
const inNode = typeof process !== 'undefined' && !!process?.versions?.node;

/** Bytes of a repository-relative path ('weights/x', '../shared/weights/x'), or null when absent. */
export async function tryFetchBytes(path: string): Promise<Uint8Array | null> {
  if (inNode) {
    const fs = await import('node:fs');
    return fs.existsSync(path) ? new Uint8Array(fs.readFileSync(path)) : null;
  }
  const res = await fetch(path.startsWith('../shared/') ? '/' + path.slice(3) : '/' + path);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

const cache = new Map<string, Promise<DdspWeights>>();

/** The project's own instrument ('cello', 'flute'). */
export function ownWeights(name: string): Promise<DdspWeights> {
  const path = `weights/${name}.safetensors`;
  if (!cache.has(path)) {
    cache.set(path, (async () => {
      const bytes = await tryFetchBytes(path);
      if (!bytes) throw new Error(`${path} is missing (it is committed; train it with weights/train_ddsp.py ${name})`);
      return readOwnDdspWeights(await readSafetensors(bytes, path));
    })());
  }
  return cache.get(path)!;
}

export const MAGENTA_DIR = '../shared/weights/magenta-js-ddsp';

/** A magenta-js model; rejects with 'skipped: ...' when ../shared is not beside the checkout. */
export function magentaWeights(instrument: string): Promise<DdspWeights> {
  const dir = `${MAGENTA_DIR}/${instrument}`;
  if (!cache.has(dir)) {
    cache.set(dir, (async () => {
      const json = await tryFetchBytes(`${dir}/model.json`);
      if (!json) throw new Error(`skipped: ${dir}/model.json is absent (magenta's published checkpoints live beside the repo, see ../shared/weights/README.md)`);
      const file = await readTfjs(json, async (rel) => {
        const b = await tryFetchBytes(`${dir}/${rel}`);
        if (!b) throw new Error(`${dir}/${rel} is missing`);
        return b;
      }, { name: dir });
      return readDdspWeights(file);
    })());
  }
  return cache.get(dir)!;
}

/** magenta-range bench input (the synthetic rows and the violin): 311-622 Hz glide, -70..-50 dB. */
export function violinInput(): { f0: Float32Array; ld: Float32Array } {
  return {
    f0: Float32Array.from({ length: DDSP.frames }, (_, j) => 440 * 2 ** (Math.sin(j / 60) / 2)),
    ld: Float32Array.from({ length: DDSP.frames }, (_, j) => -60 + 10 * Math.sin(j / 40)),
  };
}

/** Cello-range bench input, the same formula as scripts/bench/ddsp_onnx.py check_input(): 139-277 Hz, -65..-45 dB. */
export function celloInput(): { f0: Float32Array; ld: Float32Array } {
  return {
    f0: Float32Array.from({ length: DDSP.frames }, (_, j) => 196 * 2 ** (Math.sin(j / 60) / 2)),
    ld: Float32Array.from({ length: DDSP.frames }, (_, j) => -55 + 10 * Math.sin(j / 40)),
  };
}

export const ONNX_COMMAND = (name: string) => `/usr/bin/python3 scripts/bench/ddsp_onnx.py ${name}`;

/**
 * The ONNX export of an own instrument's decoder and its check arrays (made by
 * scripts/bench/ddsp_onnx.py); throws naming that command when any file is missing.
 */
export async function onnxFixture(name: string): Promise<{ onnx: Uint8Array; f0: Float32Array; ld: Float32Array; controls: Float32Array }> {
  const base = `bench/fixtures/ddsp_${name}`;
  const files = [`${base}_decoder.onnx`, `${base}_check_f0.npy`, `${base}_check_ld.npy`, `${base}_check_controls.npy`];
  const got = await Promise.all(files.map(tryFetchBytes));
  const missing = files.filter((_, i) => !got[i]);
  if (missing.length) throw new Error(`${missing.join(', ')} missing: run ${ONNX_COMMAND(name)}`);
  const [onnx, f0, ld, controls] = got as Uint8Array[];
  return { onnx, f0: readNpy(f0).data as Float32Array, ld: readNpy(ld).data as Float32Array, controls: readNpy(controls).data as Float32Array };
}
