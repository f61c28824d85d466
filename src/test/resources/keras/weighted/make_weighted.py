"""Keras 3 trained and evaluated with sample_weight and class_weight, for SampleWeightTest.

Run with the peers' venv: python make_weighted.py > weighted.txt
Lines: "<name> [d0,d1,...] v v ..." (one float32 array each, row-major).
"""
import os
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import keras


def out(name, a):
    a = np.asarray(a, dtype=np.float32)
    print("%s [%s] %s" % (name, ",".join(str(d) for d in a.shape), " ".join("%.9g" % v for v in a.reshape(-1))))


rng = np.random.default_rng(7)
x = rng.normal(size=(8, 4)).astype(np.float32)
labels = np.array([0, 1, 2, 0, 1, 2, 2, 1], dtype=np.float32)
w = np.array([1, 0.5, 2, 0, 1.5, 1, 3, 0.25], dtype=np.float32)
targets = rng.normal(size=(8, 2)).astype(np.float32)
print("# keras %s" % keras.__version__)
out("x", x)
out("labels", labels)
out("sample_weight", w)
out("targets", targets)


def classifier():
    keras.utils.set_random_seed(3)
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    m.compile(optimizer=keras.optimizers.SGD(0.5), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


m = classifier()
for i, v in enumerate(m.get_weights()):
    out("classifier.initial%d" % i, v)
h = m.fit(x, labels, sample_weight=w, batch_size=4, epochs=2, shuffle=False, verbose=0)
out("sample.loss", h.history["loss"])
out("sample.accuracy", h.history["accuracy"])
for i, v in enumerate(m.get_weights()):
    out("sample.after%d" % i, v)
loss, acc = m.evaluate(x, labels, sample_weight=w, batch_size=8, verbose=0)
out("sample.evaluate", [loss, acc])

m = classifier()
h = m.fit(x, labels, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, batch_size=4, epochs=2, shuffle=False, verbose=0)
out("class.loss", h.history["loss"])
out("class.accuracy", h.history["accuracy"])
for i, v in enumerate(m.get_weights()):
    out("class.after%d" % i, v)

keras.utils.set_random_seed(4)
r = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
r.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
for i, v in enumerate(r.get_weights()):
    out("regression.initial%d" % i, v)
h = r.fit(x, targets, sample_weight=w, batch_size=4, epochs=2, shuffle=False, verbose=0)
out("regression.loss", h.history["loss"])
out("regression.mae", h.history["mae"])
for i, v in enumerate(r.get_weights()):
    out("regression.after%d" % i, v)
