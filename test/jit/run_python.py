#!/usr/bin/python3
"""Oracle for test/jit: loads a TorchScript archive with PyTorch's torch.jit.load and runs forward.

Usage: run_python.py MODEL.pt INPUTS.json
INPUTS.json: {"inputs": [{"dtype": "float64", "shape": [...], "data": [...]}, ...]}
Prints JSON: {"outputs": [tensor...], "state_dict": {name: tensor}, "training": bool}
(outputs: forward's result, a tuple flattened one level).
"""
import json
import sys

import torch


def enc(t):
    return {'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape), 'data': t.detach().flatten().tolist()}


def dec(e):
    return torch.tensor(e['data'], dtype=getattr(torch, e['dtype'])).reshape(e['shape'])


m = torch.jit.load(sys.argv[1])
with open(sys.argv[2]) as f:
    spec = json.load(f)
xs = [dec(e) for e in spec['inputs']]
with torch.no_grad():
    y = m(*xs)
ys = list(y) if isinstance(y, (tuple, list)) else [y]
print(json.dumps({'outputs': [enc(t) for t in ys], 'state_dict': {k: enc(v) for k, v in m.state_dict().items()},
                  'training': m.training}))
