"""Python side of bench/dataloader.js: the same dataset (crop, flip, box blur in a plain Python
loop, its pass count calibrated to ~2 ms per item), DataLoader with 0, 1 and 2 worker processes,
batch 64, best of ROUNDS. Prints JSON. Usage: python3 dataloader.py ITEMS ROUNDS"""
import json, sys, time
import torch
from torch.utils.data import Dataset, DataLoader

C, H, W, PAD = 3, 32, 32, 4


def blur(a, passes):
    b = [0.0] * len(a)
    for _ in range(passes):
        for c in range(C):
            o = c * H * W
            for y in range(H):
                y0 = y - 1 if y > 0 else 0
                y1 = y + 1 if y < H - 1 else H - 1
                for x in range(W):
                    x0 = x - 1 if x > 0 else 0
                    x1 = x + 1 if x < W - 1 else W - 1
                    b[o + y * W + x] = (a[o + y0 * W + x0] + a[o + y0 * W + x] + a[o + y0 * W + x1] + a[o + y * W + x0] + a[o + y * W + x] +
                                        a[o + y * W + x1] + a[o + y1 * W + x0] + a[o + y1 * W + x] + a[o + y1 * W + x1]) / 9
        a, b = b, a
    return a


class AugmentDataset(Dataset):
    def __init__(self, n, passes):
        self.n, self.passes = n, passes

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        SW, SH = W + 2 * PAD, H + 2 * PAD
        src = [0.0] * (C * SH * SW)
        s = (i * 2654435761) % 4294967296
        for k in range(len(src)):
            s = (s * 1664525 + 1013904223) % 4294967296
            src[k] = s / 4294967296
        dy = int(torch.randint(0, 2 * PAD + 1, ()).item())
        dx = int(torch.randint(0, 2 * PAD + 1, ()).item())
        flip = torch.rand(()).item() < 0.5
        img = [0.0] * (C * H * W)
        for c in range(C):
            for y in range(H):
                for x in range(W):
                    img[c * H * W + y * W + x] = src[c * SH * SW + (y + dy) * SW + ((W - 1 - x) if flip else x) + dx]
        return torch.tensor(blur(img, self.passes)).reshape(C, H, W), i % 10


def per_item(passes, n=8):
    ds = AugmentDataset(n, passes)
    t0 = time.perf_counter()
    for i in range(n):
        ds[i]
    return (time.perf_counter() - t0) * 1000 / n


def main():
    items, rounds = int(sys.argv[1]), int(sys.argv[2])
    base = per_item(0)
    one = per_item(1) - base
    passes = max(0, round((2.0 - base) / one)) if one > 0 else 0
    ms = per_item(passes)
    ds = AugmentDataset(items, passes)
    rates = {'0': 0.0, '1': 0.0, '2': 0.0, 'p2': 0.0}

    def epoch(loader):
        t0 = time.perf_counter()
        n = sum(x.shape[0] for x, _ in loader)
        return n / (time.perf_counter() - t0)

    persistent = DataLoader(ds, batch_size=64, num_workers=2, shuffle=True, persistent_workers=True)
    epoch(persistent)  # starts its workers
    for _ in range(rounds):
        for nw in (0, 1, 2):
            rates[str(nw)] = max(rates[str(nw)], epoch(DataLoader(ds, batch_size=64, num_workers=nw, shuffle=True)))
        rates['p2'] = max(rates['p2'], epoch(persistent))
    print(json.dumps({'version': torch.__version__, 'passes': passes, 'per_item_ms': ms, 'rates': rates}))


if __name__ == '__main__':
    main()
