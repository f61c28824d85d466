package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History drawn as Keras users draw it: a panel per value, training beside validation, PNG or SVG. */
class HistoryPlotTest {
  @Test
  void pngAndSvgOfTrainingBesideValidation(@TempDir Path dir) throws IOException {
    Data[] train = TrainingTest.blobs(64, 31);
    Data[] val = TrainingTest.blobs(32, 32);
    History h;
    try (Model model = Sequential.of(new Dense(2, "softmax"))) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      h = model.fit(train[0], train[1], FitOptions.epochs(5).batchSize(16).validationData(val[0], val[1]).verbose(0));
    }
    Path png = dir.resolve("history.png");
    h.plot(png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1040, image.getWidth(), "two panels side by side: loss and accuracy");
    assertEquals(360, image.getHeight());
    Set<Integer> colors = new HashSet<>();
    for (int x = 0; x < image.getWidth(); x += 3) {
      for (int y = 0; y < image.getHeight(); y += 3) {
        colors.add(image.getRGB(x, y));
      }
    }
    assertTrue(colors.size() > 20, "a drawing, not a blank: " + colors.size() + " colours");

    Path svg = dir.resolve("history.svg");
    h.plot(svg);
    String text = Files.readString(svg);
    // XChart draws its text as outlines: the SVG is the two panels' shapes
    assertTrue(text.contains("<svg") && text.contains("width=\"1040px\"") && text.contains("height=\"360px\""),
        text.substring(0, 300));
    assertEquals(24, text.split("<ellipse").length - 1, "a marker per epoch for each of the 4 curves, and 4 in the legends");

    IllegalArgumentException pdf = assertThrows(IllegalArgumentException.class, () -> h.plot(dir.resolve("h.pdf")));
    assertTrue(pdf.getMessage().contains("a .png or an .svg file"), pdf.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new History().plot(dir.resolve("empty.png")));
  }
}
