"""PyTorch CPU peers of the WaveNet-family bench rows (bench/cases/{wavenet,nam,nsynth,umt}.ts).

Run by bench/run.mjs after the Node and Chromium phases as
    /usr/bin/python3 bench/peers/wavenet.py <filter>
and prints one `__BENCH_ROW__ <json>` line per row, each naming (peerOf) the wavegpu row that
does the same work:

  - WaveNet queue-based fast generation (per-layer queues of the last `dilation` inputs, so a
    sample costs O(layers)), one sample at a time, drawing from the softmax every step and
    feeding the drawn class back, at the violin size (B = 1 and 4) and at nv-wavenet's size
    (B = 1), 64 steps per run like the wavegpu rows;
  - the naive baseline that recomputes the receptive field for every sample (violin size);
  - the teacher-forced forward pass over 4096 + 254 samples (violin size);
  - NSynth h512_bo16 and UMT (4x10, 4x14) decoders' queue-based fast generation, B = 1, the
    conditioning precomputed per frame as in bench/cases/nsynth.ts (torch random weights of the
    same shapes; timing does not depend on the values);
  - Neural Amp Modeler A1 "standard" streaming 1 s at 48 kHz in 8192- and 512-sample blocks
    (per-layer history kept between blocks), and in one forward call.

Weights (WaveNet, NAM): the same seeded LCG tensors, in the same pytorch-wavenet / .nam orders, as
the bench cases, so both sides run identical networks. Timing mirrors bench/harness.ts: one warm-up run,
runs batched so a sample lasts >= 30 ms, median of `reps` samples. samples/s and the real-time
column use the wavegpu rows' definitions: audioSeconds = samples / 44100 for WaveNet (B * steps
samples per run), samples / 16000 for NSynth/UMT, 1 s of 48 kHz audio per run for NAM.

Before timing, a sanity check: the queue step fed a fixed input sequence reproduces the logits of
a full forward pass over a silent prefix + that sequence (WaveNet at both sizes, NSynth, UMT).
Each row is timed with os.cpu_count() threads and with 1, and keeps the faster (see THREAD_COUNTS).
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

FILTER = sys.argv[1] if len(sys.argv) > 1 else ''
REPS = 5
# Every row is timed with os.cpu_count() intra-op threads and with 1; the faster is the row's ms
# (both are in the row as msByThreads). On this shared 2-core machine a second OpenMP thread that
# is not scheduled stalls every parallel op at its barrier (a 64 x 255 tanh: 0.08 ms on 1 thread,
# 6 ms on 2 under load), so a fixed thread count can make the peer look far slower than it is.
THREAD_COUNTS = sorted({os.cpu_count() or 1, 1}, reverse=True)


# ---------------------------------------------------------------- weights (same as the TS cases)

def lcg(n, seed, scale):
    """bench/cases/wavenet.ts tensor(): s = s * 1664525 + 1013904223 (mod 2^32); (s / 2^31 - 1) * scale."""
    out = np.empty(n, dtype=np.float64)
    s = seed & 0xFFFFFFFF
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = s
    return ((out / 2 ** 31 - 1) * scale).astype(np.float32)


def tensor(shape, seed, scale):
    return torch.from_numpy(lcg(int(np.prod(shape)), seed, scale)).view(*shape)


VIOLIN = dict(layers=7, blocks=2, r=64, d=64, s=64, e=0, classes=128, onehot=False)
NV = dict(layers=10, blocks=2, r=64, d=64, s=256, e=256, classes=256, onehot=True)


def random_state_dict(z):
    """randomStateDict() of bench/cases/wavenet.ts."""
    sd = {'start_conv.weight': tensor([z['r'], z['classes'] if z['onehot'] else 1, 1], 1, 1)}
    for i in range(z['layers'] * z['blocks']):
        sd[f'dilated_convs.{i}.weight'] = tensor([2 * z['d'], z['r'], 2], 10 + i, 1 / np.sqrt(2 * z['r']))
        sd[f'residual_convs.{i}.weight'] = tensor([z['r'], z['d'], 1], 100 + i, 1 / np.sqrt(z['d']))
        sd[f'skip_convs.{i}.weight'] = tensor([z['s'], z['d'], 1], 200 + i, 1 / np.sqrt(z['d']))
    if z['e']:
        sd['end_conv_1.weight'] = tensor([z['e'], z['s'], 1], 2, 1 / np.sqrt(z['s']))
        sd['end_conv_1.bias'] = tensor([z['e']], 3, 0.1)
        sd['end_conv_2.weight'] = tensor([z['classes'], z['e'], 1], 4, 1 / np.sqrt(z['e']))
        sd['end_conv_2.bias'] = tensor([z['classes']], 5, 0.1)
    else:
        sd['end_conv.weight'] = tensor([z['classes'], z['s'], 1], 4, 1 / np.sqrt(z['s']))
        sd['end_conv.bias'] = tensor([z['classes']], 5, 0.1)
    return sd


def dilations(z):
    return [2 ** i for _ in range(z['blocks']) for i in range(z['layers'])]


def bins(classes):
    """numpy linspace(-1, 1, classes): the companded value of each class (the scalar input)."""
    return torch.from_numpy(np.linspace(-1, 1, classes).astype(np.float32))


def silence_class(classes):
    """muLawClass(0.0): the last bin <= 0."""
    return int(np.digitize(0.0, np.linspace(-1, 1, classes)) - 1)


# ---------------------------------------------------------------- WaveNet, full forward

def embed_seq(sd, z, codes):
    """Start-conv output [B, R, T] for classes [B, T]."""
    w = sd['start_conv.weight'][:, :, 0]
    if z['onehot']:
        return w[:, codes].permute(1, 0, 2)
    return w[None, :, :] * bins(z['classes'])[codes][:, None, :]


def forward(sd, z, h):
    """Teacher-forced logits [B, C, T - RF + 1] from the start-conv output h [B, R, T]."""
    skip = None
    dil = dilations(z)
    for i, d in enumerate(dil):
        zz = F.conv1d(h, sd[f'dilated_convs.{i}.weight'], dilation=d)
        n = zz.shape[2]
        y = torch.tanh(zz[:, :z['d']]) * torch.sigmoid(zz[:, z['d']:])
        s = F.conv1d(y, sd[f'skip_convs.{i}.weight'])
        skip = s if skip is None else s + skip[:, :, -n:]
        if i < len(dil) - 1:
            h = F.conv1d(y, sd[f'residual_convs.{i}.weight']) + h[:, :, -n:]
    if z['e']:
        e = F.relu(F.conv1d(F.relu(skip), sd['end_conv_1.weight'], sd['end_conv_1.bias']))
        return F.conv1d(e, sd['end_conv_2.weight'], sd['end_conv_2.bias'])
    return F.conv1d(F.relu(skip), sd['end_conv.weight'], sd['end_conv.bias'])


def receptive_field(z):
    return sum(dilations(z)) + 1


# ---------------------------------------------------------------- WaveNet, queue generation

class QueueWaveNet:
    """
    Fast generation: layer l keeps a ring of its last d_l inputs ([d_l, B, R]); one step is
    embed -> per layer z = W [x_{t-d}; x_t] (the k=2 dilated conv as one matmul), gate,
    [residual; skip] 1x1 as one matmul -> head -> softmax draw -> feed the class back.
    The queues start in the steady state of a silent past (input value 0.0), like generate().
    """

    def __init__(self, sd, z, b, seed=1):
        self.z, self.b, self.t = z, b, 0
        self.dil = dilations(z)
        L, D, R = len(self.dil), z['d'], z['r']
        self.w_start = sd['start_conv.weight'][:, :, 0].t().contiguous()          # [C or 1, R]
        self.bins = bins(z['classes'])
        # dilated conv: columns [past taps | current taps] -> [2D, 2R]
        self.w_dil = [torch.cat([sd[f'dilated_convs.{i}.weight'][:, :, 0], sd[f'dilated_convs.{i}.weight'][:, :, 1]], 1).contiguous() for i in range(L)]
        self.w_rs = [torch.cat([sd[f'residual_convs.{i}.weight'][:, :, 0], sd[f'skip_convs.{i}.weight'][:, :, 0]], 0).contiguous() if i < L - 1
                     else sd[f'skip_convs.{i}.weight'][:, :, 0].contiguous() for i in range(L)]
        self.head = [(sd['end_conv_1.weight'][:, :, 0], sd['end_conv_1.bias']), (sd['end_conv_2.weight'][:, :, 0], sd['end_conv_2.bias'])] if z['e'] \
            else [(sd['end_conv.weight'][:, :, 0], sd['end_conv.bias'])]
        self.gen = torch.Generator().manual_seed(seed)
        # Silent past: every slot of layer l's ring holds layer l's input for a silent input.
        h = torch.zeros(b, R) if not z['onehot'] else self.w_start[silence_class(z['classes'])].expand(b, R).clone()
        self.queues = []
        for l, d in enumerate(self.dil):
            self.queues.append(h.expand(d, b, R).clone())
            zz = F.linear(torch.cat([h, h], 1), self.w_dil[l])
            y = torch.tanh(zz[:, :D]) * torch.sigmoid(zz[:, D:])
            if l < L - 1:
                h = h + F.linear(y, self.w_rs[l])[:, :R]
        self.code = torch.full((b,), silence_class(z['classes']), dtype=torch.long)

    def embed(self, codes):
        if self.z['onehot']:
            return self.w_start[codes]                          # [B, R]: start conv of a one-hot
        return self.bins[codes][:, None] * self.w_start         # [B, 1] x [1, R]

    def logits(self, h):
        """One step from the start-conv output h [B, R]: logits [B, C]; advances the queues."""
        D, R = self.z['d'], self.z['r']
        skip = None
        last = len(self.dil) - 1
        for l, d in enumerate(self.dil):
            q = self.queues[l]
            slot = q[self.t % d]
            x = torch.cat([slot, h], 1)                        # copies x_{t-d} before it is overwritten
            slot.copy_(h)
            zz = F.linear(x, self.w_dil[l])
            y = torch.tanh(zz[:, :D]) * torch.sigmoid(zz[:, D:])
            rs = F.linear(y, self.w_rs[l])
            if l < last:
                s = rs[:, R:]
                h = h + rs[:, :R]
            else:
                s = rs
            skip = s if skip is None else skip + s
        a = F.relu(skip)
        for j, (w, bias) in enumerate(self.head):
            a = F.linear(a, w, bias)
            if j < len(self.head) - 1:
                a = F.relu(a)
        self.t += 1
        return a

    def step(self):
        """One generated sample per stream: draw from softmax(logits), feed it back."""
        lg = self.logits(self.embed(self.code))
        self.code = torch.multinomial(torch.softmax(lg, 1), 1, generator=self.gen)[:, 0]
        return self.code

    def steps(self, n):
        for _ in range(n):
            self.step()


class RecomputeWaveNet:
    """The naive baseline: forward() over the last receptive field of inputs for every sample."""

    def __init__(self, sd, z, seed=1):
        self.sd, self.z = sd, z
        self.rf = receptive_field(z)
        self.codes = [silence_class(z['classes'])] * self.rf   # silent past, then the draws
        self.gen = torch.Generator().manual_seed(seed)

    def steps(self, n):
        for _ in range(n):
            win = torch.tensor(self.codes[-self.rf:])[None]
            lg = forward(self.sd, self.z, embed_seq(self.sd, self.z, win))[0, :, -1]
            self.codes.append(int(torch.multinomial(torch.softmax(lg, 0), 1, generator=self.gen)))


def check_queue_matches_forward(sd, z, n=300):
    """Queue steps fed a fixed class sequence give the forward pass's logits (silent prefix)."""
    g = torch.Generator().manual_seed(5)
    codes = torch.randint(0, z['classes'], (1, n), generator=g)
    rf = receptive_field(z)
    sil = silence_class(z['classes'])
    h = embed_seq(sd, z, codes)
    if z['onehot']:
        prefix = embed_seq(sd, z, torch.full((1, rf - 1), sil, dtype=torch.long))
    else:
        prefix = torch.zeros(1, z['r'], rf - 1)                # input value 0.0, as generate() starts
    ref = forward(sd, z, torch.cat([prefix, h], 2))[0].t()     # [n, C]
    q = QueueWaveNet(sd, z, 1)
    got = torch.stack([q.logits(q.embed(codes[:, t]))[0] for t in range(n)])
    err = float((got - ref).abs().max())
    assert err < 1e-3 * max(1.0, float(ref.abs().max())), f'queue generation disagrees with the forward pass: max |diff| {err}'
    return err


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


# ---------------------------------------------------------------- timing (bench/harness.ts)

def median(v):
    return sorted(v)[len(v) // 2]


def time_runs(run, reps=REPS):
    """(best median ms, threads it used, {threads: median ms})."""
    by = {}
    for th in THREAD_COUNTS:
        torch.set_num_threads(th)
        by[th] = time_runs1(run, reps)
    best = min(by, key=by.get)
    return by[best], best, by


def time_runs1(run, reps):
    run()                                                       # warm-up
    t0 = time.perf_counter()
    run()
    single = (time.perf_counter() - t0) * 1e3
    batch = max(1, min(50, int(np.ceil(30 / max(single, 0.01)))))
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(batch):
            run()
        samples.append((time.perf_counter() - t0) * 1e3 / batch)
    return median(samples)


def wanted(family, name, peer_of):
    return FILTER in f'{family} {name}' or FILTER in f'{family} {peer_of}'


def emit(family, name, peer_of, ms, audio_seconds=None, flops=None, **extra):
    row = {'family': family, 'name': name, 'platform': 'pytorch-cpu', 'runtime': 'pytorch-cpu', 'peerOf': peer_of, 'ms': ms}
    if audio_seconds:
        row['realtime'] = audio_seconds / (ms / 1e3)
    if flops:
        row['gflops'] = flops / (ms / 1e3) / 1e9
    row.update(extra)
    print('__BENCH_ROW__ ' + json.dumps(row), flush=True)


def step_macs(z):
    """stepMacs() of bench/cases/wavenet.ts."""
    layers = z['layers'] * z['blocks']
    return z['r'] + layers * (2 * z['d'] * z['r'] * 2 + z['d'] * (z['r'] + z['s'])) - z['d'] * z['r'] + \
        (z['s'] * z['e'] + z['e'] * z['classes'] if z['e'] else z['s'] * z['classes'])


GEN_ROWS = [
    # (peer name, wavegpu row, size, batch, steps, wavegpu persistent-kernel row doing the same work)
    ('wavenet fast generation (PyTorch CPU, per-layer queues), violin size B=1, 64 samples',
     'wavenet fast generation, violin size (14 layers 64/64/64, 128 classes) B=1, 64 samples', VIOLIN, 1, 64,
     'wavenet persistent generation (1 workgroup/stream, 64 samples/dispatch), violin size B=1, 64 samples'),
    ('wavenet fast generation (PyTorch CPU, per-layer queues), violin size B=4, 64 samples per stream',
     'wavenet fast generation, violin size B=4, 64 samples per stream', VIOLIN, 4, 64,
     'wavenet persistent generation, violin size B=4, 64 samples per stream'),
    ('wavenet fast generation (PyTorch CPU, per-layer queues), nv-wavenet size B=1, 64 samples',
     'wavenet fast generation, nv-wavenet size (20 layers, R=64, S=256, head 256, 256 classes) B=1, 64 samples', NV, 1, 64, None),
]
RECOMPUTE = ('wavenet full-recompute generation (PyTorch CPU, naive baseline), violin size B=1, 2 samples',
             'wavenet full-recompute generation (naive baseline), violin size B=1, 2 samples', 2)
FORWARD = ('wavenet teacher-forced forward (PyTorch CPU), violin size, 4096 outputs',
           'wavenet teacher-forced forward, violin size, 4096 outputs', 4096)
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
    sds = {}

    def sd_of(z):
        key = id(z)
        if key not in sds:
            sds[key] = random_state_dict(z)
            err = check_queue_matches_forward(sds[key], z)
            print(f'pytorch peer: queue generation matches the forward pass (max |logit diff| {err:.2e})', file=sys.stderr)
        return sds[key]

    with torch.inference_mode():
        for name, peer_of, z, b, steps, persistent in GEN_ROWS:
            if not (wanted('wavenet', name, peer_of) or persistent and wanted('wavenet', name, persistent)):
                continue
            gen = QueueWaveNet(sd_of(z), z, b)
            ms, th, by = time_runs(lambda: gen.steps(steps))
            fields = dict(audio_seconds=b * steps / 44100, flops=2 * step_macs(z) * b * steps,
                          samplesPerSecond=b * steps / (ms / 1e3), threads=th, msByThreads=by, torch=torch.__version__)
            emit('wavenet', name, peer_of, ms, **fields)
            if persistent:   # the same measurement, against the persistent kernel's row
                emit('wavenet', name + ' [same measurement, vs the persistent kernel]', persistent, ms, **fields)
        name, peer_of, steps = RECOMPUTE
        if wanted('wavenet', name, peer_of):
            gen = RecomputeWaveNet(sd_of(VIOLIN), VIOLIN)
            ms, th, by = time_runs(lambda: gen.steps(steps))
            emit('wavenet', name, peer_of, ms, audio_seconds=steps / 44100, samplesPerSecond=steps / (ms / 1e3), threads=th, msByThreads=by, torch=torch.__version__)
        name, peer_of, outputs = FORWARD
        if wanted('wavenet', name, peer_of):
            sd = sd_of(VIOLIN)
            t = outputs + receptive_field(VIOLIN) - 1
            x = torch.from_numpy(lcg(t, 9, 1))[None, None, :]             # input values [1, 1, T]
            ms, th, by = time_runs(lambda: forward(sd, VIOLIN, F.conv1d(x, sd['start_conv.weight'])))
            emit('wavenet', name, peer_of, ms, audio_seconds=outputs / 44100, flops=2 * step_macs(VIOLIN) * outputs, threads=th, msByThreads=by, torch=torch.__version__)
        for family, name, peer_of, args, steps in AE_ROWS:
            if not wanted(family, name, peer_of):
                continue
            make = lambda: AeQueueDecoder(table=AE_TABLE, first_class=128, **args)
            err = check_ae_queue(make)
            print(f'pytorch peer: {family} queue generation matches the forward pass (max |logit diff| {err:.2e})', file=sys.stderr)
            gen = make()
            ms, th, by = time_runs(lambda: gen.steps(steps))
            emit(family, name, peer_of, ms, audio_seconds=steps / 16000, samplesPerSecond=steps / (ms / 1e3), threads=th, msByThreads=by, torch=torch.__version__)
        for name, peer_of, block in NAM_ROWS:
            if not wanted('nam', name, peer_of):
                continue
            m = NamStream(block)
            x = torch.from_numpy((0.3 * np.sin(np.arange(NAM_SR) * 0.05)).astype(np.float32))[None, None, :]
            ms, th, by = time_runs(lambda: m.run(x))
            emit('nam', name, peer_of, ms, audio_seconds=1.0, threads=th, msByThreads=by, torch=torch.__version__)


if __name__ == '__main__':
    main()
