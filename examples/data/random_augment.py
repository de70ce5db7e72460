"""Random augmentation in DataLoader workers, then a small classifier trained on the batches
(the Python original of random_augment.js). Run: python3 random_augment.py"""
import torch
from torch import nn
from torch.utils.data import Dataset, DataLoader, get_worker_info

class NoisyShapes(Dataset):
    """8x8 images of a bar in the top (class 0) or bottom (class 1) half, at a random row, flipped
    left-right at random, with uniform noise."""

    def __init__(self, n):
        self.n = n
        self.labels = torch.arange(n) % 2

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        img = torch.zeros(8, 8, dtype=torch.float64)
        row = int(torch.randint(0, 4, ()).item()) + 4 * int(self.labels[i])
        start = int(torch.randint(0, 3, ()).item())
        img[row, start:start + 5] = 1.0
        if torch.rand(()).item() < 0.5:
            img = img.flip(1)
        img = img + 0.1 * torch.rand(8, 8, dtype=torch.float64)
        return img.reshape(64), self.labels[i]

def main():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 16), nn.Tanh(), nn.Linear(16, 2)).double()
    opt = torch.optim.SGD(model.parameters(), lr=0.3)
    loss_fn = nn.CrossEntropyLoss()
    train = DataLoader(NoisyShapes(320), batch_size=16, shuffle=True, num_workers=2)
    for epoch in range(4):
        total = 0.0
        for step, (x, y) in enumerate(train):
            if step == 0:
                print(f"epoch {epoch} first batch: labels {y.tolist()} pixel sum {x.sum().item():.6f}")
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            total += loss.item()
        print(f"epoch {epoch} mean loss {total / len(train):.6f}")
    with torch.no_grad():
        x, y = next(iter(DataLoader(NoisyShapes(32), batch_size=32, num_workers=2)))
        acc = (model(x).argmax(1) == y).double().mean().item()
    print(f"accuracy on fresh samples {acc:.4f}")

if __name__ == '__main__':
    main()
