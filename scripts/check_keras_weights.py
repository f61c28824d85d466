"""Checks by hand that Keras 3 loads the .weights.h5 files Leibniz writes (tests never run Python).

Write the files from Java (Model.saveWeights) for the models below, with the inputs and Leibniz's
predictions as text ("[a, b, ...]", as Arrays.toString prints them), then run

    python check_keras_weights.py DIR

with tensorflow-cpu and keras from pip. It builds each model in Keras, load_weights, predicts, and
prints the largest difference from Leibniz's predictions.
"""
import os
import sys

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import keras

d = sys.argv[1]


def read(name):
    with open(os.path.join(d, name)) as f:
        return np.array([float(v) for v in f.read().strip("[] \n").split(",")], dtype=np.float32)


seq = read("seq.txt").reshape(6, 5, 3)
img = read("img.txt").reshape(4, 8, 8, 2)
models = {
    "lstm": (keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4), keras.layers.Dense(2)]), seq),
    "gru": (keras.Sequential([keras.Input((5, 3)), keras.layers.GRU(4), keras.layers.Dense(2)]), seq),
    "stacked": (keras.Sequential([keras.Input((5, 3)), keras.layers.SimpleRNN(3, return_sequences=True),
                                  keras.layers.LSTM(4, return_sequences=True), keras.layers.GRU(2)]), seq),
    "bidirectional": (keras.Sequential([keras.Input((5, 3)),
                                        keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True)),
                                        keras.layers.Bidirectional(keras.layers.GRU(2)), keras.layers.Dense(2)]), seq),
    "convnet": (keras.Sequential([keras.Input((8, 8, 2)), keras.layers.Conv2D(3, 3, activation="relu"),
                                  keras.layers.BatchNormalization(), keras.layers.MaxPooling2D(2),
                                  keras.layers.Flatten(), keras.layers.Dropout(0.5),
                                  keras.layers.Dense(2, activation="softmax")]), img),
}
for name, (model, x) in models.items():
    if not os.path.exists(os.path.join(d, name + ".weights.h5")):
        print(name, "skipped: no", name + ".weights.h5")
        continue
    model.load_weights(os.path.join(d, name + ".weights.h5"))
    ours = read(name + ".predictions")
    theirs = model.predict(x, verbose=0).reshape(-1)
    print("%-8s largest difference from Leibniz's predictions: %.3g" % (name, np.abs(ours - theirs).max()))
