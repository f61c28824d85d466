"""PyTorch beside examples/SequenceBenchmark.java: the same Transformer encoder (post-norm blocks,
padding mask) and LSTM, batch 64, Adam, mean squared error; median ms per training step.

    pip install torch numpy; python bench/sequence_torch.py [threads]
"""
import sys
import time

import numpy as np
import torch
from torch import nn

from sequence_data import sequences as arrays

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 0
if threads:
    torch.set_num_threads(threads)
BATCH = 64
LENGTHS = [50, 100, 128, 200, 400]


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attention = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.norm2 = nn.LayerNorm(d, eps=1e-6)

    def forward(self, h, padding):
        a, _ = self.attention(h, h, h, key_padding_mask=padding, need_weights=False)
        h = self.norm1(h + a)
        return self.norm2(h + self.ff(h))


class Transformer(nn.Module):
    def __init__(self, d=64, heads=4, length=400):
        super().__init__()
        self.embed = nn.Linear(2, d)
        self.positions = nn.Parameter(torch.randn(length, d) * 0.05)
        self.blocks = nn.ModuleList([Block(d, heads), Block(d, heads)])
        self.out = nn.Linear(d, 1)

    def forward(self, x):
        mask = (x.abs().sum(-1) > 0).float()
        h = self.embed(x)
        h = h + self.positions[: x.shape[1]]
        for b in self.blocks:
            h = b(h, mask == 0)
        kept = mask.unsqueeze(2)
        return self.out((h * kept).sum(1) / kept.sum(1))


class Lstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 64, batch_first=True)
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(h[-1])


def report(name, steps, model):
    x, y = (torch.tensor(a) for a in arrays(4 * BATCH, steps, steps))
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    loss = nn.MSELoss()

    def epoch():
        for i in range(0, len(x), BATCH):
            opt.zero_grad()
            loss(model(x[i:i + BATCH]), y[i:i + BATCH]).backward()
            opt.step()

    epoch()
    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        epoch()
        times.append((time.perf_counter() - t0) * 1e3 / 4)
    ms = sorted(times)[len(times) // 2]
    print("%-46s %4d steps: %8.2f ms/step, %8.0f samples/s" % (name, steps, ms, BATCH * 1000 / ms), flush=True)


torch.manual_seed(1)
t = Transformer()
for steps in LENGTHS:
    report("PyTorch Transformer encoder (2 blocks, d 64, 4 heads)", steps, t)
for steps in LENGTHS:
    report("PyTorch LSTM(64) + Dense(1)", steps, Lstm())
