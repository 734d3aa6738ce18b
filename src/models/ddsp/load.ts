/**
 * Opens a magenta-js DDSP model: a folder (or its model.json) on disk in Node, or a URL in the
 * browser, read with the project's TF.js reader (src/weights/tfjs.ts).
 */
import type { Gpu } from '../../runtime/gpu.js';
import { readTfjs, type FetchFile } from '../../weights/tfjs.js';
import { nodeOpener } from '../../weights/source_node.js';
import { fetchBytes } from '../../weights/source_web.js';
import { DdspModel } from './model.js';
import { readSafetensors } from '../../weights/safetensors.js';
import { readOwnDdspWeights, ownLoudnessPeak } from './own.js';

function split(path: string): { dir: string; json: string } {
  const json = path.endsWith('.json') ? path : `${path.replace(/\/+$/, '')}/model.json`;
  const slash = json.lastIndexOf('/');
  return { dir: slash >= 0 ? json.slice(0, slash) : '.', json: json.slice(slash + 1) };
}

/** Bytes of the files beside model.json, from disk or over HTTP. */
function fetcher(dir: string): FetchFile {
  const inNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (/^https?:\/\//.test(dir)) return (rel) => fetchBytes(new URL(rel, `${dir}/`).href);
  if (!inNode) return (rel) => fetchBytes(new URL(rel, new URL(`${dir}/`, globalThis.location.href)).href);
  const open = nodeOpener(dir);
  return async (rel) => {
    const src = await open(rel);
    try { return await src.read(0, src.size); } finally { await src.close?.(); }
  };
}

/**
 * Loads a DDSP model from `path`: a magenta-js model folder, its model.json, an http(s) URL of
 * either, or one of the project's own instruments (weights/<name>.safetensors).
 */
export async function loadDdsp(gpu: Gpu, path: string): Promise<DdspModel> {
  if (path.endsWith('.safetensors')) return (await loadOwnInstrument(gpu, path)).model;
  const { dir, json } = split(path);
  const fetchFile = fetcher(dir);
  const file = await readTfjs(await fetchFile(json), fetchFile, { name: path });
  return DdspModel.load(gpu, file);
}

/** One of the project's own instruments and the peak loudness (dB) it was trained around. */
export async function loadOwnInstrument(gpu: Gpu, path: string): Promise<{ model: DdspModel; peakDb: number }> {
  const slash = path.lastIndexOf('/');
  const bytes = await fetcher(slash >= 0 ? path.slice(0, slash) : '.')(path.slice(slash + 1));
  const file = await readSafetensors(bytes, path);
  return { model: DdspModel.fromWeights(gpu, await readOwnDdspWeights(file)), peakDb: ownLoudnessPeak(file) };
}
