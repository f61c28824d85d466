package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.LSTM;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A character-level language model ("Deep Learning with TensorFlow 2 and Keras", ch. 8; "Deep
 * Learning with Python", ch. 12) on text every Debian machine has: the license texts of
 * {@code /usr/share/common-licenses} (package base-files), about 250,000 characters. Windows of
 * {@link #LENGTH} characters go through Embedding, an LSTM returning every step and a softmax over
 * the alphabet at every step; the loss is sparse categorical cross-entropy over every position
 * (labels {@code [batch, steps]}, the next character at each step). The last tenth of the text is
 * held out; bits per character there are its cross-entropy in base 2. Sampling runs the same model
 * (built for any length) on the text generated so far.
 */
public final class CharLanguageModel {
  /** Where base-files installs the licenses. */
  public static final Path TEXTS = Path.of("/usr/share/common-licenses");
  public static final int LENGTH = 64;

  private CharLanguageModel() {}

  /** The text, its alphabet (sorted) and the text as indices into the alphabet. */
  public record Corpus(String text, char[] alphabet, int[] ids) {
    int id(char c) {
      return java.util.Arrays.binarySearch(alphabet, c);
    }
  }

  /** The regular files of {@code dir} (links to them skipped, so each text counts once), by name, joined. */
  public static Corpus read(Path dir) {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> Files.isRegularFile(p) && !Files.isSymbolicLink(p)).sorted().toList()) {
        text.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the texts in " + dir, e);
    }
    TreeSet<Character> chars = new TreeSet<>();
    text.chars().forEach(c -> chars.add((char) c));
    char[] alphabet = new char[chars.size()];
    int k = 0;
    for (char c : chars) {
      alphabet[k++] = c;
    }
    Corpus corpus = new Corpus(text.toString(), alphabet, new int[text.length()]);
    for (int i = 0; i < text.length(); i++) {
      corpus.ids()[i] = corpus.id(text.charAt(i));
    }
    return corpus;
  }

  /** Windows of {@code ids[from, to)} every {@code stride} characters: inputs, and the next character at each step. */
  public static Data[] windows(int[] ids, int from, int to, int stride) {
    int n = (to - from - LENGTH - 1) / stride + 1;
    float[] x = new float[n * LENGTH];
    float[] y = new float[n * LENGTH];
    for (int w = 0; w < n; w++) {
      for (int t = 0; t < LENGTH; t++) {
        x[w * LENGTH + t] = ids[from + w * stride + t];
        y[w * LENGTH + t] = ids[from + w * stride + t + 1];
      }
    }
    return new Data[] {Data.of(x, LENGTH), Data.of(y, LENGTH)};
  }

  /** Embedding(alphabet, 32), LSTM(units) over every step, Dense(alphabet, softmax) at every step; any length. */
  public static Model model(int alphabet, int units) {
    return Sequential.of(new Embedding(alphabet, 32), new LSTM(units, true), new Dense(alphabet, "softmax"))
        .seed(3).build(-1);
  }

  /**
   * A trained model, its held-out bits per character, and those of the baseline that knows only
   * how often each character occurs in the training text.
   */
  public record Result(Model model, Corpus corpus, History history, double bitsPerCharacter, double unigramBits) {}

  /** Bits per character of {@code ids[split, end)} under the character frequencies of {@code ids[0, split)} (add-one). */
  static double unigramBits(int[] ids, int split, int alphabet) {
    double[] counts = new double[alphabet];
    java.util.Arrays.fill(counts, 1);
    for (int i = 0; i < split; i++) {
      counts[ids[i]]++;
    }
    double total = split + alphabet;
    double bits = 0;
    for (int i = split; i < ids.length; i++) {
      bits -= Math.log(counts[ids[i]] / total) / Math.log(2);
    }
    return bits / (ids.length - split);
  }

  /** Trains on the first nine tenths; bits per character on the last tenth. */
  public static Result train(Corpus corpus, int units, int epochs, int stride, boolean verbose) {
    int split = corpus.ids().length * 9 / 10;
    Data[] train = windows(corpus.ids(), 0, split, stride);
    Data[] test = windows(corpus.ids(), split, corpus.ids().length, LENGTH);
    Model model = model(corpus.alphabet().length, units);
    model.compile(Optimizers.adam(3e-3f), "sparse_categorical_crossentropy");
    History history = model.fit(train[0], train[1], FitOptions.epochs(epochs).batchSize(64).verbose(verbose ? 1 : 0));
    double nats = model.evaluate(test[0], test[1], 256).get("loss");
    return new Result(model, corpus, history, nats / Math.log(2),
        unigramBits(corpus.ids(), split, corpus.alphabet().length));
  }

  /** {@code count} characters after {@code prompt}, each drawn from the model's distribution at temperature {@code temperature}. */
  public static String sample(Model model, Corpus corpus, String prompt, int count, double temperature, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(prompt);
    for (int k = 0; k < count; k++) {
      String window = text.substring(Math.max(0, text.length() - LENGTH));
      float[] x = new float[window.length()];
      for (int t = 0; t < x.length; t++) {
        x[t] = Math.max(0, corpus.id(window.charAt(t)));
      }
      float[] p = model.predict(List.of(Data.of(x, x.length)), 1).get(0).values();
      int alphabet = corpus.alphabet().length;
      text.append(corpus.alphabet()[draw(p, (x.length - 1) * alphabet, alphabet, temperature, random)]);
    }
    return text.substring(prompt.length());
  }

  /** An index drawn from probabilities {@code p[from, from + n)} sharpened by {@code temperature}. */
  static int draw(float[] p, int from, int n, double temperature, Random random) {
    double[] w = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      w[i] = Math.exp(Math.log(Math.max(p[from + i], 1e-12)) / temperature);
      total += w[i];
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < n; i++) {
      u -= w[i];
      if (u <= 0) {
        return i;
      }
    }
    return n - 1;
  }

  public static void main(String[] args) {
    Corpus corpus = read(TEXTS);
    System.out.printf("%d characters, %d distinct%n", corpus.text().length(), corpus.alphabet().length);
    Result r = train(corpus, 128, args.length > 0 ? Integer.parseInt(args[0]) : 8, 16, true);
    try (Model model = r.model()) {
      System.out.printf("held-out bits per character: %.3f (character frequencies alone: %.3f)%n",
          r.bitsPerCharacter(), r.unigramBits());
      String prompt = "This program is free software; you can redistribute it ";
      System.out.println(prompt + sample(model, corpus, prompt, 300, 0.5, 7));
    }
  }
}
