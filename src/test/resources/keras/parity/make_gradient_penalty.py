"""WGAN-GP's gradient penalty and its weight gradients, by TensorFlow's nested GradientTape.

Writes gradient_penalty.txt (KerasFixture's format) for GradientPenaltyTest: a critic
Conv2D(4, 3x3, strides 2, same) -> LeakyReLU(0.2) -> Flatten -> Dense(8, tanh) -> Dense(1) on
[4, 6, 6, 1] images, its weights, the real and fake batches and the mixing weights eps, the penalty
mean((||d critic(mixed) / d mixed||_2 - 1)^2) with mixed = eps * real + (1 - eps) * fake, and the
penalty's gradient for every weight (the inner tape inside the outer one).

Run by hand (never by the tests): python make_gradient_penalty.py  (TensorFlow 2.21, Keras 3.15).
"""
import numpy as np
import tensorflow as tf
import keras

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
critic = keras.Sequential([
    keras.Input((6, 6, 1)),
    keras.layers.Conv2D(4, 3, strides=2, padding="same"),
    keras.layers.LeakyReLU(0.2),
    keras.layers.Flatten(),
    keras.layers.Dense(8, activation="tanh"),
    keras.layers.Dense(1),
])
# Biases away from zero, so that their second-order terms are exercised.
critic.set_weights([w + rng.normal(0, 0.1, w.shape).astype(np.float32) for w in critic.get_weights()])
real = rng.normal(0, 1, (4, 6, 6, 1)).astype(np.float32)
fake = rng.normal(0, 1, (4, 6, 6, 1)).astype(np.float32)
eps = rng.uniform(0, 1, (4, 1, 1, 1)).astype(np.float32)

with tf.GradientTape() as outer:
    mixed = tf.constant(eps * real + (1 - eps) * fake)
    with tf.GradientTape() as inner:
        inner.watch(mixed)
        score = critic(mixed)
    g = inner.gradient(score, mixed)
    norm = tf.sqrt(tf.reduce_sum(tf.square(g), axis=[1, 2, 3]))
    penalty = tf.reduce_mean(tf.square(norm - 1.0))
grads = outer.gradient(penalty, critic.trainable_weights)


def line(name, a):
    a = np.asarray(a, dtype=np.float32)
    return f"{name} [{','.join(str(d) for d in a.shape)}] " + " ".join(repr(float(v)) for v in a.ravel())


names = ["conv.kernel", "conv.bias", "hidden.kernel", "hidden.bias", "out.kernel", "out.bias"]
with open("gradient_penalty.txt", "w") as f:
    f.write("# made by make_gradient_penalty.py (TensorFlow %s, Keras %s)\n" % (tf.__version__, keras.__version__))
    for name, w in zip(names, critic.get_weights()):
        f.write(line(name + ".value", w) + "\n")
    f.write(line("real", real) + "\n")
    f.write(line("fake", fake) + "\n")
    f.write(line("eps", eps) + "\n")
    f.write(line("penalty", penalty) + "\n")
    for name, w, gw in zip(names, critic.get_weights(), grads):
        # None where the penalty does not depend on the weight (the last bias): zeros, as Leibniz gives
        f.write(line(name + ".gradient", np.zeros_like(w) if gw is None else gw) + "\n")
