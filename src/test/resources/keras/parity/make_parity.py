"""Writes the Keras-parity fixtures the tests in dev.leibniz.parity read (they never run Python).

How they were made: Python 3.11 with tensorflow-cpu 2.21.0 and keras 3.15.1 from this machine's pip
index (pip install tensorflow-cpu keras), run from this folder:

    python make_parity.py

Every number comes from Keras 3 on TensorFlow, in graph mode (tf.function), as model.fit runs it,
so that a loss on a softmax or sigmoid output sees its logits as it does in fit. Files:

  losses.txt    each loss on edge inputs: its value and its gradient of the input
  metrics.txt   each metric on edge inputs, streamed over one or two batches
  training.txt  small models trained with each optimizer: losses and weights after
  *.weights.h5  model.save_weights of recurrent, convolutional and functional models, and
  weights.txt   inputs, Keras's predictions and get_weights() for those models

Text format: "case <name> <words...>" lines describe a case; "<name>.<what> [d0,d1,...] v v ..."
lines hold one float32 array, row-major ([] for a scalar).
"""
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf
import keras

INF = np.inf


def fmt(name, a):
    a = np.asarray(a, dtype=np.float32)
    values = " ".join("%.9g" % v for v in a.reshape(-1))
    return "%s [%s] %s\n" % (name, ",".join(str(d) for d in a.shape), values)


class Out:
    def __init__(self, path, header):
        self.f = open(path, "w")
        self.f.write("# " + header + " (made by make_parity.py with keras %s, tensorflow %s)\n"
                     % (keras.__version__, tf.__version__))

    def case(self, name, *words):
        self.f.write("case %s %s\n" % (name, " ".join(str(w) for w in words)))

    def array(self, name, a):
        self.f.write(fmt(name, a))


# ---------------------------------------------------------------- losses

LOSSES = {
    "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
    "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
    "binary_crossentropy": keras.losses.BinaryCrossentropy,
}


def loss_object(name, from_logits):
    if name in LOSSES:
        return LOSSES[name](from_logits=from_logits)
    return {"mean_squared_error": keras.losses.MeanSquaredError(),
            "kl_divergence": keras.losses.KLDivergence(),
            "cosine_similarity": keras.losses.CosineSimilarity(),
            "mean_absolute_error": keras.losses.MeanAbsoluteError(),
            "mean_absolute_percentage_error": keras.losses.MeanAbsolutePercentageError(),
            "huber": keras.losses.Huber(),
            "log_cosh": keras.losses.LogCosh(),
            "hinge": keras.losses.Hinge(),
            "squared_hinge": keras.losses.SquaredHinge(),
            "categorical_hinge": keras.losses.CategoricalHinge(),
            "poisson": keras.losses.Poisson()}[name]


def loss_case(out, name, loss, from_logits, through, y_true, x):
    y_true = np.asarray(y_true, dtype=np.float32)
    x = np.asarray(x, dtype=np.float32)
    fn = loss_object(loss, from_logits)

    @tf.function
    def value_and_grad(t, v):
        with tf.GradientTape() as tape:
            tape.watch(v)
            p = {"softmax": keras.activations.softmax, "sigmoid": keras.activations.sigmoid,
                 "none": lambda z: z}[through](v)
            value = fn(t, p)
        return value, tape.gradient(value, v)

    value, grad = value_and_grad(tf.constant(y_true), tf.constant(x))
    out.case(name, loss, "fromLogits" if from_logits else "probabilities", through)
    out.array(name + ".targets", y_true)
    out.array(name + ".input", x)
    out.array(name + ".loss", value.numpy())
    out.array(name + ".gradient", grad.numpy())


def losses():
    out = Out("losses.txt", "each loss: targets, input (predictions, or logits through an activation), Keras's"
              " loss and its gradient of the input")
    onehot = [[0, 1, 0], [1, 0, 0], [0, 0, 1]]
    cce = "categorical_crossentropy"
    scce = "sparse_categorical_crossentropy"
    bce = "binary_crossentropy"
    extreme = [[100, -100, 0], [0, 0, 0], [-100, 100, 0]]
    loss_case(out, "cce_probabilities_0_and_1", cce, False, "none", onehot, [[0, 1, 0], [0, 1, 0], [0.2, 0.3, 0.5]])
    loss_case(out, "cce_soft_targets", cce, False, "none", [[0.1, 0.8, 0.1], [0.3, 0.3, 0.4]],
              [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]])
    loss_case(out, "cce_unnormalized", cce, False, "none", [[0, 1, 0], [1, 0, 0]], [[0.5, 1.0, 0.5], [2, 1, 1]])
    loss_case(out, "cce_all_equal", cce, False, "none", onehot, [[1 / 3.0] * 3] * 3)
    loss_case(out, "cce_logits_100", cce, True, "none", onehot, extreme)
    loss_case(out, "cce_through_softmax", cce, False, "softmax", onehot, extreme)
    loss_case(out, "cce_through_softmax_from_logits", cce, True, "softmax", onehot, [[3, -2, 1], [0, 0, 0], [-5, 5, 2]])
    loss_case(out, "cce_through_softmax_soft_targets", cce, False, "softmax", [[0.1, 0.8, 0.1], [0.3, 0.3, 0.4]],
              [[40, -3, 0], [1, 2, 3]])
    loss_case(out, "scce_probabilities_0_and_1", scce, False, "none", [1, 0, 2], [[0, 1, 0], [0, 1, 0], [0.2, 0.3, 0.5]])
    loss_case(out, "scce_unnormalized", scce, False, "none", [0, 1], [[0.5, 1.0, 0.5], [2, 1, 1]])
    loss_case(out, "scce_absent_classes", scce, False, "none", [0, 0, 0],
              [[0.7, 0.1, 0.1, 0.1], [0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]])
    loss_case(out, "scce_logits_100", scce, True, "none", [1, 0, 2], extreme)
    loss_case(out, "scce_through_softmax", scce, False, "softmax", [1, 0, 2], extreme)
    loss_case(out, "bce_probabilities_0_and_1", bce, False, "none", [[0, 1], [1, 0]], [[0, 1], [0, 1]])
    loss_case(out, "bce_soft_targets", bce, False, "none", [[0.1, 0.9], [0.5, 0.5]], [[0.2, 0.7], [0.5, 0.01]])
    loss_case(out, "bce_logits_100_and_0", bce, True, "none", [[0, 1], [1, 0]], [[100, -100], [0, 0]])
    loss_case(out, "bce_through_sigmoid", bce, False, "sigmoid", [[0, 1], [1, 0]], [[100, -100], [0, 0]])
    loss_case(out, "bce_through_sigmoid_zero_logits", bce, False, "sigmoid", [[1], [0], [1]], [[0], [0], [0]])
    loss_case(out, "mse", "mean_squared_error", False, "none", [[1, 2], [3, 4]], [[1.5, 0], [-3, 4]])
    loss_case(out, "kld_zeros", "kl_divergence", False, "none", [[0, 1], [0.5, 0.5]], [[0.2, 0.8], [1, 0]])
    loss_case(out, "cosine_tiny_vectors", "cosine_similarity", False, "none", [[1e-5, 2e-5], [1, 1]],
              [[3e-6, -1e-6], [1, -1]])
    loss_case(out, "cosine_zero_vectors", "cosine_similarity", False, "none", [[0, 0], [1, 2]], [[1, 1], [0, 0]])
    # regression and margin losses: errors of 0 (the kinks), at and past Huber's delta, large for log_cosh,
    # zero targets for MAPE and zero rates for Poisson, 0/1 hinge labels (read as -1/1) and mixed ones (not)
    loss_case(out, "mae_with_exact", "mean_absolute_error", False, "none", [[1, 2], [3, 4]], [[1.5, 2], [-3, 4]])
    loss_case(out, "mape_zero_targets", "mean_absolute_percentage_error", False, "none", [[0, 2], [3, -4]],
              [[1, 2.5], [2, -4]])
    loss_case(out, "huber_at_and_past_delta", "huber", False, "none", [[0, 0, 0], [1, 1, 1]],
              [[0.5, 1.0, 3.0], [-1, 0, 1.2]])
    loss_case(out, "log_cosh_large_errors", "log_cosh", False, "none", [[0, 0, 0], [1, 1, 1]],
              [[0, 50, -50], [1.3, 0, 3]])
    loss_case(out, "hinge_binary_labels", "hinge", False, "none", [[0, 1], [1, 0]], [[0.3, 0.8], [-0.5, 2]])
    loss_case(out, "hinge_signed_labels", "hinge", False, "none", [[-1, 1], [1, -1]], [[0.3, 0.8], [1.5, -2]])
    loss_case(out, "hinge_mixed_labels", "hinge", False, "none", [[0.5, -1], [1, 0]], [[0.3, 0.8], [-0.5, 2]])
    loss_case(out, "squared_hinge_binary_labels", "squared_hinge", False, "none", [[0, 1], [1, 0]],
              [[0.3, 0.8], [-0.5, 2]])
    loss_case(out, "categorical_hinge", "categorical_hinge", False, "none", onehot,
              [[0.2, 0.7, 0.1], [0.5, 0.5, 0], [0.1, 0.3, 0.3]])
    loss_case(out, "poisson_zero_rates", "poisson", False, "none", [[0, 1], [2, 3]], [[0.5, 1], [0, 4]])


# ---------------------------------------------------------------- metrics

def metric_case(out, name, metric, words, batches):
    for t, p in batches:
        metric.update_state(np.asarray(t, dtype=np.float32), np.asarray(p, dtype=np.float32))
    out.case(name, *words)
    for i, (t, p) in enumerate(batches):
        out.array("%s.targets%d" % (name, i), t)
        out.array("%s.predictions%d" % (name, i), p)
    out.array(name + ".result", float(metric.result()))


def metrics():
    out = Out("metrics.txt", "each metric: one or two batches of targets and predictions, Keras's result")
    soft = [[0.9], [0.1], [1], [0]]
    metric_case(out, "binary_accuracy_soft_targets", keras.metrics.BinaryAccuracy(), ["binary_accuracy"],
                [(soft, [[0.8], [0.2], [0.6], [0.4]])])
    metric_case(out, "binary_accuracy_at_threshold", keras.metrics.BinaryAccuracy(), ["binary_accuracy"],
                [([[1], [0], [1]], [[0.5], [0.5], [0.50001]])])
    metric_case(out, "categorical_accuracy_all_equal", keras.metrics.CategoricalAccuracy(), ["categorical_accuracy"],
                [([[1, 0, 0], [0, 1, 0]], [[0.2, 0.2, 0.2], [0.5, 0.5, 0]])])
    metric_case(out, "sparse_categorical_accuracy_absent", keras.metrics.SparseCategoricalAccuracy(),
                ["sparse_categorical_accuracy"],
                [([0, 0, 3], [[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1], [0, 0, 0, 1]]), ([1], [[0.2, 0.8, 0, 0]])])
    soft_pr = ([[0.1], [0.9], [0], [1], [0.2]], [[0.7], [0.5], [0.2], [0.9], [0.3]])
    metric_case(out, "precision_soft_targets", keras.metrics.Precision(), ["precision"], [soft_pr])
    metric_case(out, "recall_soft_targets", keras.metrics.Recall(), ["recall"], [soft_pr])
    rng = np.random.default_rng(5)
    t1 = (rng.random((16, 1)) > 0.5).astype(np.float32)
    p1 = np.clip(t1 * 0.3 + rng.random((16, 1)) * 0.7, 0, 1)
    t2 = (rng.random((8, 1)) > 0.5).astype(np.float32)
    p2 = rng.random((8, 1))
    metric_case(out, "auc_two_batches", keras.metrics.AUC(), ["auc"], [(t1, p1), (t2, p2)])
    scores = rng.normal(size=(20, 1)) * 3
    labels = (scores + rng.normal(size=(20, 1)) * 2 > 0).astype(np.float32)
    metric_case(out, "auc_raw_scores_clipped", keras.metrics.AUC(), ["auc"], [(labels, scores)])
    metric_case(out, "auc_from_logits", keras.metrics.AUC(from_logits=True), ["auc", "fromLogits"], [(labels, scores)])
    metric_case(out, "auc_soft_targets", keras.metrics.AUC(), ["auc"],
                [([[0.1], [0.9], [0], [0.2], [1], [0]], [[0.3], [0.8], [0.1], [0.6], [0.7], [0.65]])])
    metric_case(out, "auc_all_equal", keras.metrics.AUC(), ["auc"], [([[1], [0], [1], [0]], [[0.5]] * 4)])
    reg = [([[1, 2], [0, -4]], [[1.5, 2], [0.5, -3]]), ([[3, 0.1]], [[-3, 0]])]
    metric_case(out, "mae_two_batches", keras.metrics.MeanAbsoluteError(), ["mae"], reg)
    metric_case(out, "mse_two_batches", keras.metrics.MeanSquaredError(), ["mse"], reg)
    metric_case(out, "rmse_two_batches", keras.metrics.RootMeanSquaredError(), ["rmse"], reg)
    metric_case(out, "mape_zero_targets", keras.metrics.MeanAbsolutePercentageError(), ["mape"], reg)
    five = [[0.1, 0.2, 0.3, 0.05, 0.05, 0.1, 0.2], [0.5, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05],
            [0.2, 0.2, 0.2, 0.2, 0.2, 0, 0]]
    metric_case(out, "top_k_ties_at_the_boundary", keras.metrics.TopKCategoricalAccuracy(),
                ["top_k_categorical_accuracy"], [(np.eye(7)[[3, 5, 6]], five), (np.eye(7)[[0]], [five[1]])])
    metric_case(out, "sparse_top_k_ties_at_the_boundary", keras.metrics.SparseTopKCategoricalAccuracy(),
                ["sparse_top_k_categorical_accuracy"], [([3, 5, 6], five), ([0], [five[1]])])
    f1_t = np.eye(3)[[0, 1, 2, 2, 1, 0, 0]]
    f1_p = [[0.6, 0.3, 0.1], [0.5, 0.4, 0.1], [0.1, 0.1, 0.8], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4], [0.4, 0.4, 0.2],
            [0.9, 0.05, 0.05]]
    for average in ["micro", "macro", "weighted"]:
        metric_case(out, "f1_" + average, keras.metrics.F1Score(average=average), ["f1_score", average],
                    [(f1_t[:4], f1_p[:4]), (f1_t[4:], f1_p[4:])])
    metric_case(out, "f1_macro_threshold", keras.metrics.F1Score(average="macro", threshold=0.35),
                ["f1_score", "macro", "0.35"], [(f1_t, f1_p)])
    metric_case(out, "f1_class_never_seen", keras.metrics.F1Score(average="macro"), ["f1_score", "macro"],
                [(np.eye(3)[[0, 0, 1]], [[0.9, 0.1, 0], [0.2, 0.8, 0], [0.1, 0.9, 0]])])
    metric_case(out, "mean_iou_absent_class", keras.metrics.MeanIoU(4, sparse_y_pred=False), ["mean_iou", "4"],
                [([0, 1, 1, 2], [[0.9, 0.1, 0, 0], [0.2, 0.7, 0.1, 0], [0.1, 0.2, 0.7, 0], [0.3, 0.3, 0.4, 0]]),
                 ([[0, 2]], [[[0.1, 0.8, 0.1, 0], [0, 0, 1, 0]]])])
    print("MeanIoU's name in Keras:", keras.metrics.MeanIoU(4).name, "F1Score's:", keras.metrics.F1Score().name)


# ---------------------------------------------------------------- training

def train_case(out, name, layers, loss, optimizer, words, x, y, init_scale, steps, epochs=0, batch_size=2):
    keras.utils.set_random_seed(11)
    model = keras.Sequential([keras.Input((x.shape[1],))] + layers)
    weights = [w * init_scale for w in model.get_weights()]
    model.set_weights(weights)
    model.compile(optimizer=optimizer(), loss=loss)
    out.case(name, *words)
    out.array(name + ".x", x)
    out.array(name + ".y", y)
    for i, w in enumerate(weights):
        out.array("%s.initial%d" % (name, i), w)
    step_losses = [float(model.train_on_batch(x, y)) for _ in range(steps)]
    out.array(name + ".step_losses", step_losses)
    for i, w in enumerate(model.get_weights()):
        out.array("%s.after_steps%d" % (name, i), w)
    if epochs:
        model.set_weights(weights)
        model.compile(optimizer=optimizer(), loss=loss)
        history = model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0)
        out.array(name + ".epoch_losses", history.history["loss"])
        for i, w in enumerate(model.get_weights()):
            out.array("%s.after_epochs%d" % (name, i), w)


def training():
    out = Out("training.txt", "small models: initial weights, data, Keras's losses and weights after train_on_batch"
              " steps and after fit epochs (batch size 2, no shuffling)")
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 4)).astype(np.float32)
    onehot = np.eye(3, dtype=np.float32)[[0, 1, 2, 0, 1, 2]]
    # Kernels scaled up so that some samples are confidently wrong: their loss is not capped at 16.1.
    train_case(out, "softmax_cce_sgd", [keras.layers.Dense(3, activation="softmax")], "categorical_crossentropy",
               lambda: keras.optimizers.SGD(0.1), ["Dense(3,softmax)", "categorical_crossentropy", "sgd(0.1)"],
               x, onehot, 40.0, 1, epochs=2)
    train_case(out, "softmax_scce_sgd", [keras.layers.Dense(3, activation="softmax")],
               "sparse_categorical_crossentropy", lambda: keras.optimizers.SGD(0.1),
               ["Dense(3,softmax)", "sparse_categorical_crossentropy", "sgd(0.1)"],
               x, np.array([0, 1, 2, 0, 1, 2], dtype=np.float32), 40.0, 1, epochs=2)
    y01 = np.array([[1], [0], [1], [1], [0], [0]], dtype=np.float32)
    train_case(out, "sigmoid_bce_sgd", [keras.layers.Dense(1, activation="sigmoid")], "binary_crossentropy",
               lambda: keras.optimizers.SGD(0.1), ["Dense(1,sigmoid)", "binary_crossentropy", "sgd(0.1)"],
               x, y01, 80.0, 1, epochs=2)
    train_case(out, "sigmoid_bce_zero_init", [keras.layers.Dense(1, activation="sigmoid")], "binary_crossentropy",
               lambda: keras.optimizers.SGD(0.1), ["Dense(1,sigmoid)", "binary_crossentropy", "sgd(0.1)"],
               x, y01, 0.0, 2)
    optimizers = [
        ("sgd", lambda: keras.optimizers.SGD(0.1), "sgd(0.1)"),
        ("sgd_momentum", lambda: keras.optimizers.SGD(0.1, momentum=0.9), "sgd(0.1,0.9,false)"),
        ("sgd_nesterov", lambda: keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True), "sgd(0.1,0.9,true)"),
        ("rmsprop", lambda: keras.optimizers.RMSprop(0.01), "rmsprop(0.01)"),
        ("adam", lambda: keras.optimizers.Adam(0.01), "adam(0.01)"),
        ("adagrad", lambda: keras.optimizers.Adagrad(0.1), "adagrad(0.1)"),
        ("adagrad_zero_accumulator", lambda: keras.optimizers.Adagrad(0.1, initial_accumulator_value=0.0),
         "adagrad(0.1,0,1e-7)"),
    ]
    targets = rng.normal(size=(6, 2)).astype(np.float32)
    for key, make, spec in optimizers:
        train_case(out, "mlp_" + key, [keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(2)],
                   "mean_squared_error", make, ["Dense(4,tanh)+Dense(2)", "mean_squared_error", spec],
                   x, targets, 1.0, 3)


# ---------------------------------------------------------------- weights files

def weights_case(out, name, model, x):
    keras.utils.set_random_seed(21)
    # Non-zero biases and moving statistics, so that a weight in the wrong place shows.
    model.set_weights([w + rng_weights.normal(size=w.shape).astype(np.float32) * 0.3
                       if w.ndim == 1 else w for w in model.get_weights()])
    model.save_weights(name + ".weights.h5")
    out.case(name, len(model.get_weights()))
    for i, xi in enumerate(x if isinstance(x, list) else [x]):
        out.array("%s.x%d" % (name, i), xi)
    out.array(name + ".predictions", model.predict(x, verbose=0))
    for i, w in enumerate(model.get_weights()):
        out.array("%s.weight%d" % (name, i), w)


rng_weights = np.random.default_rng(9)


def weights():
    out = Out("weights.txt", "models saved with save_weights: inputs, Keras's predictions, get_weights()")
    rng = np.random.default_rng(4)
    keras.utils.set_random_seed(1)
    seq = rng.normal(size=(6, 5, 3)).astype(np.float32)
    weights_case(out, "lstm", keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4), keras.layers.Dense(2)]),
                 seq)
    weights_case(out, "gru", keras.Sequential([keras.Input((5, 3)), keras.layers.GRU(4), keras.layers.Dense(2)]), seq)
    weights_case(out, "stacked_recurrent", keras.Sequential([
        keras.Input((5, 3)), keras.layers.SimpleRNN(3, return_sequences=True),
        keras.layers.LSTM(4, return_sequences=True), keras.layers.GRU(2)]), seq)
    images = rng.normal(size=(4, 8, 8, 2)).astype(np.float32)
    weights_case(out, "convnet", keras.Sequential([
        keras.Input((8, 8, 2)), keras.layers.Conv2D(3, 3, activation="relu"), keras.layers.BatchNormalization(),
        keras.layers.MaxPooling2D(2), keras.layers.Flatten(), keras.layers.Dropout(0.5),
        keras.layers.Dense(2, activation="softmax")]), images)
    a = keras.Input((3,))
    b = keras.Input((3,))
    d1 = keras.layers.Dense(2)(a)
    d2 = keras.layers.Dense(2)(b)
    o = keras.layers.Dense(1)(keras.layers.Concatenate()([keras.layers.Add()([d1, d2]), d1]))
    weights_case(out, "functional", keras.Model([a, b], o),
                 [rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(5, 3)).astype(np.float32)])
    weights_case(out, "sequence", keras.Sequential([
        keras.Input((10, 3)), keras.layers.Conv1D(4, 3, activation="relu"), keras.layers.MaxPooling1D(2),
        keras.layers.LayerNormalization(), keras.layers.Dense(5, activation="tanh"),
        keras.layers.GlobalMaxPooling1D(), keras.layers.Dense(2)]), rng.normal(size=(4, 10, 3)).astype(np.float32))
    weights_case(out, "growing", keras.Sequential([
        keras.Input((3, 3, 2)), keras.layers.Conv2DTranspose(3, 3, strides=2, padding="same"),
        keras.layers.LeakyReLU(0.2), keras.layers.UpSampling2D(), keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(2)]), rng.normal(size=(4, 3, 3, 2)).astype(np.float32))
    weights_case(out, "bidirectional", keras.Sequential([
        keras.Input((5, 3)), keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True)),
        keras.layers.Bidirectional(keras.layers.GRU(2)), keras.layers.Dense(2)]), seq)
    x = keras.Input((6, 4))
    a = keras.layers.MultiHeadAttention(2, 3)(x, x)
    b = keras.layers.MultiHeadAttention(3, 2, value_dim=4)(a, a, use_causal_mask=True)
    o = keras.layers.Dense(2)(keras.layers.GlobalAveragePooling1D()(keras.layers.LayerNormalization()(b)))
    weights_case(out, "attention", keras.Model(x, o), rng.normal(size=(3, 6, 4)).astype(np.float32))
    # A padding mask [batch, S] (1 at real steps), given to attention as Keras's attention_mask [batch, 1, S].
    x = keras.Input((6, 4))
    m = keras.Input((6,))
    mask = keras.ops.expand_dims(m, 1)
    a = keras.layers.MultiHeadAttention(2, 3)(x, x, attention_mask=mask)
    b = keras.layers.MultiHeadAttention(2, 3)(a, a, attention_mask=mask, use_causal_mask=True)
    lengths = np.array([6, 4, 1])
    weights_case(out, "masked_attention", keras.Model([x, m], keras.layers.Dense(2)(b)),
                 [rng.normal(size=(3, 6, 4)).astype(np.float32),
                  (np.arange(6)[None, :] < lengths[:, None]).astype(np.float32)])
    # One model for sequences of any length (Input((None, 3))): predictions at 7 steps (x0) and at 3 (short).
    any_length = keras.Sequential([
        keras.Input((None, 3)), keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True)),
        keras.layers.GRU(3), keras.layers.Dense(2)])
    weights_case(out, "any_length", any_length, rng.normal(size=(4, 7, 3)).astype(np.float32))
    short = rng.normal(size=(5, 3, 3)).astype(np.float32)
    out.array("any_length.short.x", short)
    out.array("any_length.short.predictions", any_length.predict(short, verbose=0))
    # Padding masks: id 0 (Embedding(mask_zero=True)) at the end and inside, through a bidirectional LSTM,
    # a Dense on every step and a GRU; and all-zero steps (Masking) through a SimpleRNN and masked pooling.
    ids = np.array([[3, 1, 2, 5, 0, 0], [6, 0, 2, 0, 4, 1], [1, 0, 0, 0, 0, 0], [2, 2, 3, 4, 5, 6]], np.float32)
    weights_case(out, "masked_recurrent", keras.Sequential([
        keras.Input((6,)), keras.layers.Embedding(7, 3, mask_zero=True),
        keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True)), keras.layers.Dense(3),
        keras.layers.GRU(3), keras.layers.Dense(2)]), ids)
    steps = rng.normal(size=(4, 6, 2)).astype(np.float32)
    steps[0, 4:] = 0
    steps[1, 1] = 0
    steps[2, 1:] = 0
    weights_case(out, "masking", keras.Sequential([
        keras.Input((6, 2)), keras.layers.Masking(), keras.layers.SimpleRNN(3, return_sequences=True),
        keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(2)]), steps)
    # TimeDistributed: a convnet on every frame of a short "video", then an LSTM over the frames.
    weights_case(out, "time_distributed", keras.Sequential([
        keras.Input((4, 6, 6, 2)), keras.layers.TimeDistributed(keras.layers.Conv2D(3, 3, activation="relu")),
        keras.layers.TimeDistributed(keras.layers.Flatten()), keras.layers.LSTM(4), keras.layers.Dense(2)]),
        rng.normal(size=(3, 4, 6, 6, 2)).astype(np.float32))
    # Masks into attention: Embedding(mask_zero=True) gives MultiHeadAttention its query's and value's masks,
    # and its output the query's, for the masked mean.
    tokens = keras.Input((6,))
    embedded = keras.layers.Embedding(7, 4, mask_zero=True)(tokens)
    attended = keras.layers.MultiHeadAttention(2, 3)(embedded, embedded)
    weights_case(out, "masked_self_attention", keras.Model(tokens, keras.layers.Dense(2)(
        keras.layers.GlobalAveragePooling1D()(attended))), ids)
    # A loss over padded steps: sparse cross-entropy and accuracy over the real steps only.
    per_step = keras.Sequential([
        keras.Input((6,)), keras.layers.Embedding(7, 4, mask_zero=True),
        keras.layers.LSTM(5, return_sequences=True), keras.layers.Dense(3, activation="softmax")])
    weights_case(out, "masked_sequence_loss", per_step, ids)
    step_labels = rng.integers(0, 3, size=(4, 6)).astype(np.float32)
    per_step.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    out.array("masked_sequence_loss.labels", step_labels)
    out.array("masked_sequence_loss.evaluate", np.array(per_step.evaluate(ids, step_labels, verbose=0), np.float32))


if __name__ == "__main__":
    import sys
    # one part by name (python make_parity.py losses metrics), or all of them
    for part in sys.argv[1:] or ["losses", "metrics", "training", "weights"]:
        globals()[part]()
