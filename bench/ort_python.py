#!/usr/bin/python3
"""Python's side of bench/ort.js (run with /usr/bin/python3, PyTorch 1.13).

make DIR: a 784-256-10 MLP (seeded, float32, eval) written three ways:
  DIR/mlp.onnx       torch.onnx.export, batch 64, input 'input', output 'output' (for onnxruntime-node)
  DIR/mlp_frozen.pt  torch.jit.script, then torch.jit.optimize_for_inference (which freezes)
  DIR/x.bin, DIR/y.bin  a float32 input batch (64×784) and the eager model's output (64×10), raw
                     little-endian, so that every runtime's output can be checked against it
time MODEL.pt threads iters batch d1: best ms per forward of Python's torch.jit.load (jit_python.py).
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jit_python  # noqa: E402


def make(d):
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)).eval()
    x = torch.rand(64, 784)
    with torch.no_grad():
        y = mlp(x)
        torch.onnx.export(mlp, (x,), os.path.join(d, 'mlp.onnx'), input_names=['input'], output_names=['output'], opset_version=13)
        torch.jit.save(torch.jit.optimize_for_inference(torch.jit.script(mlp)), os.path.join(d, 'mlp_frozen.pt'))
    x.numpy().astype('<f4').tofile(os.path.join(d, 'x.bin'))
    y.numpy().astype('<f4').tofile(os.path.join(d, 'y.bin'))


if __name__ == '__main__':
    if sys.argv[1] == 'make':
        make(sys.argv[2])
    else:
        jit_python.bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), [int(a) for a in sys.argv[5:]])
