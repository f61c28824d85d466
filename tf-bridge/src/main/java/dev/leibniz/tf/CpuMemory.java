package dev.leibniz.tf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;

/**
 * Where TensorFlow's tensors live on the CPU: in TensorFlow's own pool (its BFC allocator, which
 * keeps the memory of freed tensors for the next ones) rather than TensorFlow's default, a
 * {@code malloc} per tensor. The C library maps a tensor over 32 MB afresh each time and unmaps it
 * when freed, so a step whose tensors are that large (attention's score matrices at a few hundred
 * steps) pays the kernel to zero every page again, step after step. TensorFlow chooses by the
 * environment variable {@code TF_CPU_ALLOCATOR_USE_BFC} when it makes its first device; Leibniz sets
 * it in its own process before its first session ({@link TfSession#open}, usually the warm-up's, on its
 * thread: loading the C library through JNA takes 0.1-0.3 s), unless the environment the JVM started
 * with has it (set it to {@code false} for TensorFlow's default).
 *
 * <p>The pool is for what sessions compute. The tensors Java makes ({@code TF_AllocateTensor}) keep
 * {@code malloc}: the pool returns no memory for a tensor of no elements, where TensorFlow Java then
 * fails, and TensorFlow gives those tensors the pool only if it has one when it first makes one.
 */
final class CpuMemory {
  static final String VARIABLE = "TF_CPU_ALLOCATOR_USE_BFC";

  private CpuMemory() {}

  /** The C library's environment, where TensorFlow reads it. */
  interface C extends Library {
    int setenv(String name, String value, int overwrite);

    String getenv(String name);
  }

  /** Asks for the pool, where the user has not chosen and the platform has {@code setenv}. */
  static void pool() {
    if (System.getenv(VARIABLE) != null || System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      return;
    }
    try {
      c().setenv(VARIABLE, "true", 0);
    } catch (LinkageError | RuntimeException e) {
      System.getLogger(CpuMemory.class.getName()).log(System.Logger.Level.WARNING, "could not set " + VARIABLE
          + " (TensorFlow's CPU memory pool) in this process, so TensorFlow allocates each tensor with malloc: "
          + e + ". Start the JVM with the environment variable " + VARIABLE + "=true for the pool");
    }
  }

  /**
   * Makes TensorFlow's first tensor from Java before its first device, which fixes the allocator of
   * every tensor Java makes to {@code malloc} (see above). Needs the native library loadable.
   */
  static void keepMallocForJavaTensors() {
    try (org.tensorflow.types.TFloat32 first = org.tensorflow.types.TFloat32.scalarOf(0f)) {
      // nothing to do: making it was the point
    }
  }

  static C c() {
    return Native.load("c", C.class);
  }
}
