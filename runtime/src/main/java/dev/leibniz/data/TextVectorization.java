package dev.leibniz.data;

import dev.leibniz.tf.Natives;
import dev.leibniz.tf.TfSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Keras's {@code TextVectorization} with {@code output_mode="int"}: text to a fixed number of token
 * indices, built from TensorFlow's string ops so that it runs inside the input pipeline
 * ({@code dataset.map(vectorizer)}) and in front of an exported model, whose SavedModel then takes
 * raw strings. As Keras: lowercase, strip punctuation ({@link #STRIP}), split on whitespace; index 0
 * pads, 1 is the out-of-vocabulary token {@code [UNK]}, 2... the vocabulary, most frequent first
 * ({@link #adapt}). Sequences are cut or padded with 0 to {@code sequenceLength}.
 *
 * <p>The lookup is a sorted array of the tokens' 62-bit fingerprints ({@code StringToHashBucketFast})
 * searched with {@code LowerBound}: constants only, no table to initialize, so the exported graph
 * needs nothing but itself. A vocabulary whose fingerprints collide is refused.
 */
public final class TextVectorization implements InputMap {
  /** Keras's {@code DEFAULT_STRIP_REGEX}: the punctuation {@code lower_and_strip_punctuation} removes. */
  public static final String STRIP = "[!\"#$%&()\\*\\+,-\\./:;<=>?@\\[\\\\\\]^_`{|}~\\']";
  private static final long BUCKETS = 1L << 62;

  private final int maxTokens;
  private final int sequenceLength;
  private List<String> vocabulary = List.of("", "[UNK]");
  private long[] sortedHashes = new long[0];
  private long[] sortedIds = new long[0];

  /** At most {@code maxTokens} indices (padding and {@code [UNK]} included), {@code sequenceLength} per text. */
  public TextVectorization(int maxTokens, int sequenceLength) {
    if (maxTokens < 3 || sequenceLength < 1) {
      throw new IllegalArgumentException("TextVectorization needs maxTokens >= 3 (padding, [UNK] and a token) and"
          + " sequenceLength >= 1, got " + maxTokens + " and " + sequenceLength);
    }
    this.maxTokens = maxTokens;
    this.sequenceLength = sequenceLength;
  }

  public int sequenceLength() {
    return sequenceLength;
  }

  /** {@code ""}, {@code [UNK]}, then the tokens by index, as Keras's {@code get_vocabulary()}. */
  public List<String> vocabulary() {
    return vocabulary;
  }

  /** The vocabulary's size, padding and {@code [UNK]} included: an {@code Embedding}'s input dimension. */
  public int vocabularySize() {
    return vocabulary.size();
  }

  /** Builds the vocabulary from texts: their most frequent tokens, ties in reverse alphabetical order (as Keras's lexsort). */
  public TextVectorization adapt(Iterable<String> texts) {
    Map<String, long[]> counts = new HashMap<>();
    List<String> order = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    for (String t : texts) {
      batch.add(t);
      if (batch.size() == 1024) {
        count(tokens(batch), counts, order);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      count(tokens(batch), counts, order);
    }
    List<String> byFrequency = new ArrayList<>(order);
    byFrequency.sort(Comparator.comparingLong((String s) -> -counts.get(s)[0]).thenComparing(Comparator.reverseOrder()));
    List<String> v = new ArrayList<>(List.of("", "[UNK]"));
    v.addAll(byFrequency.subList(0, Math.min(byFrequency.size(), maxTokens - 2)));
    setVocabulary(v.subList(2, v.size()));
    return this;
  }

  /** Builds the vocabulary from a dataset's text inputs (its first input, strings), read once. */
  public TextVectorization adapt(Dataset texts) {
    List<String> all = new ArrayList<>();
    try (InputPipeline p = InputPipeline.strings(texts, 1024)) {
      p.strings(all::add);
    }
    return adapt(all);
  }

  private static void count(List<String> tokens, Map<String, long[]> counts, List<String> order) {
    for (String t : tokens) {
      long[] c = counts.get(t);
      if (c == null) {
        counts.put(t, new long[] {1});
        order.add(t);
      } else {
        c[0]++;
      }
    }
  }

  /** Sets the tokens (without padding and {@code [UNK]}), index 2 onward, as Keras's {@code set_vocabulary}. */
  public void setVocabulary(List<String> tokens) {
    List<String> v = new ArrayList<>(List.of("", "[UNK]"));
    v.addAll(tokens);
    if (v.size() > maxTokens) {
      throw new IllegalArgumentException(tokens.size() + " tokens exceed maxTokens " + maxTokens + " (2 are padding and [UNK])");
    }
    long[] hashes = hashes(tokens);
    Integer[] idx = new Integer[hashes.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingLong(i -> hashes[i]));
    long[] sorted = new long[idx.length];
    long[] ids = new long[idx.length];
    for (int i = 0; i < idx.length; i++) {
      sorted[i] = hashes[idx[i]];
      ids[i] = idx[i] + 2;
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException("tokens \"" + tokens.get(idx[i]) + "\" and \"" + tokens.get(idx[i - 1])
            + "\" have the same fingerprint; drop one from the vocabulary");
      }
    }
    this.vocabulary = List.copyOf(v);
    this.sortedHashes = sorted;
    this.sortedIds = ids;
  }

  /**
   * The token indices of {@code texts}, one row of {@link #sequenceLength} per text, as Keras's
   * {@code vectorizer(texts)}: the same graph a dataset's map and an export run.
   */
  @SuppressWarnings("unchecked")
  public Data vectorize(List<String> texts) {
    try (Graph g = Natives.newGraph(); Session s = TfSession.open(g, 0);
        TString t = TString.vectorOf(texts.toArray(String[]::new))) {
      Ops ops = Ops.create(g);
      Operand<TString> p = ops.placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> out = (Operand<TFloat32>) apply(ops, List.of(p)).get(0);
      try (TFloat32 r = (TFloat32) s.runner().feed(p, t).fetch(out).run().get(0)) {
        float[] v = new float[(int) r.size()];
        r.asRawTensor().data().asFloats().read(v);
        return Data.of(v, sequenceLength);
      }
    }
  }

  /** Each text's tokens as the graph splits them (standardized), for adapting. */
  private static List<String> tokens(List<String> texts) {
    return run(texts, (ops, in) -> split(ops, standardize(ops, in)).values());
  }

  private static long[] hashes(List<String> tokens) {
    List<String> h = run(tokens, (ops, in) -> ops.dtypes.asString(ops.strings.toHashBucketFast(in, BUCKETS)));
    return h.stream().mapToLong(Long::parseLong).toArray();
  }

  private interface StringOp {
    Operand<TString> build(Ops ops, Operand<TString> in);
  }

  /** {@code op} on a vector of strings in a graph of its own; its result's strings. */
  private static List<String> run(List<String> in, StringOp op) {
    try (Graph g = Natives.newGraph(); Session s = TfSession.open(g, 0); TString t = TString.vectorOf(in.toArray(String[]::new))) {
      Ops ops = Ops.create(g);
      Operand<TString> p = ops.placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
      Operand<TString> out = op.build(ops, p);
      try (TString r = (TString) s.runner().feed(p, t).fetch(out).run().get(0)) {
        List<String> got = new ArrayList<>();
        for (long i = 0; i < r.shape().size(0); i++) {
          got.add(r.getObject(i));
        }
        return got;
      }
    }
  }

  private static Operand<TString> standardize(Ops ops, Operand<TString> text) {
    return ops.strings.staticRegexReplace(ops.strings.lower(text), STRIP, "");
  }

  private static org.tensorflow.op.strings.StringSplit split(Ops ops, Operand<TString> texts) {
    return ops.strings.stringSplit(texts, ops.constant("")); // "": runs of whitespace, as Keras's split="whitespace"
  }

  /** Texts ({@code [batch]}, or one, {@code []}) to token indices ({@code [batch, sequenceLength]} or {@code [sequenceLength]}), as floats. */
  @Override
  public List<Operand<?>> apply(Ops ops, List<Operand<?>> inputs) {
    return build(ops, inputs, null);
  }

  /**
   * As {@link #apply}, looking the tokens up in a hash table (string to index) that
   * {@code initializers} fill: what TF Lite's converter takes (with TF Select for the string
   * ops, as Keras's TextVectorization needs), where the fingerprints' binary search is not.
   */
  @Override
  public List<Operand<?>> applyForExport(Ops ops, List<Operand<?>> inputs, List<Op> initializers) {
    return build(ops, inputs, java.util.Objects.requireNonNull(initializers, "initializers"));
  }

  /** The vectorizing graph; {@code initializers} null: fingerprint lookup, else a table they fill. */
  @SuppressWarnings("unchecked")
  private List<Operand<?>> build(Ops ops, List<Operand<?>> inputs, List<Op> initializers) {
    if (inputs.size() != 1 || inputs.get(0).type() != TString.class) {
      throw new IllegalArgumentException("TextVectorization takes one input of strings, got "
          + inputs.stream().map(i -> i.type().getSimpleName()).toList());
    }
    Operand<TString> text = (Operand<TString>) inputs.get(0);
    boolean one = text.shape().numDimensions() == 0;
    Operand<TString> texts = one ? ops.reshape(text, ops.constant(new long[] {1})) : text;
    var split = split(ops, standardize(ops, texts));
    Operand<TString> dense = ops.sparse.sparseToDense(split.indices(), split.shape(), split.values(), ops.constant(""));
    Operand<TInt64> ids = lookup(ops, dense, initializers);
    // cut to sequenceLength, then pad with 0 up to it
    Operand<TInt64> width = ops.math.minimum(ops.gather(ops.shape(ids, TInt64.class), ops.constant(1), ops.constant(0)),
        ops.constant((long) sequenceLength));
    Operand<TInt64> cut = ops.slice(ids, ops.constant(new long[] {0, 0}), ops.stack(List.of(ops.constant(-1L), width)));
    Operand<TInt64> pad = ops.math.sub(ops.constant((long) sequenceLength), width);
    Operand<TInt64> padded = ops.pad(cut, ops.stack(List.of(ops.constant(new long[] {0, 0}),
        ops.stack(List.of(ops.constant(0L), pad)))), ops.constant(0L));
    Operand<TFloat32> out = ops.reshape(ops.dtypes.cast(padded, TFloat32.class),
        ops.constant(one ? new long[] {sequenceLength} : new long[] {-1, sequenceLength}));
    return List.of(out);
  }

  /** Each token's index: 0 for padding, 2... for the vocabulary, 1 for the rest. */
  private Operand<TInt64> lookup(Ops ops, Operand<TString> tokens, List<Op> initializers) {
    Operand<TInt64> shape = ops.shape(tokens, TInt64.class);
    Operand<TString> all = ops.reshape(tokens, ops.constant(new long[] {-1}));
    Operand<TInt64> flat = initializers == null ? byFingerprint(ops, all) : byTable(ops, all, initializers);
    Operand<TInt64> real = ops.select(ops.math.equal(all, ops.constant("")), ops.zerosLike(flat), flat);
    return ops.reshape(real, shape);
  }

  /** Each token's index by a binary search of the vocabulary's sorted fingerprints: no state to set up. */
  private Operand<TInt64> byFingerprint(Ops ops, Operand<TString> tokens) {
    Operand<TInt64> h = ops.reshape(ops.strings.toHashBucketFast(tokens, BUCKETS), ops.constant(new long[] {1, -1}));
    Operand<TInt64> ids;
    if (sortedHashes.length == 0) {
      ids = ops.onesLike(h);
    } else {
      Operand<TInt64> sorted = ops.constant(new long[][] {sortedHashes});
      Operand<TInt64> at = ops.math.minimum(ops.lowerBound(sorted, h, TInt64.class),
          ops.constant((long) sortedHashes.length - 1));
      Operand<TInt64> found = ops.gather(ops.constant(sortedHashes), at, ops.constant(0));
      ids = ops.select(ops.math.equal(found, h), ops.gather(ops.constant(sortedIds), at, ops.constant(0)), ops.onesLike(h));
    }
    return ops.reshape(ids, ops.constant(new long[] {-1}));
  }

  /** Each token's index from a hash table of the vocabulary, filled by the op added to {@code initializers}. */
  private Operand<TInt64> byTable(Ops ops, Operand<TString> tokens, List<Op> initializers) {
    List<String> words = vocabulary.subList(2, vocabulary.size());
    long[] ids = new long[words.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i + 2;
    }
    Operand<?> table = ops.withName("vocabulary").hashTable(TString.class, TInt64.class);
    initializers.add(ops.withName("vocabulary_init").lookupTableImport(table,
        ops.constant(Shape.of(words.size()), org.tensorflow.ndarray.buffer.DataBuffers.ofObjects(
            words.toArray(String[]::new))), ops.constant(ids)));
    return ops.lookupTableFind(table, tokens, ops.constant(1L));
  }

  @Override
  public String toString() {
    return "TextVectorization(" + (vocabulary.size() - 2) + " tokens, length " + sequenceLength + ")";
  }
}
