"""Reads .safetensors files by the format spec alone (Python's safetensors package is not needed)
and prints, per file, the header facts the spec fixes and each tensor's description (describe.py).

    /usr/bin/python3 read_safetensors.py FILE...

Checks made here, as the reference implementation makes them: the header length fits, the header
is a JSON object starting with '{', every tensor's byte count matches dtype and shape, and the
tensors tile the data area without gaps, overlaps or trailing bytes.
"""
import json
import math
import struct
import sys

import torch

from describe import describe

DTYPE = {'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16,
         'I64': torch.int64, 'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8, 'U8': torch.uint8,
         'BOOL': torch.bool}


def read(path):
    raw = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', raw[:8])
    assert 8 + n <= len(raw), 'header runs past the file'
    text = raw[8:8 + n].decode('utf-8')
    assert text.startswith('{'), 'header must start with {'
    header = json.loads(text)
    data = raw[8 + n:]
    meta = header.pop('__metadata__', None)
    spans = sorted((v['data_offsets'][0], v['data_offsets'][1], k) for k, v in header.items())
    at = 0
    for b, e, k in spans:
        assert b == at, f'{k}: gap or overlap at {b}'
        at = e
    assert at == len(data), 'tensors do not cover the data area exactly'
    tensors = {}
    aligned = True
    for name, info in header.items():
        dt = DTYPE[info['dtype']]
        b, e = info['data_offsets']
        size = torch.empty(0, dtype=dt).element_size()
        assert e - b == math.prod(info['shape']) * size, f'{name}: byte count does not match dtype and shape'
        aligned = aligned and (8 + n + b) % size == 0
        buf = bytearray(data[b:e])
        t = torch.frombuffer(buf, dtype=dt) if e > b else torch.empty(0, dtype=dt)
        tensors[name] = describe(t.reshape(info['shape']))
    return {'header_len': n, 'header_text': text, 'metadata': meta, 'order': [k for _, _, k in spans],
            'aligned': aligned, 'tensors': tensors}


if __name__ == '__main__':
    out = []
    for p in sys.argv[1:]:
        try:
            out.append({'ok': read(p)})
        except Exception as e:
            out.append({'error': f'{type(e).__name__}: {e}'})
    json.dump(out, sys.stdout)
