"""PyTorch CPU peer of bench/cases/nam.ts: Neural Amp Modeler A1 "standard" (the same LCG
weights in .nam order) streaming 1 s at 48 kHz in 8192- and 512-sample blocks (per-layer history
kept between blocks), and in one forward call. Run by bench/run.mjs as
    /usr/bin/python3 bench/peers/nam.py <filter>
"""

import numpy as np
import torch
import torch.nn.functional as F

from _torch import emit, lcg, time_runs, wanted  # noqa: E402


# ---------------------------------------------------------------- NAM A1 (bench/cases/nam.ts)

NAM_SR = 48000
NAM_DIL = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
NAM_ARRAYS = [
    dict(input_size=1, head_size=8, channels=16, k=3, dilations=NAM_DIL, head_bias=False),
    dict(input_size=16, head_size=1, channels=8, k=3, dilations=NAM_DIL, head_bias=True),
]


def nam_weights():
    """namJson() of bench/cases/nam.ts, unpacked in .nam import order."""
    n = sum(a['channels'] * a['input_size'] + len(a['dilations']) * (a['channels'] * a['channels'] * 3 + 2 * a['channels'] + a['channels'] * a['channels'] + a['channels'])
            + a['head_size'] * a['channels'] + (a['head_size'] if a['head_bias'] else 0) for a in NAM_ARRAYS) + 1
    flat = torch.from_numpy(lcg(n, 7, 0.3))
    flat[-1] = 0.02
    pos = 0

    def take(*shape):
        nonlocal pos
        k = int(np.prod(shape))
        t = flat[pos:pos + k].view(*shape).clone()
        pos += k
        return t
    arrays = []
    for a in NAM_ARRAYS:
        c = a['channels']
        w = {'rechannel': take(c, a['input_size'], 1), 'layers': []}
        for _ in a['dilations']:
            w['layers'].append({'conv_w': take(c, c, a['k']), 'conv_b': take(c), 'mix': take(c, 1, 1), 'w1': take(c, c, 1), 'b1': take(c)})
        w['head_w'] = take(a['head_size'], c, 1)
        w['head_b'] = take(a['head_size']) if a['head_bias'] else None
        arrays.append(w)
    head_scale = float(take(1)[0])
    assert pos == n
    return arrays, head_scale


class NamStream:
    """NAM's WaveNet forward, streaming: each layer keeps its last (k-1)*d inputs between blocks."""

    def __init__(self, block):
        self.arrays, self.head_scale = nam_weights()
        self.block = block
        self.hist = [[torch.zeros(1, a['channels'], (a['k'] - 1) * d) for d in a['dilations']] for a in NAM_ARRAYS]
        rf = sum((a['k'] - 1) * sum(a['dilations']) for a in NAM_ARRAYS) + 1
        self.run(torch.zeros(1, 1, rf - 1))                     # prewarm: a silent past

    def _block(self, x):
        cond, y, head = x, x, None
        for ai, (a, w) in enumerate(zip(NAM_ARRAYS, self.arrays)):
            h = F.conv1d(y, w['rechannel'])
            for li, (d, lw) in enumerate(zip(a['dilations'], w['layers'])):
                xin = torch.cat([self.hist[ai][li], h], 2)
                self.hist[ai][li] = xin[:, :, xin.shape[2] - (a['k'] - 1) * d:]
                act = torch.tanh(F.conv1d(xin, lw['conv_w'], lw['conv_b'], dilation=d) + F.conv1d(cond, lw['mix']))
                h = h + F.conv1d(act, lw['w1'], lw['b1'])
                head = act if head is None else head + act
            head = F.conv1d(head, w['head_w'], w['head_b'])
            y = h
        return self.head_scale * head

    def run(self, x):
        return torch.cat([self._block(x[:, :, o:o + self.block]) for o in range(0, x.shape[2], self.block)], 2)


NAM_ROWS = [
    # (peer name, wavegpu row, block)
    ('nam A1 standard (PyTorch CPU), 1 s @ 48 kHz in 8192-sample blocks',
     'nam A1 standard (2 x 10 layers, 16/8 ch, k3), 1 s @ 48 kHz in 8192-sample blocks', 8192),
    ('nam A1 standard (PyTorch CPU), 1 s @ 48 kHz in 512-sample blocks',
     'nam A1 standard (2 x 10 layers, 16/8 ch, k3), 1 s @ 48 kHz in 512-sample blocks', 512),
    ('nam A1 standard (PyTorch CPU), 1 s @ 48 kHz in one forward call',
     'nam A1 standard (2 x 10 layers, 16/8 ch, k3), 1 s @ 48 kHz in 8192-sample blocks', NAM_SR),
]


def main():
    with torch.inference_mode():
        for name, peer_of, block in NAM_ROWS:
            if not wanted('nam', name, peer_of):
                continue
            m = NamStream(block)
            x = torch.from_numpy((0.3 * np.sin(np.arange(NAM_SR) * 0.05)).astype(np.float32))[None, None, :]
            ms, th, by = time_runs(lambda: m.run(x))
            emit('nam', name, peer_of, ms, audio_seconds=1.0, threads=th, msByThreads=by, torch=torch.__version__)


if __name__ == '__main__':
    main()
