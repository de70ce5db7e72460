"""Describes what torch.load returns as JSON, so torch-node's tests can compare values exactly.

Used two ways: test/fixtures/make_serialization.py imports describe() to record what Python's
torch.load gives for each fixture; the tests run `/usr/bin/python3 describe.py FILE...` to have
Python load what torch-node saved, and print one description per file (a JSON list).

Tensors are described by dtype, shape, stride, storage offset, requires_grad, whether they are an
nn.Parameter, their elements' bytes (row-major, hex) and a storage number: tensors that share a
storage get the same number (numbered in order of first appearance).
"""
import collections
import json
import math
import sys

import torch


def _hex(t):
    t = t.detach().contiguous().reshape(-1)
    if t.numel() == 0:
        return ''
    return t.view(torch.uint8).numpy().tobytes().hex()


def describe(obj):
    storages = {}

    def d(x):
        if isinstance(x, torch.storage.TypedStorage):  # a bare storage: described as a 1-D tensor over all of it
            x = torch.empty(0, dtype=x.dtype).set_(x)
        if isinstance(x, torch.Tensor):
            sid = x.storage()._storage._cdata
            if sid not in storages:
                storages[sid] = len(storages)
            return {'__tensor__': {
                'dtype': str(x.dtype).replace('torch.', ''),
                'shape': list(x.shape),
                'stride': list(x.stride()),
                'offset': x.storage_offset(),
                'requires_grad': x.requires_grad,
                'param': isinstance(x, torch.nn.Parameter),
                'hex': _hex(x),
                'storage': storages[sid],
                'storage_nbytes': x.storage().nbytes(),
            }}
        if x is None or isinstance(x, (bool, str)):
            return x
        if isinstance(x, int):
            return {'__int__': str(x)}
        if isinstance(x, float):
            return {'__float__': repr(x)}
        if isinstance(x, (bytes, bytearray)):
            return {'__bytes__': bytes(x).hex()}
        if isinstance(x, torch.dtype):
            return {'__dtype__': str(x).replace('torch.', '')}
        if isinstance(x, torch.device):
            return {'__device__': str(x)}
        if isinstance(x, tuple):
            return {'__tuple__': [d(v) for v in x]}
        if isinstance(x, list):
            return {'__list__': [d(v) for v in x]}
        if isinstance(x, (set, frozenset)):
            return {'__set__': sorted((d(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))}
        if isinstance(x, dict):
            return {'__dict__': [[d(k), d(v)] for k, v in x.items()],
                    'kind': 'OrderedDict' if isinstance(x, collections.OrderedDict) else 'dict'}
        raise TypeError(f'cannot describe {type(x)}')

    return d(obj)


if __name__ == '__main__':
    out = []
    for path in sys.argv[1:]:
        try:
            out.append({'ok': describe(torch.load(path))})
        except Exception as e:  # reported to the test, which fails with the message
            out.append({'error': f'{type(e).__name__}: {e}'})
    json.dump(out, sys.stdout)
