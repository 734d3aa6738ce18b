"""PyTorch CPU peers of the project's own DDSP cello (weights/cello.safetensors), on the PyTorch
model that trained it (weights/ddsp_train/model.py):

  - the decoder: f0, loudness [1, 1250] -> the dense control head [1, 1250, 126], peer of
    bench/peers/ddsp.ts's wavegpu row 'own cello decoder, 1250 frames -> controls (upload+run+read)';
  - synthesize(): decoder + controls + harmonic synth + filtered noise, 5 s of 16 kHz audio, peer
    of 'own cello whole model, 5 s (upload+run+read)'. (The recipe accumulates the phase in float64
    and filters the noise with FFTs; wavegpu reproduces magenta's f32 chunked phase and a direct
    128-tap FIR: the same work, not the same arithmetic.)

Run by bench/run.mjs after the Node and Chromium phases as
    /usr/bin/python3 bench/peers/ddsp.py <filter>
one `__BENCH_ROW__ <json>` line per row. Same input as the wavegpu rows (scripts/bench/ddsp_onnx.py
check_input). Timing is bench/peers/_torch.py's time_runs1 (bench/harness.ts's): one warm-up, runs batched so a sample lasts
>= 30 ms, median of 5 samples, torch.no_grad(); each row at 1 thread and at all cores.
"""
import importlib.util
import json
import os
import sys

import torch

from _torch import time_runs1  # noqa: E402  (bench/harness.ts's timing)

FILTER = sys.argv[1] if len(sys.argv) > 1 else ''
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
FRAMES, SECONDS = 1250, 5.0
DECODER_ROW = f'own cello decoder, {FRAMES} frames -> controls (upload+run+read)'
WHOLE_ROW = 'own cello whole model, 5 s (upload+run+read)'
# Each at 1 thread and at all cores: on this shared 2-core machine one thread is the faster
# (OpenMP's threads wait on each other when other jobs hold the cores), on an idle one it is not.
ROWS = {
    (what, threads): (f'{name}: pytorch-cpu ({"1 thread" if threads == 1 else "all cores"}){tail}', peer_of)
    for what, name, tail, peer_of in [
        ('decoder', f'own cello decoder, {FRAMES} frames -> controls', '', DECODER_ROW),
        ('whole', 'own cello synthesize(), 5 s', ' (decoder + controls + harmonic + noise)', WHOLE_ROW)]
    for threads in (1, 0)
}


def wanted(name):
    return FILTER in f'ddsp {name}'


def emit(name, peer_of, ms=float('nan'), error=None):
    row = {'family': 'ddsp', 'name': name, 'platform': 'pytorch-cpu', 'ms': ms, 'runtime': 'pytorch-cpu', 'peerOf': peer_of}
    if error:
        row['error'] = error
    else:
        row['realtime'] = SECONDS / (ms / 1e3)
    print('__BENCH_ROW__ ' + json.dumps(row), flush=True)


def main():
    todo = {k: v for k, v in ROWS.items() if wanted(v[0])}
    if not todo:
        return
    try:
        spec = importlib.util.spec_from_file_location('ddsp_onnx', os.path.join(ROOT, 'scripts', 'bench', 'ddsp_onnx.py'))
        ddsp_onnx = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(ddsp_onnx)  # also puts weights/ on sys.path
        from ddsp_train.model import synthesize
        model = ddsp_onnx.load_decoder('cello')
    except Exception as e:  # torch missing, weights missing, ...
        for name, peer_of in todo.values():
            emit(name, peer_of, error=f'{type(e).__name__}: {e}'.splitlines()[0])
        return
    f0, ld = (torch.from_numpy(a) for a in ddsp_onnx.check_input())
    gen = torch.Generator().manual_seed(1)
    work = {'decoder': lambda: model(f0, ld), 'whole': lambda: synthesize(model, f0, ld, gen)}
    with torch.no_grad():
        for (what, threads), (name, peer_of) in todo.items():
            torch.set_num_threads(threads or os.cpu_count() or 1)
            print(f'ddsp peers: torch {torch.__version__}, {torch.get_num_threads()} thread(s): {name}', flush=True)
            emit(name, peer_of, ms=time_runs1(work[what], 5))


if __name__ == '__main__':
    main()
