package dev.leibniz.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leibniz.Model;
import dev.leibniz.examples.LicenseClassifier;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * TextVectorization against Keras 3's (vocabulary and indices from {@code keras/text/make_text.py}),
 * and the must-show of the text pipeline: a classifier of license lines trained from a folder per
 * license, whose SavedModel, with the vectorizer inside, takes raw strings.
 */
class TextVectorizationTest {
  @TempDir
  Path temp;

  static final List<String> TRAIN = List.of(
      "The quick brown fox jumps over the lazy dog.",
      "The dog barks; the fox runs!",
      "A lazy afternoon, a QUICK nap... and the dog sleeps.",
      "Über-fast foxes (and dogs) don't stop: they're quick & lazy?",
      "tabs\tand  double  spaces\nand newlines");

  @Test
  void vocabularyAndIndicesAreKeras() throws Exception {
    List<String> vocabulary = null;
    List<String> queries = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/keras/text/text_vectorization.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line : r.lines().toList()) {
        String[] f = line.split("\t", -1);
        if (f[0].equals("vocabulary")) {
          vocabulary = Arrays.asList(f).subList(1, f.length);
        } else if (f[0].equals("query")) {
          queries.add(f[1].replace("\\t", "\t").replace("\\n", "\n"));
          expected.add(toFloats(f[2]));
        }
      }
    }
    TextVectorization v = new TextVectorization(20, 8).adapt(TRAIN);
    assertEquals(vocabulary, v.vocabulary().subList(2, v.vocabularySize()));
    assertEquals(List.of("", "[UNK]"), v.vocabulary().subList(0, 2));
    Data got = v.vectorize(queries);
    for (int i = 0; i < queries.size(); i++) {
      assertArrayEquals(expected.get(i), got.sample(i), "\"" + queries.get(i) + "\"");
    }
  }

  private static float[] toFloats(String s) {
    String[] parts = s.trim().split(" ");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Float.parseFloat(parts[i]);
    }
    return out;
  }

  @Test
  void aLicenseClassifierExportsAModelThatTakesRawStrings() throws Exception {
    Path licenses = Path.of("/usr/share/common-licenses");
    assumeTrue(LicenseClassifier.LICENSES.stream().allMatch(l -> Files.exists(licenses.resolve(l))),
        "the Debian license texts are not in " + licenses);
    Path folders = LicenseClassifier.folders(licenses, temp.resolve("licenses"));
    LicenseClassifier.Result r = LicenseClassifier.train(folders, 10, false);
    try (Model model = r.model()) {
      double accuracy = r.validation().get("accuracy");
      // the largest class (GPL-3) holds about a third of the lines: guessing it gives 0.35
      assertTrue(accuracy >= 0.5, "held-out accuracy " + accuracy);
      List<String> lines = List.of("Licensed under the Apache License, Version 2.0",
          "This Source Code Form is subject to the terms of the Mozilla Public License",
          "Permission is granted to copy, distribute and/or modify this document", "", "zzz qqq");
      float[] expected = model.predict(r.vectorizer().vectorize(lines), 8).values();
      Path dir = temp.resolve("export");
      model.export(dir, r.vectorizer());
      try (SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve");
          TString in = TString.vectorOf(lines.toArray(String[]::new))) {
        var signature = b.function("serving_default").signature();
        assertEquals("DT_STRING", signature.getInputs().get("input_0").dataType.name());
        try (var result = b.function("serving_default").call(java.util.Map.of("input_0", in))) {
          TFloat32 out = (TFloat32) result.get("output_0").orElseThrow();
          float[] got = new float[(int) out.size()];
          out.asRawTensor().data().asFloats().read(got);
          assertArrayEquals(expected, got, 1e-5f);
        }
      }
    }
  }
}
