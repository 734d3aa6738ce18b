"""The wavegpu DDSP decoder and synthesisers in PyTorch, written from the semantics of
src/models/ddsp (kernels/ddsp.wgsl, kernels/ddsp_synth.wgsl): same features, layer structure,
one-group layer norm over the whole [C, T], control head and harmonic + filtered-noise synth."""
import json, math, struct
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SR, HOP = 16000, 64
# Constants of magenta's graph (src/models/ddsp/synthetic.ts lists the same values).
CONSTS = {
    'features': {'ldScale': 1 / 120, 'ldShift': 1.0, 'log2e': math.log2(math.e), 'log2of440': math.log2(440.0),
                 'semitones': 12.0, 'midiA4': 69.0, 'midiScale': 1 / 127},
    'controls': {'amp': {'max': 2.0, 'exponent': math.log(10), 'eps': 1e-7},
                 'dist': {'max': 2.0, 'exponent': math.log(10), 'eps': 1e-7},
                 'noise': {'max': 2.0, 'exponent': math.log(10), 'eps': 1e-7},
                 'noiseBias': -5.0, 'nyquist': 8000.0},
    'synth': {'omegaScale': 2 * math.pi / SR, 'twoPi': 2 * math.pi, 'nyquist': 8000.0, 'chunk': 1000,
              'noiseScale': 2.0, 'noiseMin': -1.0, 'crop': 62},
    'normEps': 1e-5,
}


def hann(n, shifted=False):
    i = torch.arange(n, dtype=torch.float64)
    if shifted:
        i = (i + n // 2) % n
    return (0.5 - 0.5 * torch.cos(2 * math.pi * i / n)).float()


def exp_sigmoid(v, c):
    return c['max'] * torch.sigmoid(v) ** c['exponent'] + c['eps']


class Decoder(nn.Module):
    def __init__(self, channels=64, layers=8, harmonics=60, bands=65, kernel=3):
        super().__init__()
        self.C, self.H, self.NB = channels, harmonics, bands
        self.dilations = [2 ** (i % 8) for i in range(layers)]
        self.conv_in = nn.Conv1d(2, channels, kernel, padding=1)
        self.convs = nn.ModuleList(nn.Conv1d(channels, channels, kernel, dilation=d, padding=d) for d in self.dilations)
        self.gamma = nn.Parameter(torch.ones(layers, channels))
        self.beta = nn.Parameter(torch.zeros(layers, channels))
        self.dense = nn.Linear(channels, 1 + harmonics + bands)

    @staticmethod
    def features(f0, ld):
        c = CONSTS['features']
        l = ld * c['ldScale'] + c['ldShift']
        midi = torch.where(f0 > 0, (torch.log(f0.clamp_min(1e-5)) * c['log2e'] - c['log2of440']) * c['semitones'] + c['midiA4'],
                           torch.zeros_like(f0))
        return torch.stack([l, midi * c['midiScale']], dim=1)  # [B, 2, T]

    def forward(self, f0, ld):
        """f0, ld [B, T] -> dense head incl. bias [B, T, 1 + H + NB]"""
        x = self.conv_in(self.features(f0, ld))
        r = F.relu(x)
        for i, conv in enumerate(self.convs):
            h = conv(r)
            m = h.mean(dim=(1, 2), keepdim=True)
            v = ((h - m) ** 2).mean(dim=(1, 2), keepdim=True)
            x = x + self.gamma[i][None, :, None] * (h - m) / torch.sqrt(v + CONSTS['normEps']) + self.beta[i][None, :, None]
            r = F.relu(x)
        return self.dense(x.transpose(1, 2))


def controls(d, f0, H):
    c = CONSTS['controls']
    amp = exp_sigmoid(d[..., 0], c['amp'])
    hn = torch.arange(1, H + 1, dtype=torch.float32)
    dist = exp_sigmoid(d[..., 1:1 + H], c['dist'])
    dist = torch.where(f0[..., None] * hn >= c['nyquist'], torch.zeros_like(dist), dist)
    total = dist.sum(-1, keepdim=True)
    harm = torch.where(total > 0, amp[..., None] * dist / total.clamp_min(1e-30), torch.zeros_like(dist))
    mags = exp_sigmoid(d[..., 1 + H:] + c['noiseBias'], c['noise'])
    return amp, harm, mags


def harmonic_synth(f0, harm):
    """f0 [B, F] Hz, harm [B, F, H] frame amplitudes -> audio [B, F * HOP]."""
    B, Fr, H = harm.shape
    N = Fr * HOP
    # Harmonics at or above Nyquist for the lowest f0 in the batch are silent everywhere: skip them
    # (same output, less work).
    pos = f0[f0 > 0]
    if pos.numel():
        h_act = int(min(H, math.ceil(CONSTS['synth']['nyquist'] / float(pos.min())) + 1))
        harm = harm[..., :h_act]
        H = h_act
    f0n = torch.cat([f0, f0[:, -1:]], 1)
    u = torch.arange(HOP, dtype=torch.float32) / HOP
    fs = (f0n[:, :-1, None] + (f0n[:, 1:, None] - f0n[:, :-1, None]) * u).reshape(B, N)  # linear, last held
    ph = torch.cumsum(fs.double() * (2 * math.pi / SR), 1)
    ph = torch.remainder(ph, 2 * math.pi).float()
    hn = torch.arange(1, H + 1, dtype=torch.float32)
    w = hann(2 * HOP)
    hp = torch.cat([harm, harm[:, -1:]], 1)
    A = hp[:, :-1, None, :] * w[HOP:][None, None, :, None] + hp[:, 1:, None, :] * w[:HOP][None, None, :, None]
    A = A.reshape(B, N, H)
    A = torch.where(fs[..., None] * hn >= CONSTS['synth']['nyquist'], torch.zeros_like(A), A)
    return (A * torch.sin(torch.remainder(ph[..., None] * hn, 2 * math.pi))).sum(-1)


def filtered_noise(mags, gen=None):
    """mags [B, F, NB] -> audio [B, F * HOP]: per-frame zero-phase FIR (irfft), hann-windowed,
    rolled to causal, convolved with uniform noise frames, overlap-added, cropped."""
    B, Fr, NB = mags.shape
    I = 2 * (NB - 1)
    zp = torch.fft.irfft(mags.to(torch.complex64), n=I)
    ir = torch.roll(zp * hann(I, shifted=True), I // 2, dims=-1)
    s = CONSTS['synth']
    e = torch.rand(B, Fr, HOP, generator=gen) * s['noiseScale'] + s['noiseMin']
    L = 2 * I
    y = torch.fft.irfft(torch.fft.rfft(e, n=L) * torch.fft.rfft(ir, n=L), n=L)  # [B, F, L]
    out = F.fold(y.transpose(1, 2), output_size=(1, (Fr - 1) * HOP + L), kernel_size=(1, L), stride=(1, HOP))
    out = out.reshape(B, -1)
    return out[:, s['crop']:s['crop'] + Fr * HOP]


def synthesize(model, f0, ld, gen=None, noise=True):
    d = model(f0, ld)
    amp, harm, mags = controls(d, f0, model.H)
    y = harmonic_synth(f0, harm)
    if noise:
        y = y + filtered_noise(mags, gen)
    return y, (amp, harm, mags)


def spectral_loss(x, y, ffts=(2048, 1024, 512, 256, 128, 64)):
    """Multi-scale spectral loss: per FFT size, mean |S_x - S_y| + mean |log S_x - log S_y|
    (magnitudes, hann window, 75% overlap)."""
    total = 0.0
    for n in ffts:
        w = torch.hann_window(n)
        sx = torch.stft(x, n, n // 4, window=w, center=True, return_complex=True).abs()
        sy = torch.stft(y, n, n // 4, window=w, center=True, return_complex=True).abs()
        total = total + (sx - sy).abs().mean() + (torch.log(sx + 1e-7) - torch.log(sy + 1e-7)).abs().mean()
    return total


def state_for_wavegpu(model):
    """Named float32 tensors in the layout of wavegpu's DdspWeights (src/models/ddsp/weights.ts):
    conv weights [Cout, Cin, K] (conv1d layout), dense [C, 1 + H + NB] (in, out)."""
    t = {'conv_in.weight': model.conv_in.weight, 'conv_in.bias': model.conv_in.bias}
    for i, c in enumerate(model.convs):
        t[f'layers.{i}.weight'] = c.weight
        t[f'layers.{i}.bias'] = c.bias
        t[f'layers.{i}.gamma'] = model.gamma[i]
        t[f'layers.{i}.beta'] = model.beta[i]
    t['dense.weight'] = model.dense.weight.t()
    t['dense.bias'] = model.dense.bias
    t['synth.harmonic_numbers'] = torch.arange(1, model.H + 1, dtype=torch.float32)
    t['synth.amp_window'] = hann(2 * HOP)
    t['synth.noise_window'] = hann(2 * (model.NB - 1), shifted=True)
    return {k: v.detach().float().contiguous().numpy() for k, v in t.items()}


def load_from_state(model, t):
    with torch.no_grad():
        model.conv_in.weight.copy_(torch.from_numpy(t['conv_in.weight']))
        model.conv_in.bias.copy_(torch.from_numpy(t['conv_in.bias']))
        for i, c in enumerate(model.convs):
            c.weight.copy_(torch.from_numpy(t[f'layers.{i}.weight']))
            c.bias.copy_(torch.from_numpy(t[f'layers.{i}.bias']))
            model.gamma[i].copy_(torch.from_numpy(t[f'layers.{i}.gamma']))
            model.beta[i].copy_(torch.from_numpy(t[f'layers.{i}.beta']))
        model.dense.weight.copy_(torch.from_numpy(t['dense.weight']).t())
        model.dense.bias.copy_(torch.from_numpy(t['dense.bias']))


def write_safetensors(path, tensors, metadata):
    header, off, blobs = {'__metadata__': metadata}, 0, []
    for k in tensors:  # insertion order
        a = np.ascontiguousarray(tensors[k], dtype='<f4')
        b = a.tobytes()
        header[k] = {'dtype': 'F32', 'shape': list(a.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def read_safetensors(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop('__metadata__', {})
    out = {}
    for k, v in header.items():
        s, e = v['data_offsets']
        out[k] = np.frombuffer(raw[8 + n + s:8 + n + e], dtype='<f4').reshape(v['shape']).copy()
    return out, meta


# ---- fast training path ----------------------------------------------------------------------
# f0 is an input, not learned, so the harmonic synth is LINEAR in the harmonic amplitudes:
# y[j hop + u] = sum_k (harm[j, k] w[u + hop] + harm[j + 1, k] w[u]) s_k(j hop + u), with
# s_k = sin(phi_k) (zero at or above Nyquist) fixed per clip. The tables s are computed once per
# training clip (float16) and the synth becomes two small batched matmuls: same output as
# harmonic_synth up to float16 rounding of s, ~20x less work per step.

def sin_table(f0, H, dtype=torch.float16):
    """f0 [B, F] -> s [B, F * HOP, H] (sin of each harmonic's phase, 0 at/above Nyquist)."""
    out = []
    for b in range(f0.shape[0]):
        f = f0[b:b + 1]
        Fr = f.shape[1]
        fn = torch.cat([f, f[:, -1:]], 1)
        u = torch.arange(HOP, dtype=torch.float32) / HOP
        fs = (fn[:, :-1, None] + (fn[:, 1:, None] - fn[:, :-1, None]) * u).reshape(1, Fr * HOP)
        ph = torch.remainder(torch.cumsum(fs.double() * (2 * math.pi / SR), 1), 2 * math.pi).float()
        hn = torch.arange(1, H + 1, dtype=torch.float32)
        s = torch.sin(torch.remainder(ph[..., None] * hn, 2 * math.pi))
        s = torch.where(fs[..., None] * hn >= CONSTS['synth']['nyquist'], torch.zeros_like(s), s)
        out.append(s.to(dtype))
    return torch.cat(out, 0)


def harmonic_from_table(s, harm):
    """s [B, N, Hs] from sin_table, harm [B, F, H] -> audio [B, N] (harmonics beyond Hs are silent
    for these clips: every f0 * k >= Nyquist)."""
    B, Fr, H = harm.shape
    Hs = s.shape[-1]
    harm = harm[..., :Hs]
    w = hann(2 * HOP)
    hp = torch.cat([harm, harm[:, -1:]], 1)
    s4 = s.float().reshape(B, Fr, HOP, Hs)
    y = torch.einsum('bfuh,bfh->bfu', s4, hp[:, :-1]) * w[HOP:] + torch.einsum('bfuh,bfh->bfu', s4, hp[:, 1:]) * w[:HOP]
    return y.reshape(B, Fr * HOP)


def synthesize_table(model, f0, ld, s, gen=None, noise=True):
    d = model(f0, ld)
    amp, harm, mags = controls(d, f0, model.H)
    y = harmonic_from_table(s, harm)
    return (y + filtered_noise(mags, gen) if noise else y), (amp, harm, mags)
