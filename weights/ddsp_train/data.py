"""Training / evaluation data for the project's DDSP instruments: seeded monophonic MIDI phrases
rendered with fluidsynth from FluidR3_GM (MIT), 16 kHz mono, cut into 5 s clips (1250 frames at
250 frames/s, the wavegpu DDSP model's input length). f0 comes from the MIDI (Hz per frame, the
last note's pitch held through gaps and release tails), loudness as magenta-js computes it."""
import os, struct, subprocess, tempfile
import numpy as np
import soundfile as sf

SF2 = '/usr/share/sounds/sf2/FluidR3_GM.sf2'
SR, HOP, FRAMES = 16000, 64, 1250
CLIP = FRAMES * HOP            # 80000 samples = 5 s
FRAME_RATE = SR // HOP         # 250

INSTRUMENTS = {
    # name: (GM program, lowest MIDI note, highest MIDI note)
    'cello': (42, 36, 76),
    'flute': (73, 60, 96),
    'violin': (40, 55, 93),
    'trumpet': (56, 54, 82),
}


def _varlen(n):
    out = [n & 0x7f]
    while n > 127:
        n >>= 7
        out.insert(0, (n & 0x7f) | 0x80)
    return bytes(out)


def write_midi(program, notes):
    """notes: list of (pitch, velocity, start_s, end_s), monophonic; 1 tick = 1/960 s."""
    ev = []  # (tick, order, bytes): note-offs before note-ons at the same tick
    for p, v, s, e in notes:
        ev.append((int(round(s * 960)), 1, bytes([0x90, p, v])))
        ev.append((int(round(e * 960)), 0, bytes([0x80, p, 0])))
    ev.sort(key=lambda x: (x[0], x[1]))
    trk, last = bytearray(_varlen(0) + bytes([0xC0, program])), 0
    for t, _, b in ev:
        trk += _varlen(t - last) + b
        last = t
    trk += _varlen(960) + bytes([0xFF, 0x2F, 0])
    return b'MThd' + struct.pack('>IHHH', 6, 0, 1, 480) + b'MTrk' + struct.pack('>I', len(trk)) + bytes(trk)


def render(program, notes, seconds):
    with tempfile.TemporaryDirectory() as d:
        mid, wav = os.path.join(d, 'a.mid'), os.path.join(d, 'a.wav')
        open(mid, 'wb').write(write_midi(program, notes))
        subprocess.run(['fluidsynth', '-ni', '-q', '-g', '0.8', '-r', str(SR), '-R', '0', '-C', '0',
                        '-F', wav, SF2, mid], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        x, sr = sf.read(wav, dtype='float32')
    assert sr == SR, sr
    x = x.mean(axis=1) if x.ndim == 2 else x
    n = int(round(seconds * SR))
    return np.pad(x, (0, max(0, n - len(x))))[:n].astype(np.float32)


def clip_notes(rng, lo, hi, velocities, kind):
    """One 5 s clip's notes (times relative to the clip), ending by 4.2 s so the release fits."""
    t = float(rng.uniform(0.05, 0.3))
    notes = []
    p = int(rng.integers(lo, hi + 1))
    base_v = int(rng.choice(velocities))
    while True:
        if kind == 'notes':       # separated sustained notes anywhere in the range
            dur, gap = float(rng.uniform(0.4, 1.5)), float(rng.uniform(0.1, 0.4))
            p = int(rng.integers(lo, hi + 1))
        else:                     # a phrase: mostly stepwise melody, short notes, (almost) legato
            dur, gap = float(rng.choice([0.125, 0.25, 0.25, 0.375, 0.5, 0.75])), float(rng.choice([0.0, 0.0, 0.02, 0.05]))
            step = int(rng.choice([-7, -5, -4, -3, -2, -2, -1, -1, 1, 1, 2, 2, 3, 4, 5, 7]))
            p = p + step
            if p < lo or p > hi:
                p -= 2 * step
            p = min(hi, max(lo, p))
        if t + dur > 4.2:
            break
        v = int(np.clip(base_v + rng.integers(-8, 9), 1, 127))
        notes.append((p, v, t, t + dur))
        t += dur + gap
    if not notes:
        notes.append((p, base_v, t, 4.2))
    return notes


def make_clips(instrument, n_clips, seed, velocities):
    """Renders n_clips 5 s clips in one fluidsynth run (clip i starts at 5 i s; every note ends
    by 4.2 s into its clip). Returns audio [n, 80000], f0_hz [n, 1250], loudness_db [n, 1250],
    voiced [n, 1250] (a note is sounding per the MIDI) and the note lists."""
    program, lo, hi = INSTRUMENTS[instrument]
    rng = np.random.default_rng(seed)
    all_notes, per_clip = [], []
    for i in range(n_clips):
        kind = 'notes' if i % 3 == 0 else 'phrase'
        notes = clip_notes(rng, lo, hi, velocities, kind)
        per_clip.append(notes)
        all_notes += [(p, v, s + 5 * i, e + 5 * i) for p, v, s, e in notes]
    audio = render(program, all_notes, 5 * n_clips).reshape(n_clips, CLIP)
    f0 = np.zeros((n_clips, FRAMES), np.float32)
    voiced = np.zeros((n_clips, FRAMES), bool)
    tt = np.arange(FRAMES) / FRAME_RATE
    for i, notes in enumerate(per_clip):
        f0[i] = 440.0 * 2 ** ((notes[0][0] - 69) / 12)
        for p, v, s, e in notes:
            hz = 440.0 * 2 ** ((p - 69) / 12)
            f0[i, tt >= s] = hz          # held through the gap / release until the next note
            voiced[i, (tt >= s) & (tt < e)] = True
    ld = loudness_db(audio)
    return audio, f0, ld, voiced, per_clip


def loudness_db(audio, win=1024, hop=HOP):
    """magenta-js loudness: RMS over `win` samples centred on j*hop (zeros outside), 
    20 log10(max(1e-20, rms)) - 20.7, floored at -120. audio [..., N] -> [..., ceil(N / hop)]."""
    a = np.asarray(audio, np.float64)
    lead = a.shape[:-1]
    a = a.reshape(-1, a.shape[-1])
    n = a.shape[-1]
    frames = -(-n // hop)
    c = np.concatenate([np.zeros((a.shape[0], 1)), np.cumsum(a * a, axis=1)], axis=1)
    centre = np.arange(frames) * hop
    lo = np.clip(centre - win // 2, 0, n)
    hi = np.clip(centre + win // 2, 0, n)
    rms = np.sqrt((c[:, hi] - c[:, lo]) / win)
    db = np.maximum(20 * np.log10(np.maximum(rms, 1e-20)) - 20.7, -120.0)
    return db.reshape(*lead, frames).astype(np.float32)
