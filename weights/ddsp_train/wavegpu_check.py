#!/usr/bin/python3
"""Runs a trained instrument through wavegpu's own DdspModel (WebGPU; SwiftShader on CPU machines)
and compares it with the PyTorch model of the recipe on one held-out clip:
  decoder controls (amp, harmonic amplitudes, noise magnitudes): relative L2 error;
  harmonic audio: multi-scale log-spectral distance (phases drift apart: wavegpu accumulates them in
  f32 chunks as magenta's graph does, torch in float64), and the full wavegpu output's spectral
  distance to the real FluidR3 render.
  /usr/bin/python3 weights/ddsp_train/wavegpu_check.py weights/cello.safetensors cello
Needs node, the repo's node_modules (esbuild, webgpu) and src/models/ddsp."""
import json, os, subprocess, sys, tempfile
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'weights'))
from ddsp_train.data import make_clips  # noqa: E402
from ddsp_train.model import Decoder, controls, filtered_noise, harmonic_synth, load_from_state, read_safetensors, spectral_loss  # noqa: E402
from train_ddsp import DATA_SEED  # noqa: E402


def log_dist(a, b):
    tot = 0.0
    for n in (2048, 1024, 512, 256, 128, 64):
        w = torch.hann_window(n)
        sa = torch.stft(torch.from_numpy(a)[None], n, n // 4, window=w, return_complex=True).abs()
        sb = torch.stft(torch.from_numpy(b)[None], n, n // 4, window=w, return_complex=True).abs()
        tot += (torch.log(sa + 1e-7) - torch.log(sb + 1e-7)).abs().mean().item()
    return tot


def main():
    path, inst = os.path.abspath(sys.argv[1]), sys.argv[2]
    torch.set_num_threads(1)
    t, meta = read_safetensors(path)
    cfg = json.loads(meta['config'])
    m = Decoder(cfg['channels'], cfg['layers'], cfg['harmonics'], cfg['noiseBands'])
    load_from_state(m, t)
    audio, f0, ld, _, _ = make_clips(inst, 1, DATA_SEED[inst] + 555, [70])
    with tempfile.TemporaryDirectory() as d:
        f0[0].astype('<f4').tofile(f'{d}/f0.f32')
        ld[0].astype('<f4').tofile(f'{d}/ld.f32')
        src = open(os.path.join(HERE, 'wavegpu_check.ts')).read().replace('ROOT', ROOT)
        open(f'{d}/check.ts', 'w').write(src)
        os.symlink(os.path.join(ROOT, 'node_modules'), f'{d}/node_modules')
        subprocess.run(['node', '-e', "require('esbuild').buildSync({entryPoints:[process.argv[1]],outfile:process.argv[2],bundle:true,"
                        "format:'esm',platform:'node',target:'es2022',external:['webgpu'],logLevel:'warning'})", f'{d}/check.ts', f'{d}/check.mjs'],
                       check=True, cwd=ROOT)
        subprocess.run(['node', f'{d}/check.mjs', path, f'{d}/f0.f32', f'{d}/ld.f32', d], check=True)
        g = {k: np.fromfile(f'{d}/{k}.f32', '<f4') for k in ('audio', 'harmonic', 'amp', 'harm', 'mags')}
    f, l = torch.from_numpy(f0), torch.from_numpy(ld)
    with torch.no_grad():
        amp, harm, mags = controls(m(f, l), f, m.H)
        h = harmonic_synth(f, harm)[0].numpy()
        y = h + filtered_noise(mags, torch.Generator().manual_seed(0))[0].numpy()
    rel = lambda a, b: float(np.linalg.norm(a - b) / np.linalg.norm(b))
    x = audio[0]
    ms = lambda a: spectral_loss(torch.from_numpy(a)[None], torch.from_numpy(x)[None]).item()
    print(json.dumps({
        'instrument': inst,
        'rel_l2_amp': rel(g['amp'], amp[0].numpy()), 'rel_l2_harm': rel(g['harm'], harm[0].numpy().ravel()),
        'rel_l2_noise_mags': rel(g['mags'][0::2], mags[0].numpy().ravel()),
        'log_spectral_distance_harmonic_wavegpu_vs_torch': round(log_dist(g['harmonic'], h), 4),
        'spectral_distance_to_real_wavegpu': round(ms(g['audio']), 3), 'spectral_distance_to_real_torch': round(ms(y), 3),
    }, indent=1))


if __name__ == '__main__':
    main()
