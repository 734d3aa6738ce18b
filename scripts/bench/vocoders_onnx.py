"""ONNX exports of the bench vocoders at full official size, for the onnxruntime-web peer
(bench/peers/vocoders.ts), and the PyTorch models the PyTorch-CPU peer (bench/peers/vocoders.py)
times. The weights are the bench's own random full-size checkpoints, so wavegpu and the peers
compute the same thing:

  melgan      bench/fixtures/melgan_full.pt          (scripts/fixtures/vocoders.py --full)
  hifigan_v1  bench/fixtures/hifigan_v1_full.pt      (idem; v2, v3 likewise)
  pwg         bench/fixtures/pwg_full.pkl            (idem; the noise z is an input)
  mbmelgan    random weights (seed 1) in a PyTorch reference of TensorFlowTTS's multi-band MelGAN
              generator (multiband_melgan.v1: 80 mels, 384 filters, upsampling 8x4x2, 4 residual
              blocks per stage with dilations 1/3/9/27, 4 sub-bands) followed by PQMF synthesis
              (62 taps, cutoff 0.142, beta 9), laid out as the TF graph does it (zero insertion
              by a stride-4 transposed conv, then a 63-tap conv). wavegpu runs the real LJSpeech
              TF.js weights of the same architecture: same work, different numbers, so this one's
              output is checked against PyTorch only.

Weight norm is folded (remove_weight_norm) before export; the time axis is dynamic. For each model
X this writes bench/fixtures/X.onnx (inputs 'mel' [1, 80, T] (+ 'z' [1, 1, T * 256] for pwg),
output 'y' [1, 1, T * 256]) and a check pair X_check_mel.npy (+ pwg_check_z.npy) /
X_check_y.npy (the model in float64 on CHECK_FRAMES random frames) that the peers verify against.

Run: /usr/bin/python3 scripts/bench/vocoders_onnx.py [bench/fixtures [names...]]
(makes the full checkpoints first when they are missing: scripts/fixtures/vocoders.py --full DIR)
"""
import math, os, sys
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
sys.path.insert(0, os.path.join(ROOT, 'scripts', 'fixtures'))
from vocoders_nets import MelGAN, HiFiGAN, PWG, PWGUpsample, HIFIGAN_CONFIGS, randomize  # noqa: E402

NAMES = ['melgan', 'mbmelgan', 'hifigan_v1', 'hifigan_v2', 'hifigan_v3', 'pwg']
CHECK_FRAMES = 8
FULL_CMD = '/usr/bin/python3 scripts/fixtures/vocoders.py --full bench/fixtures'
ONNX_CMD = '/usr/bin/python3 scripts/bench/vocoders_onnx.py'


# ---- Multi-band MelGAN (TensorFlowTTS TFMelGANGenerator + TFPQMF synthesis) -----------------

class MBResBlock(nn.Module):
    def __init__(self, ch, d, slope):
        super().__init__()
        self.slope, self.d = slope, d
        self.conv1 = nn.Conv1d(ch, ch, 3, dilation=d)
        self.conv2 = nn.Conv1d(ch, ch, 1)
        self.shortcut = nn.Conv1d(ch, ch, 1)

    def forward(self, x):
        h = F.pad(F.leaky_relu(x, self.slope), (self.d, self.d), mode='reflect')
        return self.shortcut(x) + self.conv2(F.leaky_relu(self.conv1(h), self.slope))


def pqmf_synthesis_filter(M=4, taps=62, cutoff=0.142, beta=9.0):
    """TensorFlowTTS/ParallelWaveGAN PQMF: Kaiser-windowed prototype, cosine-modulated synthesis bank."""
    n = np.arange(taps + 1) - taps / 2
    with np.errstate(invalid='ignore'):
        h = np.sin(math.pi * cutoff * n) / (math.pi * n)
    h[taps // 2] = cutoff
    h = h * np.kaiser(taps + 1, beta)
    g = np.stack([2 * h * np.cos((2 * k + 1) * math.pi / (2 * M) * n - (-1) ** k * math.pi / 4) for k in range(M)])
    return torch.from_numpy(g).float()  # [M, taps + 1]


class MBMelGAN(nn.Module):
    def __init__(self, n_mels=80, filters=384, scales=(8, 4, 2), dilations=(1, 3, 9, 27), subbands=4, slope=0.2, taps=62):
        super().__init__()
        self.slope, self.M = slope, subbands
        self.first_conv = nn.Conv1d(n_mels, filters, 7)
        self.ups, self.stacks = nn.ModuleList(), nn.ModuleList()
        ch = filters
        for s in scales:
            # TF 'SAME' transposed conv of kernel 2s, stride s: crop s / 2 from each end.
            self.ups.append(nn.ConvTranspose1d(ch, ch // 2, 2 * s, stride=s, padding=s // 2))
            ch //= 2
            self.stacks.append(nn.ModuleList([MBResBlock(ch, d, slope) for d in dilations]))
        self.last_conv = nn.Conv1d(ch, subbands, 7)
        self.taps = taps
        updown = torch.zeros(subbands, subbands, subbands)
        for k in range(subbands):
            updown[k, k, 0] = subbands  # zero insertion times M, as the graph's conv1d_transpose
        self.register_buffer('updown', updown)
        self.register_buffer('synthesis', pqmf_synthesis_filter(subbands, taps)[None])  # [1, M, taps + 1]

    def forward(self, mel):
        x = self.first_conv(F.pad(mel, (3, 3), mode='reflect'))
        for up, blocks in zip(self.ups, self.stacks):
            x = up(F.leaky_relu(x, self.slope))
            for b in blocks:
                x = b(x)
        bands = torch.tanh(self.last_conv(F.pad(F.leaky_relu(x, self.slope), (3, 3), mode='reflect')))
        up = F.conv_transpose1d(bands, self.updown, stride=self.M)
        return F.conv1d(F.pad(up, (self.taps // 2, self.taps // 2)), self.synthesis)


# ---- PWG: an export-friendly nearest stretch (repeat_interleave has no dynamic-shape ONNX form in torch 1.13)

def _pwg_upsample_forward(self, c):
    c = self.conv_in(c).unsqueeze(1)                      # [B, 1, C, T]
    for i, s in enumerate(self.scales):
        b, _, ch, t = c.shape
        c = c.unsqueeze(-1).expand(b, 1, ch, t, s).reshape(b, 1, ch, t * s)
        c = self.upsample.up_layers[2 * i + 1](c)
    return c.squeeze(1)


PWGUpsample.forward = _pwg_upsample_forward


# ---- loading -------------------------------------------------------------------------------

def fold_weight_norm(model):
    for m in model.modules():
        if hasattr(m, 'weight_g'):
            torch.nn.utils.remove_weight_norm(m)
    return model


def load(name, fixtures):
    """The PyTorch model of `name` with the bench's weights, weight norm folded, eval mode."""
    def need(f):
        p = os.path.join(fixtures, f)
        if not os.path.exists(p):
            raise FileNotFoundError(f'{p} is missing: run {FULL_CMD}')
        return p
    if name == 'melgan':
        m = MelGAN()
        m.load_state_dict(torch.load(need('melgan_full.pt'), map_location='cpu'))
    elif name.startswith('hifigan_'):
        m = HiFiGAN(HIFIGAN_CONFIGS[name.split('_')[1]])
        m.load_state_dict(torch.load(need(f'{name}_full.pt'), map_location='cpu')['generator'])
    elif name == 'pwg':
        m = PWG()
        m.load_state_dict(torch.load(need('pwg_full.pkl'), map_location='cpu')['model']['generator'])
    elif name == 'mbmelgan':
        m = randomize(MBMelGAN(), torch.Generator().manual_seed(1))
        m.synthesis.copy_(pqmf_synthesis_filter())  # randomize() only touches parameters, but be explicit
    else:
        raise ValueError(name)
    return fold_weight_norm(m).eval()


def inputs(name, frames, gen, dtype=torch.float32):
    mel = torch.randn(1, 80, frames, generator=gen, dtype=torch.float64).to(dtype)
    if name == 'pwg':
        return (torch.randn(1, 1, frames * 256, generator=gen, dtype=torch.float64).to(dtype), mel)
    return (mel,)


def export(name, fixtures):
    model = load(name, fixtures)
    gen = torch.Generator().manual_seed(7)
    args = inputs(name, 32, gen)
    names = ['z', 'mel'] if name == 'pwg' else ['mel']
    axes = {'mel': {2: 'T'}, 'y': {2: 'S'}}
    if name == 'pwg':
        axes['z'] = {2: 'S'}
    path = os.path.join(fixtures, f'{name}.onnx')
    with torch.no_grad():
        torch.onnx.export(model, args, path, opset_version=13, input_names=names, output_names=['y'], dynamic_axes=axes)
    # Check pair: float64 reference on CHECK_FRAMES random frames.
    check = inputs(name, CHECK_FRAMES, torch.Generator().manual_seed(11), torch.float64)
    with torch.no_grad():
        y = model.double()(*check)
    np.save(os.path.join(fixtures, f'{name}_check_mel.npy'), check[-1].float().numpy())
    if name == 'pwg':
        np.save(os.path.join(fixtures, 'pwg_check_z.npy'), check[0].float().numpy())
    np.save(os.path.join(fixtures, f'{name}_check_y.npy'), y.float().numpy())
    print(f'{name}: {path} ({os.path.getsize(path) / 1e6:.1f} MB), check {list(check[-1].shape)} -> {list(y.shape)}, rms {y.std().item():.4f}')


if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'bench', 'fixtures')
    torch.set_num_threads(os.cpu_count() or 1)
    if not all(os.path.exists(os.path.join(out, f)) for f in ['melgan_full.pt', 'pwg_full.pkl'] + [f'hifigan_{v}_full.pt' for v in HIFIGAN_CONFIGS]):
        import subprocess
        print(f'vocoders_onnx: making the full-size checkpoints first: {FULL_CMD}')
        subprocess.run([sys.executable, os.path.join(ROOT, 'scripts', 'fixtures', 'vocoders.py'), '--full', out], check=True)
    for n in (sys.argv[2:] or NAMES):
        export(n, out)
