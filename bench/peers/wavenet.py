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
(NSynth/UMT decoders: bench/peers/nsynth.py; Neural Amp Modeler: bench/peers/nam.py.)

Weights (WaveNet, NAM): the same seeded LCG tensors, in the same pytorch-wavenet / .nam orders, as
the bench cases, so both sides run identical networks. Timing mirrors bench/harness.ts: one warm-up run,
runs batched so a sample lasts >= 30 ms, median of `reps` samples. samples/s and the real-time
column use the wavegpu rows' definitions: audioSeconds = samples / 44100 for WaveNet (B * steps
samples per run), samples / 16000 for NSynth/UMT, 1 s of 48 kHz audio per run for NAM.

Before timing, a sanity check: the queue step fed a fixed input sequence reproduces the logits of
a full forward pass over a silent prefix + that sequence (WaveNet at both sizes, NSynth, UMT).
Each row is timed with os.cpu_count() threads and with 1, and keeps the faster (see THREAD_COUNTS).
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F

from _torch import emit, lcg, tensor, time_runs, wanted  # noqa: E402


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


if __name__ == '__main__':
    main()
