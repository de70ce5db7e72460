#!/usr/bin/python3
"""Python side of bench/quantized.js: fp32 vs quantize_dynamic int8 for Linear 64x512->256 and
LSTM(512, 512) over 50 steps, batch 32, on the same engine and thread count. Prints JSON."""
import json, sys, time
import torch
import torch.nn as nn

threads, engine, reps = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
torch.set_num_threads(threads)
torch.backends.quantized.engine = engine
torch.manual_seed(0)


def timeit(f, reps):
    for _ in range(max(3, reps // 10)):
        f()
    best = float('inf')
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            f()
        best = min(best, (time.perf_counter() - t0) / reps)
    return best * 1e6


def nbytes(sd):
    n = 0
    for v in sd.values():
        if isinstance(v, torch.Tensor):
            n += v.numel() * v.element_size()
        elif isinstance(v, tuple):
            n += sum(t.numel() * t.element_size() for t in v if isinstance(t, torch.Tensor))
        elif isinstance(v, torch.ScriptObject):  # CellParams: its packed weights and biases
            st = v.__getstate__()[0]
            n += sum(t.numel() * t.element_size() for t in st[1])
            for p in st[4]:
                w, b = p.__getstate__()[0]
                n += w.numel() * w.element_size()
    return n


out = {}
with torch.no_grad():
    lin = nn.Sequential(nn.Linear(512, 256)).eval()
    qlin = torch.quantization.quantize_dynamic(lin)
    x = torch.randn(64, 512)
    out['linear'] = {'fp32_us': timeit(lambda: lin(x), reps * 10), 'int8_us': timeit(lambda: qlin(x), reps * 10),
                     'fp32_bytes': nbytes(lin.state_dict()), 'int8_bytes': nbytes(qlin.state_dict())}
    lstm = nn.Sequential(nn.LSTM(512, 512)).eval()
    qlstm = torch.quantization.quantize_dynamic(lstm)
    xs = torch.randn(50, 32, 512)
    out['lstm'] = {'fp32_us': timeit(lambda: lstm(xs), reps), 'int8_us': timeit(lambda: qlstm(xs), reps),
                   'fp32_bytes': nbytes(lstm.state_dict()), 'int8_bytes': nbytes(qlstm.state_dict())}
print(json.dumps(out))
