"""Takes Leibniz's SavedModels through TensorFlow's deployment tools (run by hand; tests never run Python).

    pip install tensorflow-cpu
    mvn -q install -DskipTests
    python scripts/check_tflite.py target/deploy ../shared/datasets/mnist

First runs the MnistDeploy example (pass --no-train to reuse its last exports), which trains the
MNIST MLP, a convnet with batch normalization and dropout, an LSTM over the image rows and a
bidirectional LSTM returning sequences into a GRU in Java
and exports each to <folder>/<model>/1. Then, for each export:
  - tf.saved_model.load: the variables Python sees, under their Keras names, and the test accuracy;
  - the TF Lite converter, float32 and dynamic-range int8: the interpreter's test accuracy beside
    Java's, and its largest difference from the SavedModel's probabilities;
  - the `logits` signature: softmax of it equals serving_default;
  - the warm-up requests TF Serving would run (assets.extra), decoded and run;
  - a fine-tuning step in Python on the loaded variables (the loss must fall);
and `saved_model_cli run` on the MLP with a real test image; and, where LicenseClassifier has exported to
target/license-classifier/1, converts that string-input model with TF Select.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import tensorflow as tf
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from tensorflow.core.framework import tensor_pb2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_savedmodel import mnist_test  # noqa: E402

SHAPES = {"mlp": (784,), "convnet": (28, 28, 1), "lstm": (28, 28), "stacked_rnn": (28, 28)}


def prediction_log_class():
    """tensorflow.serving.PredictionLog, built from its field numbers (tensorflow-serving-api is not on the index)."""
    f = descriptor_pb2.FileDescriptorProto(name="warmup.proto", package="tensorflow.serving",
                                           dependency=["tensorflow/core/framework/tensor.proto"], syntax="proto3")
    T = descriptor_pb2.FieldDescriptorProto
    spec = f.message_type.add(name="ModelSpec")
    spec.field.add(name="name", number=1, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    spec.field.add(name="signature_name", number=3, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    req = f.message_type.add(name="PredictRequest")
    req.field.add(name="model_spec", number=1, type=T.TYPE_MESSAGE, type_name=".tensorflow.serving.ModelSpec",
                  label=T.LABEL_OPTIONAL)
    entry = req.nested_type.add(name="InputsEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    entry.field.add(name="value", number=2, type=T.TYPE_MESSAGE, type_name=".tensorflow.TensorProto",
                    label=T.LABEL_OPTIONAL)
    req.field.add(name="inputs", number=2, type=T.TYPE_MESSAGE,
                  type_name=".tensorflow.serving.PredictRequest.InputsEntry", label=T.LABEL_REPEATED)
    plog = f.message_type.add(name="PredictLog")
    plog.field.add(name="request", number=1, type=T.TYPE_MESSAGE, type_name=".tensorflow.serving.PredictRequest",
                   label=T.LABEL_OPTIONAL)
    log = f.message_type.add(name="PredictionLog")
    log.field.add(name="predict_log", number=6, type=T.TYPE_MESSAGE, type_name=".tensorflow.serving.PredictLog",
                  label=T.LABEL_OPTIONAL)
    pool = descriptor_pool.Default()  # holds tensorflow/core/framework/tensor.proto once tensor_pb2 is imported
    pool.AddSerializedFile(f.SerializeToString())
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("tensorflow.serving.PredictionLog"))


def tflite_outputs(model_bytes, x):
    """The interpreter's serving_default output for all of x, run as one batch."""
    interpreter = tf.lite.Interpreter(model_content=model_bytes)
    return interpreter.get_signature_runner("serving_default")(input_0=x)["output_0"]


def check(name, folder, x, y, java_accuracy, prediction_log):
    print(f"== {name}: {folder}")
    loaded = tf.saved_model.load(folder)
    print("  variables in Python:", ", ".join(f"{v.name} {v.shape}" for v in loaded.variables))
    serve = loaded.signatures["serving_default"]
    saved = serve(input_0=tf.constant(x))["output_0"].numpy()
    logits = loaded.signatures["logits"](input_0=tf.constant(x))["output_0"].numpy()
    print("  logits signature: max |softmax(logits) - probabilities| = %.1e"
          % np.abs(tf.nn.softmax(logits).numpy() - saved).max())
    rows = [("Java (Leibniz)", java_accuracy, None, None),
            ("SavedModel in Python", (saved.argmax(1) == y).mean(), 0.0, None)]
    for label, optimize in (("TF Lite float32", False), ("TF Lite int8 dynamic range", True)):
        converter = tf.lite.TFLiteConverter.from_saved_model(folder)
        if optimize:
            converter.optimizations = [tf.lite.Optimize.DEFAULT]
        model_bytes = converter.convert()
        out = tflite_outputs(model_bytes, x)
        rows.append((label, (out.argmax(1) == y).mean(), np.abs(out - saved).max(), len(model_bytes)))
    print("  %-28s %9s %22s %12s" % ("", "accuracy", "max |p - SavedModel's|", "bytes"))
    for label, acc, diff, size in rows:
        print("  %-28s %9.4f %22s %12s" % (label, acc, "" if diff is None else "%.1e" % diff,
                                            "" if size is None else size))
    warmup = os.path.join(folder, "assets.extra", "tf_serving_warmup_requests")
    for record in tf.data.TFRecordDataset(warmup):
        log = prediction_log.FromString(record.numpy())
        request = log.predict_log.request
        inputs = {k: tf.make_ndarray(v) for k, v in request.inputs.items()}
        out = loaded.signatures[request.model_spec.signature_name](
            **{k: tf.constant(v) for k, v in inputs.items()})["output_0"].numpy()
        print("  warm-up request to %s: inputs %s -> output %s" % (
            request.model_spec.signature_name, {k: v.shape for k, v in inputs.items()}, out.shape))
    trainable = [v for v in loaded.variables if v.trainable]
    xs, ys = tf.constant(x[:512]), tf.constant(y[:512].astype("int64"))
    losses = []
    try:
        for _ in range(3):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(
                    ys, serve(input_0=xs)["output_0"]))
            for v, g in zip(trainable, tape.gradient(loss, trainable)):
                v.assign_sub(0.05 * g)
            losses.append(float(loss))
        print("  fine-tuning in Python, 3 SGD steps on 512 test images: loss "
              + " -> ".join("%.4f" % l for l in losses))
    except Exception as e:  # noqa: BLE001 -- reported, not hidden
        print("  fine-tuning in Python failed: %s: %s" % (type(e).__name__, str(e).splitlines()[0][:200]))


def saved_model_cli(folder, x, y):
    with tempfile.TemporaryDirectory() as tmp:
        image = os.path.join(tmp, "image.npy")
        np.save(image, x[:1])
        cli = os.path.join(os.path.dirname(sys.executable), "saved_model_cli")
        out = subprocess.run([cli, "run", "--dir", folder, "--tag_set", "serve", "--signature_def",
                              "serving_default", "--inputs", "input_0=" + image], capture_output=True, text=True)
    print("== saved_model_cli run on the MLP, test image 0 (label %d):" % y[0])
    print("\n".join("  " + line for line in out.stdout.strip().splitlines()[-4:]) or out.stderr[-2000:])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    deploy = args[0] if args else "target/deploy"
    mnist = args[1] if len(args) > 1 else "../shared/datasets/mnist"
    if "--no-train" not in sys.argv:
        subprocess.run(["mvn", "-q", "-pl", "examples", "exec:java", "-Dexec.mainClass=dev.leibniz.examples.MnistDeploy",
                        "-Dexec.args=" + os.path.abspath(mnist) + " " + os.path.abspath(deploy)], check=True)
    java = {}
    with open(os.path.join(deploy, "java_accuracy.tsv")) as f:
        next(f)
        for line in f:
            name, accuracy, folder = line.rstrip("\n").split("\t")
            java[name] = (float(accuracy), folder)
    images, labels = mnist_test(mnist)
    prediction_log = prediction_log_class()
    print("TensorFlow", tf.__version__)
    for name, (accuracy, folder) in java.items():
        check(name, folder, images.reshape((-1,) + SHAPES[name]), labels, accuracy, prediction_log)
    saved_model_cli(java["mlp"][1], images.reshape(-1, 784), labels)
    text = "target/license-classifier/1"  # LicenseClassifier's export: strings in, a vectorizer in front
    if os.path.isdir(text):
        converter = tf.lite.TFLiteConverter.from_saved_model(text)
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]
        print("== %s (strings in) converts with TF Select: %d bytes (the pip package's interpreter has no Select"
              " ops to run it)" % (text, len(converter.convert())))


if __name__ == "__main__":
    main()
