"""Exports the network part of one of the project's own DDSP instruments (the decoder:
f0 [1, 1250] Hz, loudness [1, 1250] dB -> the dense control head [1, 1250, 126] incl. its bias,
before exp_sigmoid) to ONNX (opset 13) for the onnxruntime-web peer rows of bench/peers/ddsp.ts,
plus a check input and the PyTorch output on it. The PyTorch model is weights/ddsp_train/model.py
(the recipe that trained the weights), loaded from weights/<instrument>.safetensors.
Magenta's models have no PyTorch version (TF.js graphs only), so there is no export for them.

Run: /usr/bin/python3 scripts/bench/ddsp_onnx.py [cello]
writes bench/fixtures/ddsp_<instrument>_decoder.onnx and ddsp_<instrument>_check_{f0,ld,controls}.npy
"""
import json
import os
import sys

import numpy as np
import torch

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
sys.path.insert(0, os.path.join(root, 'weights'))
from ddsp_train.model import Decoder, load_from_state, read_safetensors  # noqa: E402

FRAMES = 1250


def check_input():
    """The bench input (also what bench/peers/ddsp.py times): a slow cello-range glide and swell."""
    j = np.arange(FRAMES, dtype=np.float64)
    f0 = 196.0 * 2.0 ** (np.sin(j / 60.0) / 2.0)   # 139..277 Hz
    ld = -55.0 + 10.0 * np.sin(j / 40.0)            # -65..-45 dB
    return f0.astype(np.float32)[None], ld.astype(np.float32)[None]


def load_decoder(instrument):
    t, meta = read_safetensors(os.path.join(root, 'weights', f'{instrument}.safetensors'))
    cfg = json.loads(meta['config'])
    model = Decoder(channels=cfg['channels'], layers=cfg['layers'], harmonics=cfg['harmonics'], bands=cfg['noiseBands'], kernel=cfg['kernel'])
    if model.dilations != cfg['dilations']:
        raise SystemExit(f'{instrument}: dilations {cfg["dilations"]} differ from the recipe model {model.dilations}')
    load_from_state(model, t)
    return model.eval()


def main():
    instrument = sys.argv[1] if len(sys.argv) > 1 else 'cello'
    out = os.path.join(root, 'bench', 'fixtures')
    os.makedirs(out, exist_ok=True)
    model = load_decoder(instrument)
    f0, ld = check_input()
    ft, lt = torch.from_numpy(f0), torch.from_numpy(ld)
    with torch.no_grad():
        y = model(ft, lt).numpy()
    path = os.path.join(out, f'ddsp_{instrument}_decoder.onnx')
    # Fixed 1250 frames: the decoder's layer norms span the whole input, so the length is part of the model.
    torch.onnx.export(model, (ft, lt), path, opset_version=13, input_names=['f0_hz', 'loudness_db'], output_names=['controls'])
    np.save(os.path.join(out, f'ddsp_{instrument}_check_f0.npy'), f0)
    np.save(os.path.join(out, f'ddsp_{instrument}_check_ld.npy'), ld)
    np.save(os.path.join(out, f'ddsp_{instrument}_check_controls.npy'), y.astype(np.float32))
    print(f'wrote {os.path.relpath(path, root)} ({os.path.getsize(path)} bytes) and its check arrays; controls {y.shape}, |y| max {np.abs(y).max():.3f}')


if __name__ == '__main__':
    main()
