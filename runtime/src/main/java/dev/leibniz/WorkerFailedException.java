package dev.leibniz;

/**
 * A multi-worker step that could not complete: a worker did not join it within the strategy's
 * timeout (it died, hangs, or ran a different number of steps), or the workers disagree on the
 * model or the data. TensorFlow's collectives cannot be used again in a process where one
 * failed: restart every worker; {@code fit} with {@code BackupAndRestore} then resumes from the
 * chief's last backup.
 */
public final class WorkerFailedException extends RuntimeException {
  WorkerFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
