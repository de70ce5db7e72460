#!/usr/bin/python3
"""Python's side of bench/jit.js.

make DIR: writes DIR/resnet18.pt (a ResNet-18-shaped CNN, traced; built here, no download) and
DIR/mlp.pt (784-256-10 MLP, scripted, frozen and optimize_for_inference'd), float32.
time MODEL.pt threads iters batch d1 [d2 ...]: prints {"ms": best ms per forward over 5 rounds}.
"""
import json
import sys
import time

import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        return torch.relu(y + (x if self.down is None else self.down(x)))


class ResNet18(nn.Module):
    def __init__(self, classes=1000):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
        layers = []
        cin = 64
        for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            layers += [Block(cin, cout, stride), Block(cout, cout, 1)]
            cin = cout
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.layers(self.stem(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


def make(d):
    torch.manual_seed(0)
    r = ResNet18().eval()
    torch.jit.save(torch.jit.trace(r, torch.rand(1, 3, 64, 64)), f'{d}/resnet18.pt')
    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)).eval()
    torch.jit.save(torch.jit.optimize_for_inference(torch.jit.script(mlp)), f'{d}/mlp.pt')
    torch.jit.save(torch.jit.script(mlp), f'{d}/mlp_scripted.pt')


def bench(path, threads, iters, shape):
    torch.set_num_threads(threads)
    with torch.no_grad():
        m = torch.jit.load(path).eval()
        x = torch.rand(shape)
        for _ in range(3):
            m(x)
        best = 1e30
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(iters):
                m(x)
            best = min(best, (time.perf_counter() - t0) * 1e3 / iters)
    print(json.dumps({'ms': best}))


if __name__ == '__main__':
    if sys.argv[1] == 'make':
        make(sys.argv[2])
    else:
        bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), [int(a) for a in sys.argv[5:]])
