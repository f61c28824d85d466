"""Writes the Keras SavedModel test fixture (SavedModelTest) and the predictions Keras makes.

How it was made: Python 3.11 with tensorflow-cpu 2.21.0 and keras 3.15.1 from this machine's pip
index (pip install tensorflow-cpu keras), run from this folder:

    python make_fixture.py

It writes tiny_mlp/ (Keras 3 model.export: signature serving_default, tag serve) and
expected.txt: the input rows, then Keras's predictions for them, one row per line.
"""
import numpy as np
import keras

keras.utils.set_random_seed(7)
model = keras.Sequential([
    keras.Input(shape=(4,)),
    keras.layers.Dense(5, activation="tanh"),
    keras.layers.Dense(3, activation="softmax"),
])
x = np.random.default_rng(3).normal(size=(6, 4)).astype("float32")
y = np.array([0, 1, 2, 0, 1, 2])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=2, verbose=0)
model.export("tiny_mlp")
predictions = model.predict(x, verbose=0)
with open("expected.txt", "w") as f:
    f.write("# %d input rows of 4, then Keras's %d prediction rows of 3\n" % (len(x), len(x)))
    for row in list(x) + list(predictions):
        f.write(" ".join("%.9g" % v for v in row) + "\n")
