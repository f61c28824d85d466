"""Keras 3's TextVectorization on fixed sentences: the vocabulary adapt builds and the indices it
gives, written to text_vectorization.txt for TextVectorizationTest. Run with TensorFlow 2.21 and
Keras 3 (python make_text.py); the test never runs Python."""
import keras

TRAIN = [
    "The quick brown fox jumps over the lazy dog.",
    "The dog barks; the fox runs!",
    "A lazy afternoon, a QUICK nap... and the dog sleeps.",
    "Über-fast foxes (and dogs) don't stop: they're quick & lazy?",
    "tabs\tand  double  spaces\nand newlines",
]
QUERY = [
    "the quick dog",
    "an unknown word and the fox",
    "",
    "Punctuation!!! should, vanish. the the the the the the the the the the the the",
    "ÜBER-fast foxes don't",
]

layer = keras.layers.TextVectorization(max_tokens=20, output_mode="int", output_sequence_length=8)
layer.adapt(TRAIN)
vocab = layer.get_vocabulary()
out = layer(QUERY).numpy()
with open("text_vectorization.txt", "w", encoding="utf-8") as f:
    f.write("# keras %s: TextVectorization(max_tokens=20, output_sequence_length=8)\n" % keras.__version__)
    f.write("vocabulary\t" + "\t".join(vocab[2:]) + "\n")
    for q, row in zip(QUERY, out):
        f.write("query\t" + q.replace("\t", "\\t").replace("\n", "\\n") + "\t" + " ".join(str(int(v)) for v in row) + "\n")
