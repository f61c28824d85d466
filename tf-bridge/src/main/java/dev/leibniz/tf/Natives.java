package dev.leibniz.tf;

import org.tensorflow.Graph;
import org.tensorflow.TensorFlow;

/**
 * TensorFlow's native library, which the user's build chooses (one classifier of
 * {@code org.tensorflow:tensorflow-core-native} per platform): where it is missing, the first
 * graph says which to add instead of an {@code UnsatisfiedLinkError} from deep inside JavaCPP.
 */
public final class Natives {
  /** JavaCPP's limit on the process's resident memory, checked at every native allocation. */
  static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

  static {
    // JavaCPP reads the process's resident size (/proc/self/statm) at every allocation of a native
    // pointer when this limit is set, as it is by default: several per session run, about 60 us of a
    // 200 us training step. Leibniz closes every tensor it makes, so the limit guards nothing here.
    // Set before TensorFlow Java's first native call; a value the user set is left alone.
    if (System.getProperty(MAX_PHYSICAL_BYTES) == null
        && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(java.util.Locale.ROOT)) == null) {
      System.setProperty(MAX_PHYSICAL_BYTES, "0");
      if (org.bytedeco.javacpp.Pointer.maxPhysicalBytes() != 0) { // read already: TensorFlow Java was used first
        System.getLogger(Natives.class.getName()).log(System.Logger.Level.WARNING, "TensorFlow Java was used before"
            + " Leibniz, so JavaCPP's memory limit is on: it reads the process's size at every native allocation,"
            + " a third of a small model's step. Start the JVM with -D" + MAX_PHYSICAL_BYTES + "=0, or let Leibniz"
            + " make the first graph");
      }
    }
  }

  /** TensorFlow's first tensor from Java, made once, before the warm-up's session makes its first device ({@link CpuMemory}). */
  private static final class FirstTensor {
    static {
      CpuMemory.keepMallocForJavaTensors();
    }

    static void made() {}
  }

  private Natives() {}

  /** Loads the native library once; a clear exception naming the artifact to add where it cannot. */
  public static void require() {
    try {
      TensorFlow.version();
      FirstTensor.made();
      WarmUp.start();
    } catch (LinkageError e) {
      throw new IllegalStateException("TensorFlow's native library is not on the class path for this platform ("
          + System.getProperty("os.name") + ", " + System.getProperty("os.arch") + "): add the dependency"
          + " org.tensorflow:tensorflow-core-native with your platform's classifier (linux-x86_64, linux-x86_64-gpu,"
          + " linux-arm64, macosx-arm64 or windows-x86_64), as the README's \"Use Leibniz in your project\" shows."
          + " Cause: " + e, e);
    }
  }

  /** A new TensorFlow graph, once the native library is there. */
  public static Graph newGraph() {
    require();
    return new Graph();
  }
}
