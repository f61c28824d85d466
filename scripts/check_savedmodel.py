"""Cross-checks a Leibniz SavedModel with TensorFlow for Python (not a dependency of the build).

    pip install tensorflow-cpu
    python scripts/check_savedmodel.py target/mnist-mlp/1 ../shared/datasets/mnist

Loads the directory with tf.saved_model.load, prints the serving signature and, given the MNIST
folder, the test accuracy of its predictions (MnistMlp prints the same number from Java).
"""
import gzip
import struct
import sys

import numpy as np
import tensorflow as tf


def idx(path):
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data[4 + 4 * rank:], dtype=np.uint8).reshape(dims)


def mnist_test(folder):
    """The MNIST test images as [10000, 28, 28] floats in [0, 1], and their labels."""
    x = idx(folder + "/t10k-images-idx3-ubyte.gz").astype("float32") / 255
    return x, idx(folder + "/t10k-labels-idx1-ubyte.gz")


if __name__ == "__main__":
    model = tf.saved_model.load(sys.argv[1])
    serve = model.signatures["serving_default"]
    print("inputs:", serve.structured_input_signature[1])
    print("outputs:", serve.structured_outputs)
    if len(sys.argv) > 2:
        x, y = mnist_test(sys.argv[2])
        p = serve(input_0=tf.constant(x.reshape(-1, 784)))["output_0"].numpy()
        print("test accuracy: %.4f" % (p.argmax(axis=1) == y).mean())
