"""Exports the issue's peer benchmark model: 16 x Conv1d(64, 64, k=3, padding=1) on [1, 64, 16384],
to ONNX (opset 13) for onnxruntime-web, plus its weights as .npy so wavegpu runs the same stack.
Run: /usr/bin/python3 scripts/bench/conv_stack_onnx.py   (writes bench/fixtures/conv_stack.*)"""
import os
import numpy as np
import torch

out = os.path.join(os.path.dirname(__file__), '..', '..', 'bench', 'fixtures')
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
layers = torch.nn.Sequential(*[torch.nn.Conv1d(64, 64, 3, padding=1) for _ in range(16)]).eval()
x = torch.randn(1, 64, 16384)
torch.onnx.export(layers, x, os.path.join(out, 'conv_stack.onnx'), opset_version=13, input_names=['x'], output_names=['y'],
                  dynamic_axes={'x': {2: 'T'}, 'y': {2: 'T'}})
w = np.stack([l.weight.detach().numpy() for l in layers])  # [16, 64, 64, 3]
b = np.stack([l.bias.detach().numpy() for l in layers])    # [16, 64]
np.save(os.path.join(out, 'conv_stack_w.npy'), w.astype(np.float32))
np.save(os.path.join(out, 'conv_stack_b.npy'), b.astype(np.float32))
# A short check vector so the bench can verify wavegpu and the peer compute the same thing.
xs = torch.randn(1, 64, 257)
np.save(os.path.join(out, 'conv_stack_check_x.npy'), xs.numpy())
np.save(os.path.join(out, 'conv_stack_check_y.npy'), layers(xs).detach().numpy())
print('wrote', out)
