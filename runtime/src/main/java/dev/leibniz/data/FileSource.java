package dev.leibniz.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * Files in class folders, as Keras's {@code *_dataset_from_directory}: {@code dir/<class>/<file>},
 * the classes in alphabetical order labelled 0, 1, ...; each image or text file one sample, or
 * each line of the text files.
 */
final class FileSource implements TfSource {
  enum Kind { IMAGE, TEXT, LINES }

  private static final List<String> IMAGES = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

  private final Path dir;
  private final Kind kind;
  private final int height;
  private final int width;
  private final int channels;
  private final List<String> classes = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();
  private final List<Integer> labels = new ArrayList<>();

  FileSource(Path dir, Kind kind, int height, int width, int channels) {
    this.dir = dir;
    this.kind = kind;
    this.height = height;
    this.width = width;
    this.channels = channels;
    if (kind == Kind.IMAGE && (height < 1 || width < 1 || !(channels == 1 || channels == 3 || channels == 4))) {
      throw new IllegalArgumentException("images need a positive height and width and 1, 3 or 4 channels, got "
          + height + " x " + width + " x " + channels);
    }
    if (!Files.isDirectory(dir)) {
      throw new DataException(dir + ": no such directory (expected one folder per class)");
    }
    try (Stream<Path> folders = Files.list(dir)) {
      for (Path c : folders.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted().toList()) {
        List<Path> own;
        try (Stream<Path> in = Files.list(c)) {
          own = in.filter(Files::isRegularFile).filter(this::takes).sorted().toList();
        }
        if (own.isEmpty()) {
          throw new DataException(c + ": the class folder holds no " + (kind == Kind.IMAGE ? "images " + IMAGES
              : "text files (.txt)"));
        }
        for (Path f : own) {
          files.add(f);
          labels.add(classes.size());
        }
        classes.add(c.getFileName().toString());
      }
    } catch (IOException e) {
      throw new DataException(dir + ": " + e, e);
    }
    if (classes.isEmpty()) {
      throw new DataException(dir + ": no class folders; expected " + dir + "/<class>/<files>");
    }
  }

  private boolean takes(Path f) {
    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return kind == Kind.IMAGE ? IMAGES.stream().anyMatch(name::endsWith) : name.endsWith(".txt");
  }

  @Override
  public List<String> classNames() {
    return List.copyOf(classes);
  }

  @Override
  public Raw open(Ops ops, Map<Operand<?>, Tensor> feeds) {
    List<Class<? extends TType>> types = List.of(TString.class, TFloat32.class);
    List<Shape> shapes = List.of(Shape.scalar(), Shape.scalar());
    if (kind != Kind.LINES) {
      float[] y = new float[labels.size()];
      for (int i = 0; i < y.length; i++) {
        y[i] = labels.get(i);
      }
      Operand<?> dataset = ops.data.tensorSliceDataset(List.of(ops.array(paths(files)), ops.constant(y)), shapes);
      return new Raw(dataset, types, shapes);
    }
    Operand<?> all = null;
    for (int c = 0; c < classes.size(); c++) { // each class's lines beside its label repeated, classes one after the other
      List<Path> own = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        if (labels.get(i) == c) {
          own.add(files.get(i));
        }
      }
      Operand<?> lines = ops.data.textLineDataset(ops.array(paths(own)), ops.constant(""), ops.constant(256L * 1024));
      Operand<?> repeated = ops.data.repeatDataset(ops.data.tensorDataset(List.of(ops.constant((float) c)),
          List.of(Shape.scalar())), ops.constant(-1L), List.of(TFloat32.class), List.of(Shape.scalar()));
      Operand<?> zipped = ops.data.zipDataset(List.of(lines, repeated), types, shapes);
      all = all == null ? zipped : ops.data.concatenateDataset(all, zipped, types, shapes);
    }
    return new Raw(TfSource.nonEmpty(ops, all, types, shapes), types, shapes);
  }

  private static String[] paths(List<Path> files) {
    return files.stream().map(Path::toString).toArray(String[]::new);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Operand<?>> decode(Ops ops, List<Operand<?>> raw) {
    Operand<TString> path = (Operand<TString>) raw.get(0);
    return switch (kind) {
      case LINES -> raw;
      case TEXT -> List.of(ops.io.readFile(path), raw.get(1));
      case IMAGE -> {
        Operand<TUint8> pixels = ops.image.decodeImage(ops.io.readFile(path), TUint8.class,
            DecodeImage.channels((long) channels), DecodeImage.expandAnimations(false));
        Operand<TFloat32> batch = ops.expandDims(ops.dtypes.cast(pixels, TFloat32.class), ops.constant(0));
        // as tf.image.resize(method="bilinear"), what image_dataset_from_directory runs
        Operand<TFloat32> resized = ops.image.resizeBilinear(batch, ops.constant(new int[] {height, width}),
            ResizeBilinear.halfPixelCenters(true));
        yield List.of(ops.reshape(resized, ops.constant(new long[] {height, width, channels})), raw.get(1));
      }
    };
  }

  @Override
  public boolean decodes() {
    return kind != Kind.LINES;
  }

  @Override
  public boolean decodesBatches() {
    return kind == Kind.LINES;
  }

  @Override
  public int inputs() {
    return 1;
  }

  @Override
  public long count() throws IOException {
    if (kind != Kind.LINES) {
      return files.size();
    }
    long n = 0;
    for (Path f : files) {
      try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
        n += lines.filter(l -> !l.isEmpty()).count();
      }
    }
    return n;
  }

  @Override
  public String diagnose() {
    for (Path f : files) {
      if (!Files.isReadable(f)) {
        return f + ": the file is gone or unreadable";
      }
      if (kind == Kind.IMAGE) {
        try {
          if (javax.imageio.ImageIO.read(f.toFile()) == null) {
            return f + ": not an image in a format TensorFlow decodes (PNG, JPEG, GIF, BMP)";
          }
        } catch (IOException e) {
          return f + ": the image does not decode (" + e.getMessage() + ")";
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + " files in " + dir + " " + classes;
  }
}
