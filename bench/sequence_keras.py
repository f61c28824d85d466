"""Keras 3 beside examples/SequenceBenchmark.java: the same Transformer encoder and LSTM, batch 64,
Adam, mean squared error, adding-problem data; median ms per train_on_batch step (after warm-up).

    pip install tensorflow-cpu keras; python bench/sequence_keras.py [threads]
"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import keras
from keras import ops

from sequence_data import sequences

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 0
if threads:
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
BATCH = 64
LENGTHS = [50, 100, 128, 200, 400]


class PositionEmbedding(keras.layers.Layer):
    def __init__(self, length):
        super().__init__()
        self.length = length

    def build(self, shape):
        self.embeddings = self.add_weight(shape=(self.length, shape[-1]), initializer="glorot_uniform")

    def call(self, x):
        return ops.broadcast_to(self.embeddings[: ops.shape(x)[1]], ops.shape(x))


def transformer(d=64, heads=4, length=400):
    x = keras.Input((None, 2))
    mask = ops.cast(ops.greater(ops.sum(ops.abs(x), -1), 0), "float32")
    h = keras.layers.Dense(d)(x)
    h = h + PositionEmbedding(length)(h)
    for _ in range(2):
        a = keras.layers.MultiHeadAttention(heads, d // heads)(h, h, attention_mask=ops.expand_dims(mask, 1))
        h = keras.layers.LayerNormalization(epsilon=1e-6)(h + a)
        f = keras.layers.Dense(d)(keras.layers.Dense(2 * d, activation="relu")(h))
        h = keras.layers.LayerNormalization(epsilon=1e-6)(h + f)
    kept = ops.expand_dims(mask, 2)
    return keras.Model(x, keras.layers.Dense(1)(ops.sum(h * kept, 1) / ops.sum(kept, 1)))


def report(name, steps, model):
    x, y = sequences(4 * BATCH, steps, steps)
    if name.startswith("Keras Embedding"):  # token ids, as SequenceBenchmark.tokens
        x = (x[:, :, 0] * np.float32(9999)).astype(np.int32)
    batches = [(x[i:i + BATCH], y[i:i + BATCH]) for i in range(0, len(x), BATCH)]
    for bx, by in batches:
        model.train_on_batch(bx, by)
    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        for bx, by in batches:
            model.train_on_batch(bx, by)
        times.append((time.perf_counter() - t0) * 1e3 / len(batches))
    ms = sorted(times)[len(times) // 2]
    print("%-46s %4d steps: %8.2f ms/step, %8.0f samples/s" % (name, steps, ms, BATCH * 1000 / ms), flush=True)


keras.utils.set_random_seed(1)
t = transformer()
t.compile(keras.optimizers.Adam(1e-3), "mse")
for steps in LENGTHS:
    report("Keras Transformer encoder (2 blocks, d 64, 4 heads)", steps, t)
for steps in LENGTHS:
    m = keras.Sequential([keras.Input((steps, 2)), keras.layers.LSTM(64), keras.layers.Dense(1)])
    m.compile(keras.optimizers.Adam(1e-3), "mse")
    report("Keras LSTM(64) + Dense(1)", steps, m)
for steps in LENGTHS:
    m = keras.Sequential([keras.Input((steps,), dtype="int32"), keras.layers.Embedding(10000, 128),
                          keras.layers.LSTM(64), keras.layers.Dense(1)])
    m.compile(keras.optimizers.Adam(1e-3), "mse")
    report("Keras Embedding(10000, 128) + LSTM(64) + Dense(1)", steps, m)
