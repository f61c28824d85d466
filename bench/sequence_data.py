"""The adding problem's data for the sequence benchmarks, as AddingTransformer.sequences makes it (fixed length)."""
import numpy as np


def sequences(n, steps, seed):
    r = np.random.default_rng(seed)
    x = np.zeros((n, steps, 2), np.float32)
    x[:, :, 0] = 1 - r.random((n, steps), dtype=np.float32)
    a = r.integers(0, steps // 2, n)
    b = steps // 2 + r.integers(0, steps - steps // 2, n)
    x[np.arange(n), a, 1] = 1
    x[np.arange(n), b, 1] = 1
    return x, (x[np.arange(n), a, 0] + x[np.arange(n), b, 0])[:, None]
