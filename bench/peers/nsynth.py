"""PyTorch CPU peers of bench/cases/{nsynth,umt}.ts: the NSynth h512_bo16 and UMT (4x10, 4x14)
decoders' queue-based fast generation, B = 1, the conditioning precomputed per frame as the
wavegpu rows do (torch random weights of the same shapes; timing does not depend on the values),
each checked against its own conv forward before timing. Run by bench/run.mjs as
    /usr/bin/python3 bench/peers/nsynth.py <filter>
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F

from _torch import emit, time_runs, wanted  # noqa: E402


# ---------------------------------------------------------------- NSynth / UMT decoders (bench/cases/nsynth.ts, umt.ts)

def rand_conv(cout, cin, k, g):
    """randomConv()'s shapes and distribution (uniform +-sqrt(3 / fan_in), biases +-0.1); torch's
    generator, not the TS LCG (60M values): timing does not depend on the values."""
    lim = np.sqrt(3 / (cin * k))
    return (torch.rand(cout, cin, k, generator=g) * 2 - 1) * lim, (torch.rand(cout, generator=g) * 2 - 1) * 0.1


class AeQueueDecoder:
    """
    Queue-based fast generation of the WaveNet-autoencoder decoders, one stream, as
    src/ref/nsynth_step.ts: x(t) = table[q]; h = start conv over the last Ks inputs; s = skip_start h;
    per layer z = Wd [h(t - (K-1) dil) .. h(t)] + bd + cond_l(frame); a = sigmoid(z[:R]) tanh(z[R:]);
    h += Wr a + br; s += Ws a + bs; logits = Wlog relu(Wo relu(s) + bo + cond_out(frame)) + blog.
    The conditioning is precomputed per frame (as the wavegpu rows do); the queues start at zero.
    """

    def __init__(self, layers, r, s, z, k, ks, classes, dilations, hop, table, first_class, frames=64, seed=1):
        g = torch.Generator().manual_seed(seed)
        self.r, self.k, self.ks, self.hop, self.dil = r, k, ks, hop, dilations
        self.table = table
        self.start_w, self.start_b = rand_conv(r, 1, ks, g)
        self.start_w = self.start_w[:, 0, :].t().contiguous()                   # [Ks, R]
        w, self.skip_start_b = rand_conv(s, r, 1, g)
        self.skip_start_w = w[:, :, 0].contiguous()
        enc = torch.rand(z, frames, generator=g) * 2 - 1                           # the encoding [Z, frames]
        self.w_dil, self.b_dil, self.cond, self.w_rs, self.b_rs = [], [], [], [], []
        for _ in range(layers):
            wd, bd = rand_conv(2 * r, r, k, g)
            wc, bc = rand_conv(2 * r, z, 1, g)
            wr, br = rand_conv(r, r, 1, g)
            ws, bs = rand_conv(s, r, 1, g)
            self.w_dil.append(wd.permute(0, 2, 1).reshape(2 * r, k * r).contiguous())   # taps oldest .. current
            self.cond.append((wc[:, :, 0] @ enc + (bc + bd)[:, None]).t().contiguous())  # [frames, 2R], bd folded in
            self.w_rs.append(torch.cat([wr[:, :, 0], ws[:, :, 0]], 0).contiguous())
            self.b_rs.append(torch.cat([br, bs]))
        w, b = rand_conv(s, s, 1, g)
        wc, bc = rand_conv(s, z, 1, g)
        self.out1_w = w[:, :, 0].contiguous()
        self.cond_out = (wc[:, :, 0] @ enc + (bc + b)[:, None]).t().contiguous()
        w, self.logits_b = rand_conv(classes, s, 1, g)
        self.logits_w = w[:, :, 0].contiguous()
        self.queues = [torch.zeros((k - 1) * d, 1, r) for d in dilations]
        self.hist = torch.zeros(ks)
        self.t, self.code, self.frames = 0, first_class, frames
        self.gen = torch.Generator().manual_seed(seed)

    def logits(self, q):
        R = self.r
        self.hist = torch.cat([self.hist[1:], self.table[q:q + 1]])
        f = min(self.t // self.hop, self.frames - 1)
        h = torch.addmm(self.start_b[None], self.hist[None], self.start_w)          # [1, R]
        s = F.linear(h, self.skip_start_w, self.skip_start_b)
        for l, d in enumerate(self.dil):
            qu = self.queues[l]
            n = qu.shape[0]
            x = torch.cat([qu[(self.t - (self.k - 1 - j) * d) % n] for j in range(self.k - 1)] + [h], 1)
            qu[self.t % n].copy_(h)                                                 # overwrites h(t - n), read above
            zz = F.linear(x, self.w_dil[l], self.cond[l][f])
            a = torch.sigmoid(zz[:, :R]) * torch.tanh(zz[:, R:])
            rs = F.linear(a, self.w_rs[l], self.b_rs[l])
            h = h + rs[:, :R]
            s = s + rs[:, R:]
        e = F.relu(F.linear(F.relu(s), self.out1_w, self.cond_out[f]))
        self.t += 1
        return F.linear(e, self.logits_w, self.logits_b)[0]

    def steps(self, n):
        for _ in range(n):
            lg = self.logits(self.code)
            self.code = int(torch.multinomial(torch.softmax(lg, 0), 1, generator=self.gen))

    def forward(self, codes):
        """Teacher-forced logits [T, C] by causal convs with zero padding (the check's reference)."""
        R, T = self.r, len(codes)
        x = F.pad(self.table[codes][None, None], (self.ks - 1, 0))
        h = F.conv1d(x, self.start_w.t()[:, None, :], self.start_b)
        s = F.conv1d(h, self.skip_start_w[:, :, None], self.skip_start_b)
        frame = torch.clamp(torch.arange(T) // self.hop, max=self.frames - 1)
        for l, d in enumerate(self.dil):
            w = self.w_dil[l].view(2 * R, self.k, R).permute(0, 2, 1)
            zz = F.conv1d(F.pad(h, ((self.k - 1) * d, 0)), w, dilation=d) + self.cond[l][frame].t()[None]
            a = torch.sigmoid(zz[:, :R]) * torch.tanh(zz[:, R:])
            rs = F.conv1d(a, self.w_rs[l][:, :, None], self.b_rs[l])
            h, s = h + rs[:, :R], s + rs[:, R:]
        e = F.relu(F.conv1d(F.relu(s), self.out1_w[:, :, None]) + self.cond_out[frame].t()[None])
        return F.conv1d(e, self.logits_w[:, :, None], self.logits_b)[0].t()


def check_ae_queue(make, n=40):
    m = make()
    codes = torch.randint(0, len(m.table), (n,), generator=torch.Generator().manual_seed(6))
    ref = m.forward(codes)
    got = torch.stack([m.logits(int(q)) for q in codes])
    err = float((got - ref).abs().max())
    assert err < 1e-3 * max(1.0, float(ref.abs().max())), f'autoencoder queue generation disagrees with the forward pass: max |diff| {err}'
    return err


def cycle(layers, c):
    return [2 ** (i % c) for i in range(layers)]


AE_TABLE = torch.arange(256, dtype=torch.float32) / 128 - 1        # input values; timing does not depend on them
AE_ROWS = [
    # (family, peer name, wavegpu row, decoder args, steps)
    ('nsynth', 'nsynth fast generation (PyTorch CPU, per-layer queues) h512_bo16 B=1, 8 samples',
     'nsynth fast generation h512_bo16 (30 layers, 512/256) B=1, 8 samples',
     dict(layers=30, r=512, s=256, z=16, k=3, ks=3, classes=256, dilations=cycle(30, 10), hop=512), 8),
    ('umt', 'umt fast generation (PyTorch CPU, per-layer queues) 4x10 layers B=1, 64 samples',
     'umt fast generation 4x10 layers (k2, 128/128) B=1, 64 samples',
     dict(layers=40, r=128, s=128, z=64, k=2, ks=2, classes=256, dilations=cycle(40, 10), hop=800), 64),
    ('umt', 'umt fast generation (PyTorch CPU, per-layer queues) 4x14 layers B=1, 64 samples',
     'umt fast generation 4x14 layers (pretrained_musicnet) B=1, 64 samples',
     dict(layers=56, r=128, s=128, z=64, k=2, ks=2, classes=256, dilations=cycle(56, 14), hop=800), 64),
]


def main():
    with torch.inference_mode():
        for family, name, peer_of, args, steps in AE_ROWS:
            if not wanted(family, name, peer_of):
                continue
            make = lambda: AeQueueDecoder(table=AE_TABLE, first_class=128, **args)
            err = check_ae_queue(make)
            print(f'pytorch peer: {family} queue generation matches the forward pass (max |logit diff| {err:.2e})', file=sys.stderr)
            gen = make()
            ms, th, by = time_runs(lambda: gen.steps(steps))
            emit(family, name, peer_of, ms, audio_seconds=steps / 16000, samplesPerSecond=steps / (ms / 1e3), threads=th, msByThreads=by, torch=torch.__version__)


if __name__ == '__main__':
    main()
