"""PyTorch CPU peers of the vocoder rows (bench/cases/vocoders.ts).

Run by bench/run.mjs after the Node and Chromium phases as
    /usr/bin/python3 bench/peers/vocoders.py <filter>
and prints one `__BENCH_ROW__ <json>` line per row (platform 'pytorch-cpu'), each naming
(peerOf) the wavegpu row doing the same work: the same full-size networks with the same random
checkpoints (scripts/bench/vocoders_onnx.py load(), weight norm folded; Multi-band MelGAN: the
PyTorch reference of the same architecture with random weights), on the same bench mel
(bench/cases/vocoders.ts benchMel) for 1 s (86 frames) and 10 s (861 frames) of audio.
torch.set_num_threads(os.cpu_count()), torch.inference_mode(), float32; one warm-up run, then
the median of REPS runs (one run when a run takes over 5 s). A 10 s row is skipped (error row)
when the 1 s run took over LONG_FROM_1S_S (10 s would take 20x that, warm-up included), unless
WAVEGPU_BENCH_LONG=1.
"""
import json, math, os, sys, time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
sys.path.insert(0, os.path.join(ROOT, 'scripts', 'bench'))

FILTER = sys.argv[1] if len(sys.argv) > 1 else ''
REPS = 3
LONG_FROM_1S_S = 7.5
LONG = bool(os.environ.get('WAVEGPU_BENCH_LONG'))
HOP, SR = 256, 22050

# label, export name: as VOCODERS in bench/cases/vocoders.ts
VOCODERS = [
    ('melgan ngf 32', 'melgan'),
    ('multi-band melgan (LJSpeech weights)', 'mbmelgan'),
    ('hifigan v1', 'hifigan_v1'),
    ('hifigan v2', 'hifigan_v2'),
    ('hifigan v3', 'hifigan_v3'),
    ('parallel wavegan 30 layers', 'pwg'),
]
DURATIONS = [('1 s', 86), ('10 s', 861)]


def case_name(label, tag, frames):
    return f'{label} {tag} ({frames} frames, full size)'


def bench_mel(frames):
    """bench/cases/vocoders.ts benchMel: sin(i * 0.37) * 1.5 - 0.5 over [80, frames] row-major (float32 maths)."""
    i = np.arange(80 * frames, dtype=np.float64)
    return torch.from_numpy((np.sin(i * 0.37) * 1.5 - 0.5).astype(np.float32).reshape(1, 80, frames))


def emit(row):
    print('__BENCH_ROW__ ' + json.dumps(row), flush=True)


def main():
    jobs = [(label, name, tag, frames) for label, name in VOCODERS for tag, frames in DURATIONS
            if not FILTER or FILTER in f'vocoders {case_name(label, tag, frames)}: pytorch-cpu']
    if not jobs:
        print(f'vocoders.py: no row matches {FILTER!r}')
        return
    torch.set_num_threads(os.cpu_count() or 1)
    print(f'vocoders.py: torch {torch.__version__}, {torch.get_num_threads()} threads')
    try:
        from vocoders_onnx import load, FULL_CMD
    except Exception as e:  # noqa: BLE001
        for label, _, tag, frames in jobs:
            emit(dict(family='vocoders', name=case_name(label, tag, frames) + ': pytorch-cpu', platform='pytorch-cpu', runtime='pytorch-cpu',
                      peerOf=case_name(label, tag, frames), ms=None, error=f'cannot import scripts/bench/vocoders_onnx.py: {e}'))
        return
    fixtures = os.path.join(ROOT, 'bench', 'fixtures')
    models, one_second = {}, {}
    for label, name, tag, frames in jobs:
        peer_of = case_name(label, tag, frames)
        row = dict(family='vocoders', name=peer_of + ': pytorch-cpu', platform='pytorch-cpu', runtime='pytorch-cpu', peerOf=peer_of)
        try:
            t1 = one_second.get(name)
            if frames > 100 and t1 is not None and t1 > LONG_FROM_1S_S and not LONG:
                raise RuntimeError(f'skipped: the 1 s run took {t1:.1f} s, so this row (warm-up + 1 run) would take ~{20 * t1:.0f} s; '
                                   f'WAVEGPU_BENCH_LONG=1 /usr/bin/python3 bench/peers/vocoders.py \'{peer_of}\' runs it')
            if name not in models:
                models[name] = load(name, fixtures)
            model = models[name]
            mel = bench_mel(frames)
            args = (torch.randn(1, 1, frames * HOP, generator=torch.Generator().manual_seed(1)), mel) if name == 'pwg' else (mel,)
            with torch.inference_mode():
                t0 = time.perf_counter()
                model(*args)  # warm-up
                first = time.perf_counter() - t0
                samples = []
                for _ in range(REPS if first < 5 else 1):
                    t0 = time.perf_counter()
                    y = model(*args)
                    samples.append(time.perf_counter() - t0)
            assert y.shape[-1] == frames * HOP, y.shape
            ms = float(np.median(samples)) * 1e3
            if frames < 100:
                one_second[name] = ms / 1e3
            row.update(ms=ms, realtime=frames * HOP / SR / (ms / 1e3))
        except FileNotFoundError as e:
            row.update(ms=None, error=f'{e} (then /usr/bin/python3 scripts/bench/vocoders_onnx.py)')
        except RuntimeError as e:
            row.update(ms=None, error=str(e).splitlines()[0])
        except Exception as e:  # noqa: BLE001
            row.update(ms=None, error=f'{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
        emit(row)


if __name__ == '__main__':
    main()
