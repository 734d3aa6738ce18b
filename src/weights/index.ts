/** Weight readers and writers: safetensors, PyTorch (zip + legacy), TF.js, TF checkpoints, NAM. */
export type { DType, TensorEntry, WeightFile, ByteSource, FileOpener, ProgressFn } from './types.js';
export { DTYPE_SIZE } from './types.js';
export { bytesSource, withProgress, readAll } from './bytes.js';
export { decodeToF32, decodeToI32, encodeFloat, f16BitsToNumber, numberToF16Bits, numberToBf16Bits } from './dtype.js';
export { readSafetensors, writeSafetensors, type RawTensor } from './safetensors.js';
export { readTorchZip, readTorchLegacy, type TorchOptions } from './torch.js';
export { readTfjs, type TfjsWeightFile, type FetchFile } from './tfjs.js';
export type { TfjsGraph, GraphNode, AttrValue } from './tfjs_graph.js';
export { readTfCheckpoint, checkpointPrefix, shardName } from './tfckpt.js';
export { readNam, namWaveNetLayout, namWaveNetCount, checkNamWaveNet, type NamWeightFile, type NamSlice } from './nam.js';
export { inspectWeights, formatInspect, convertToSafetensors, renameTensor, type InspectRow, type ConvertOptions } from './convert.js';
export { loadWeights, sniffFormat, type LoadOptions, type WeightFormat } from './load.js';
export { blobSource, fetchBytes, urlSource, urlOpener } from './source_web.js';
export { uploadWeights, type UploadOptions } from './upload.js';
