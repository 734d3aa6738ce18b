#!/usr/bin/python3
"""Trains one of the project's own DDSP instruments from FluidR3_GM renders.

  nice -n 10 /usr/bin/python3 weights/train_ddsp.py cello     # -> weights/cello.safetensors
  nice -n 10 /usr/bin/python3 weights/train_ddsp.py flute

Recipe (all seeded): render N_TRAIN 5 s clips of seeded monophonic notes and phrases over the
instrument's range at 4 velocities (fluidsynth, FluidR3_GM, 16 kHz, reverb/chorus off), f0 from the
MIDI, loudness as magenta-js; train the wavegpu DDSP decoder (src/models/ddsp architecture family:
conv_in + dilated conv stack with one-group layer norm + residual, dense head to 1 amplitude +
60 harmonics + 65 noise bands) through a torch harmonic + filtered-noise synth with a multi-scale
spectral loss; save safetensors with the config and data recipe in __metadata__.
Runs on 1 CPU thread (torch.set_num_threads(1)); see weights/README.md for timings."""
import argparse, json, math, os, sys, time
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ddsp_train.data import INSTRUMENTS, FRAMES, HOP, SR, make_clips, loudness_db  # noqa: E402
from ddsp_train.model import CONSTS, Decoder, sin_table, spectral_loss, state_for_wavegpu, synthesize_table, write_safetensors  # noqa: E402

TRAIN_VELOCITIES = [40, 64, 88, 112]
DATA_SEED = {'cello': 1000, 'flute': 2000, 'violin': 3000, 'trumpet': 4000}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('instrument', choices=sorted(INSTRUMENTS))
    ap.add_argument('--clips', type=int, default=96)
    ap.add_argument('--steps', type=int, default=1200)
    ap.add_argument('--batch', type=int, default=4)
    ap.add_argument('--channels', type=int, default=64)
    ap.add_argument('--layers', type=int, default=8)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--lr-final', type=float, default=2e-4)
    ap.add_argument('--pad-prob', type=float, default=0.2, help='fraction of examples cut short and padded as wavegpu pads (f0 -1, loudness -120)')
    ap.add_argument('--noise-warmup', type=int, default=0, help='first steps train the harmonic synth alone (stops the model from explaining everything with noise)')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--max-minutes', type=float, default=50.0, help='safety stop (the step count reached is recorded)')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--out', default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    t0 = time.time()
    program, lo, hi = INSTRUMENTS[a.instrument]
    audio, f0, ld, voiced, notes = make_clips(a.instrument, a.clips, DATA_SEED[a.instrument], TRAIN_VELOCITIES)
    t_data = time.time() - t0
    print(f'rendered {a.clips} clips ({a.clips * 5} s) in {t_data:.1f} s; loudness mean {ld.mean():.1f} max {ld.max():.1f} dB', flush=True)
    audio_t, f0_t, ld_t = map(torch.from_numpy, (audio, f0, ld))
    # Sine tables of every clip's harmonics (fixed: f0 is an input), float16; harmonics at or above
    # Nyquist for the instrument's lowest note are dropped (always silent).
    h_tab = int(min(60, math.ceil(CONSTS['synth']['nyquist'] / float(f0.min())) + 1))
    tables = sin_table(f0_t, h_tab)
    print(f'sine tables [{", ".join(map(str, tables.shape))}] float16 in {time.time() - t0 - t_data:.1f} s', flush=True)

    model = Decoder(a.channels, a.layers)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    decay = (a.lr_final / a.lr) ** (1 / max(1, a.steps))
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, decay)
    g = torch.Generator().manual_seed(a.seed + 1)
    rng = np.random.default_rng(a.seed + 2)
    log, ema, step = [], None, 0
    t1 = time.time()
    while step < a.steps:
        idx = torch.from_numpy(rng.choice(a.clips, a.batch, replace=False))
        x, f, l, tab = audio_t[idx].clone(), f0_t[idx].clone(), ld_t[idx].clone(), tables[idx]
        for b in range(a.batch):   # wavegpu pads inputs shorter than 1250 frames: teach the model that
            if rng.random() < a.pad_prob:
                cut = int(rng.integers(250, FRAMES))
                f[b, cut:], l[b, cut:], x[b, cut * HOP:] = -1.0, -120.0, 0.0
        # (in a padded tail the sine table keeps the clip's f0; the model learns silence there)
        y, _ = synthesize_table(model, f, l, tab, gen=g, noise=step >= a.noise_warmup)
        loss = spectral_loss(y, x)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 3.0)
        opt.step()
        sched.step()
        step += 1
        ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
        if step % 25 == 0 or step == 1:
            el = time.time() - t1
            print(f'step {step} loss {loss.item():.3f} ema {ema:.3f} lr {sched.get_last_lr()[0]:.2e} {el:.0f} s', flush=True)
            log.append([step, round(ema, 4), round(el, 1)])
        if (time.time() - t0) / 60 > a.max_minutes:
            print(f'stopping at step {step}: --max-minutes {a.max_minutes} reached', flush=True)
            break
    t_train = time.time() - t1
    out = a.out or os.path.join(os.path.dirname(os.path.abspath(__file__)), f'{a.instrument}.safetensors')
    tensors = state_for_wavegpu(model)
    config = {
        'format': 'wavegpu-ddsp-v1', 'instrument': a.instrument, 'sampleRate': SR, 'frameRate': SR // HOP, 'hop': HOP,
        'frames': FRAMES, 'channels': a.channels, 'layers': a.layers, 'kernel': 3, 'dilations': model.dilations,
        'harmonics': model.H, 'noiseBands': model.NB, 'irSize': 2 * (model.NB - 1), 'padF0': -1, 'lowestLoudness': -120,
        **CONSTS,
        'loudnessStats': {'mean': float(ld[ld > -120].mean()), 'averageMax': float(ld.max(axis=1).mean()),
                          'meanPitch': float(np.mean(12 * np.log2(f0[voiced] / 440) + 69))},
    }
    data = {
        'soundfont': 'FluidR3_GM.sf2 (Debian fluid-soundfont-gm, MIT)', 'renderer': 'fluidsynth -ni -q -g 0.8 -r 16000 -R 0 -C 0',
        'program': program, 'range': [lo, hi], 'clips': a.clips, 'clipSeconds': 5, 'seed': DATA_SEED[a.instrument],
        'velocities': TRAIN_VELOCITIES, 'velocityJitter': 8,
        'clipKinds': 'every 3rd clip: separated notes 0.4-1.5 s, gaps 0.1-0.4 s, random pitch; others: stepwise phrases, notes 0.125-0.75 s, gaps 0-0.05 s; notes end by 4.2 s',
        'f0': 'MIDI pitch in Hz per frame (250 frames/s), held through gaps/release',
        'loudness': 'RMS over 1024 samples centred on j*64 (zeros outside), 20 log10(max(1e-20, rms)) - 20.7, floored at -120',
        'code': 'weights/ddsp_train/data.py make_clips',
    }
    training = {
        'steps': step, 'stepsRequested': a.steps, 'batch': a.batch, 'optimizer': 'Adam', 'lr': a.lr, 'lrFinal': a.lr_final,
        'schedule': 'exponential per step', 'gradClip': 3.0, 'padProb': a.pad_prob, 'noiseWarmupSteps': a.noise_warmup, 'seed': a.seed,
        'loss': 'multi-scale spectral: FFT 2048/1024/512/256/128/64, hop n/4, hann, L1 linear + L1 log(mag + 1e-7)',
        'synthInTraining': 'harmonic synth as fixed per-clip float16 sine tables x learned amplitudes (exactly linear in the amplitudes; ddsp_train/model.py sin_table)',
        'threads': a.threads, 'torch': torch.__version__, 'renderSeconds': round(t_data, 1), 'trainSeconds': round(t_train, 1),
        'finalLossEma': round(ema, 4), 'lossLog': log,
        'command': 'nice -n 10 /usr/bin/python3 weights/train_ddsp.py ' + ' '.join(sys.argv[1:]),
    }
    write_safetensors(out, tensors, {'format': 'wavegpu-ddsp-v1', 'config': json.dumps(config), 'data': json.dumps(data),
                                     'training': json.dumps(training)})
    print(f'wrote {out} ({os.path.getsize(out)} bytes); steps {step}, train {t_train:.0f} s, total {time.time() - t0:.0f} s', flush=True)


if __name__ == '__main__':
    main()
