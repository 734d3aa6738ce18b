#!/usr/bin/python3
"""Quality of the project's DDSP instruments on HELD-OUT FluidR3 renders.

  nice -n 10 /usr/bin/python3 weights/eval_ddsp.py cello flute [--clips 12] [--wav-dir DIR]

Held-out set: clips rendered by the same generator with a different seed (new melodies, rhythms
and note choices) and velocities never used in training (52, 76, 100). For each instrument:
(a) f0 of the model output against the MIDI f0 on voiced frames (a note sounding per the MIDI),
    share within 20 cents; all voiced frames and voiced frames at least 32 ms from a note boundary.
    Tracker: numpy YIN, hop 64, searching the instrument's range (0.8 x its lowest to 1.25 x its
    highest note), each frame's analysis span centred on the frame; a 512-sample (32 ms) window,
    the scale of the YIN paper's 25 ms, is the headline figure, and the 1024-sample (64 ms) window
    is reported too (it straddles two notes for 32 ms around every note change). The same tracker
    on the real render is reported as the tracker's own reference.
(b) multi-scale spectral distance (the training loss: FFT 2048..64, L1 linear + L1 log magnitude,
    and its log part alone) of the model output vs the real render, against a baseline harmonic
    synth with a FIXED harmonic spectrum (the average harmonic distribution of the TRAINING renders,
    measured from their STFT at the MIDI harmonics) driven by the same f0 and an amplitude that
    reproduces the input loudness. Prints JSON."""
import argparse, json, math, os, sys
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ddsp_train.data import INSTRUMENTS, FRAMES, HOP, SR, make_clips  # noqa: E402
from ddsp_train.model import Decoder, harmonic_synth, load_from_state, read_safetensors, spectral_loss, synthesize  # noqa: E402
from train_ddsp import DATA_SEED, TRAIN_VELOCITIES  # noqa: E402

HELDOUT_VELOCITIES = [52, 76, 100]
HELDOUT_SEED_OFFSET = 777


def yin(x, sr=SR, hop=HOP, win=1024, fmin=50.0, fmax=2200.0, threshold=0.15):
    """YIN (cumulative mean normalised difference) per frame -> f0 Hz [frames], cmnd min. Frame j
    analyses the win + tmax samples (tmax = the longest period searched) centred on j*hop."""
    tmax, tmin = int(math.ceil(sr / fmin)), max(2, int(sr / fmax))
    frames = -(-len(x) // hop)
    half = (win + tmax) // 2
    xp = np.pad(x.astype(np.float64), (half, win + tmax - half + hop))
    idx = np.arange(frames)[:, None] * hop + np.arange(win + tmax)[None, :]
    seg = xp[idx]                                             # [F, win + tmax]
    n = 1 << int(math.ceil(math.log2(2 * (win + tmax))))
    A = np.fft.rfft(seg[:, :win], n)
    Bf = np.fft.rfft(seg, n)
    r = np.fft.irfft(np.conj(A) * Bf, n)[:, :tmax + 1]         # r[tau] = sum_{i<win} x_i x_{i+tau}
    c = np.concatenate([np.zeros((frames, 1)), np.cumsum(seg ** 2, axis=1)], axis=1)
    taus = np.arange(tmax + 1)
    e0 = c[:, win][:, None]
    et = c[:, taus + win] - c[:, taus]
    d = np.maximum(e0 + et - 2 * r, 0.0)
    d[:, 0] = 0
    cm = np.cumsum(d[:, 1:], axis=1) / np.arange(1, tmax + 1)
    dn = np.ones_like(d)
    dn[:, 1:] = d[:, 1:] / np.maximum(cm, 1e-12)
    f0 = np.zeros(frames)
    best = np.ones(frames)
    for j in range(frames):
        v = dn[j]
        below = np.nonzero(v[tmin:tmax] < threshold)[0]
        if below.size:
            t = below[0] + tmin
            while t + 1 < tmax and v[t + 1] < v[t]:
                t += 1
        else:
            t = int(np.argmin(v[tmin:tmax])) + tmin
        best[j] = v[t]
        a, b, cc = v[t - 1], v[t], v[min(t + 1, tmax)]
        den = a - 2 * b + cc
        shift = 0.5 * (a - cc) / den if den > 1e-12 else 0.0
        f0[j] = sr / (t + float(np.clip(shift, -1, 1)))
    return f0, best


def boundary_mask(notes, dist_s=0.032):
    """Frames at least dist_s from every note onset / offset."""
    tt = np.arange(FRAMES) / (SR // HOP)
    m = np.ones(FRAMES, bool)
    for _, _, s, e in notes:
        m &= (np.abs(tt - s) >= dist_s) & (np.abs(tt - e) >= dist_s)
    return m


def average_harmonic_distribution(audio, f0, voiced, H=60, n_fft=2048):
    """Mean normalised harmonic amplitudes of real audio: |STFT| at k*f0 (max over +-1 bin) on
    voiced frames, normalised per frame over the harmonics below Nyquist, averaged per harmonic."""
    w = np.hanning(n_fft + 1)[:-1]
    acc, cnt = np.zeros(H), np.zeros(H)
    for a, f, v in zip(audio, f0, voiced):
        ap = np.pad(a, (n_fft // 2, n_fft // 2))
        js = np.nonzero(v)[0][::4]
        if not js.size:
            continue
        seg = ap[js[:, None] * HOP + np.arange(n_fft)[None, :]] * w
        S = np.abs(np.fft.rfft(seg, axis=1))
        k = np.arange(1, H + 1)
        fk = f[js][:, None] * k[None, :]
        ok = fk < SR / 2
        b = np.clip(np.round(fk * n_fft / SR).astype(int), 1, n_fft // 2 - 1)
        rows = np.arange(len(js))[:, None]
        m = np.maximum(np.maximum(S[rows, b - 1], S[rows, b]), S[rows, b + 1]) * ok
        m = m / np.maximum(m.sum(1, keepdims=True), 1e-12)
        acc += m.sum(0)
        cnt += ok.sum(0)
    return acc / np.maximum(cnt, 1)


def baseline_synth(dist, f0, ld):
    """Fixed harmonic spectrum, amplitude set so the RMS matches the loudness input."""
    f = torch.from_numpy(f0)
    k = torch.arange(1, len(dist) + 1, dtype=torch.float32)
    d = torch.from_numpy(dist.astype(np.float32))[None, None, :].expand(f.shape[0], f.shape[1], -1)
    d = torch.where(f[..., None] * k >= SR / 2, torch.zeros_like(d), d)
    d = d / d.sum(-1, keepdim=True).clamp_min(1e-12)
    rms = torch.from_numpy(10 ** ((ld + 20.7) / 20)).float()
    amp = rms * math.sqrt(2) / torch.sqrt((d ** 2).sum(-1)).clamp_min(1e-12)
    amp = torch.where(torch.from_numpy(ld) <= -119.9, torch.zeros_like(amp), amp)
    return harmonic_synth(f, amp[..., None] * d)


def spectral_parts(y, x):
    tot = spectral_loss(y, x).item()
    log_only = 0.0
    for n in (2048, 1024, 512, 256, 128, 64):
        w = torch.hann_window(n)
        sx = torch.stft(x, n, n // 4, window=w, return_complex=True).abs()
        sy = torch.stft(y, n, n // 4, window=w, return_complex=True).abs()
        log_only += (torch.log(sx + 1e-7) - torch.log(sy + 1e-7)).abs().mean().item()
    return tot, log_only


def evaluate(name, n_clips, wav_dir=None, weights_dir=None):
    path = os.path.join(weights_dir or os.path.dirname(os.path.abspath(__file__)), f'{name}.safetensors')
    tensors, meta = read_safetensors(path)
    cfg = json.loads(meta['config'])
    data_cfg = json.loads(meta['data'])
    model = Decoder(cfg['channels'], cfg['layers'], cfg['harmonics'], cfg['noiseBands'])
    load_from_state(model, tensors)
    model.eval()
    # baseline spectrum from the training renders (same recipe, same seed as training)
    tr_audio, tr_f0, _, tr_voiced, _ = make_clips(name, data_cfg['clips'], DATA_SEED[name], TRAIN_VELOCITIES)
    dist = average_harmonic_distribution(tr_audio, tr_f0, tr_voiced, cfg['harmonics'])
    del tr_audio
    audio, f0, ld, voiced, notes = make_clips(name, n_clips, DATA_SEED[name] + HELDOUT_SEED_OFFSET, HELDOUT_VELOCITIES)
    g = torch.Generator().manual_seed(1234)
    res = {'model': [], 'baseline': [], 'model_log': [], 'baseline_log': []}
    hits = {'model': [0, 0], 'model_inner': [0, 0], 'real': [0, 0], 'real_inner': [0, 0], 'baseline_inner': [0, 0],
            'model_w1024': [0, 0], 'real_w1024': [0, 0]}
    _, lowest, highest = INSTRUMENTS[name]
    hz = lambda midi: 440.0 * 2 ** ((midi - 69) / 12)
    search = dict(fmin=0.8 * hz(lowest), fmax=1.25 * hz(highest))
    for i in range(n_clips):
        f, l = torch.from_numpy(f0[i:i + 1]), torch.from_numpy(ld[i:i + 1])
        x = torch.from_numpy(audio[i:i + 1])
        with torch.no_grad():
            y, _ = synthesize(model, f, l, gen=g)
            yb = baseline_synth(dist, f0[i:i + 1], ld[i:i + 1])
        a, b = spectral_parts(y, x)
        c, d = spectral_parts(yb, x)
        res['model'].append(a); res['model_log'].append(b); res['baseline'].append(c); res['baseline_log'].append(d)
        inner = voiced[i] & boundary_mask(notes[i])
        for key, sig in (('model', y[0].numpy()), ('real', audio[i]), ('baseline', yb[0].numpy())):
            for win, suffix in ((512, ''), (1024, '_w1024')):
                est, _ = yin(sig, win=win, **search)
                cents = np.abs(1200 * np.log2(np.maximum(est, 1e-6) / f0[i]))
                ok = cents <= 20
                for k2, m in ((key + suffix, voiced[i]), (key + '_inner' + suffix, inner)):
                    if k2 in hits:
                        hits[k2][0] += int(ok[m].sum()); hits[k2][1] += int(m.sum())
        if wav_dir:
            import soundfile as sf
            os.makedirs(wav_dir, exist_ok=True)
            sf.write(os.path.join(wav_dir, f'{name}_{i}_real.wav'), audio[i], SR)
            sf.write(os.path.join(wav_dir, f'{name}_{i}_model.wav'), y[0].numpy(), SR)
            sf.write(os.path.join(wav_dir, f'{name}_{i}_baseline.wav'), yb[0].numpy(), SR)
    return {
        'instrument': name, 'heldout_clips': n_clips, 'heldout_seconds': 5 * n_clips, 'voiced_frames': hits['model'][1],
        'f0_within_20c_model_all_voiced': round(hits['model'][0] / hits['model'][1], 4),
        'f0_within_20c_model_away_from_boundaries': round(hits['model_inner'][0] / hits['model_inner'][1], 4),
        'f0_within_20c_real_render_all_voiced': round(hits['real'][0] / hits['real'][1], 4),
        'f0_within_20c_real_render_away_from_boundaries': round(hits['real_inner'][0] / hits['real_inner'][1], 4),
        'f0_within_20c_baseline_away_from_boundaries': round(hits['baseline_inner'][0] / hits['baseline_inner'][1], 4),
        'f0_within_20c_model_all_voiced_1024_window': round(hits['model_w1024'][0] / hits['model_w1024'][1], 4),
        'f0_within_20c_real_render_all_voiced_1024_window': round(hits['real_w1024'][0] / hits['real_w1024'][1], 4),
        'spectral_distance_model': round(float(np.mean(res['model'])), 3),
        'spectral_distance_baseline': round(float(np.mean(res['baseline'])), 3),
        'log_spectral_distance_model': round(float(np.mean(res['model_log'])), 3),
        'log_spectral_distance_baseline': round(float(np.mean(res['baseline_log'])), 3),
        'model_below_baseline_clips': f"{sum(a < b for a, b in zip(res['model'], res['baseline']))}/{n_clips}",
        'training_steps': json.loads(meta['training'])['steps'],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('instruments', nargs='+')
    ap.add_argument('--clips', type=int, default=12)
    ap.add_argument('--wav-dir', default=None)
    ap.add_argument('--weights-dir', default=None, help='folder of <instrument>.safetensors (default: weights/)')
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    out = [evaluate(n, a.clips, a.wav_dir, a.weights_dir) for n in a.instruments]
    print(json.dumps(out, indent=1))


if __name__ == '__main__':
    main()
