"""What Keras 3 reaches with GenerativeModelsTest's DCGAN budget (the number the test compares with).

The same networks as dev.leibniz.examples.MnistGan (generator Dense 7x7x64 without bias,
BatchNormalization, LeakyReLU 0.2, Reshape, Conv2DTranspose 32 4x4 stride 2 without bias,
BatchNormalization, LeakyReLU 0.2, Conv2DTranspose 1 4x4 stride 2 tanh; discriminator Conv2D 32 and
64, 4x4 stride 2, LeakyReLU 0.2, Flatten, Dense 1), Adam 2e-4 with beta_1 0.5 for both, the
discriminator's step then the generator's against it, 12 epochs of the shared 22,653 MNIST images in
[-1, 1] at batch 64; then the book's convnet trained 20 epochs judges 1,000 generated images. Run
with tensorflow-cpu 2.21 and keras 3.15.1 (pip index):

    python gan_budget.py

Measured 2026-12-06 on the 2-core development machine: 576 of 1,000 classified with confidence
>= 0.9, every digit among them (3 min 19 s in all, judge included).
"""
import gzip
import os
import struct

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf
import keras


def idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    dims = struct.unpack(">" + "I" * (data[3]), data[4:4 + 4 * data[3]])
    return np.frombuffer(data[4 + 4 * data[3]:], dtype=np.uint8).reshape(dims)


folder = os.path.join(os.path.dirname(__file__), "../../../../../shared/datasets/mnist")
files = os.listdir(folder)
x = idx(os.path.join(folder, [f for f in files if "train-images" in f][0])).astype("float32")[..., None] / 255.0
y = idx(os.path.join(folder, [f for f in files if "train-labels" in f][0]))
LATENT = 64
gen = keras.Sequential([
    keras.Input((LATENT,)), keras.layers.Dense(7 * 7 * 64, use_bias=False), keras.layers.BatchNormalization(),
    keras.layers.LeakyReLU(0.2), keras.layers.Reshape((7, 7, 64)),
    keras.layers.Conv2DTranspose(32, 4, 2, padding="same", use_bias=False), keras.layers.BatchNormalization(),
    keras.layers.LeakyReLU(0.2), keras.layers.Conv2DTranspose(1, 4, 2, padding="same", activation="tanh")])
disc = keras.Sequential([
    keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 4, 2, padding="same"), keras.layers.LeakyReLU(0.2),
    keras.layers.Conv2D(64, 4, 2, padding="same"), keras.layers.LeakyReLU(0.2), keras.layers.Flatten(),
    keras.layers.Dense(1)])
d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
bce = keras.losses.BinaryCrossentropy(from_logits=True)


@tf.function
def step(real):
    b = tf.shape(real)[0]
    with tf.GradientTape() as tape:
        fake = gen(tf.random.normal((b, LATENT)), training=True)
        d_loss = bce(tf.ones((b, 1)), disc(real, training=True)) + bce(tf.zeros((b, 1)), disc(fake, training=True))
    d_opt.apply_gradients(zip(tape.gradient(d_loss, disc.trainable_weights), disc.trainable_weights))
    with tf.GradientTape() as tape:
        g_loss = bce(tf.ones((b, 1)), disc(gen(tf.random.normal((b, LATENT)), training=True), training=True))
    g_opt.apply_gradients(zip(tape.gradient(g_loss, gen.trainable_weights), gen.trainable_weights))


scaled = x * 2 - 1
for epoch in range(12):
    for i in range(0, len(scaled), 64):
        step(scaled[i:i + 64])
judge = keras.Sequential([
    keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 3, activation="relu"), keras.layers.MaxPooling2D(2),
    keras.layers.Conv2D(64, 3, activation="relu"), keras.layers.MaxPooling2D(2), keras.layers.Flatten(),
    keras.layers.Dropout(0.5), keras.layers.Dense(10, activation="softmax")])
judge.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
judge.fit(x, y, epochs=20, batch_size=128, verbose=0)
images = (gen(tf.random.normal((1000, LATENT)), training=False).numpy() + 1) / 2
print("confident:", int((judge.predict(images, verbose=0).max(1) >= 0.9).sum()))
