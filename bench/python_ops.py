#!/usr/bin/python3
"""Python PyTorch side of bench/run.js (run with Debian's /usr/bin/python3). Prints JSON ns/call."""
import json
import sys
import time

import torch

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
torch.set_num_threads(1)
a, b = torch.rand(4), torch.rand(4)
x, w = torch.rand(64, 64), torch.rand(64, 64)


def bench(f, n):
    for _ in range(n // 10):
        f()
    t0 = time.perf_counter_ns()
    for _ in range(n):
        f()
    return (time.perf_counter_ns() - t0) / n


print(json.dumps({
    "add": bench(lambda: a.add(b), n),
    "relu": bench(lambda: torch.relu(a), n),
    "matmul64": bench(lambda: x.matmul(w), n // 10),
    "version": torch.__version__,
}))
