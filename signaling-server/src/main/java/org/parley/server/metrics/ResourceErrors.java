package org.parley.server.metrics;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Tells the errors that end one connection because of what a client did (resets, bad frames, failed handshakes:
 * logged at DEBUG, they are routine) from those that say the server itself is in trouble: out of memory, out of file
 * descriptors, a failing JVM. Those are logged at ERROR and counted in {@code parley_resource_errors_total}, so an
 * operator sees them before users do (issue #17: an OutOfMemoryError used to be a DEBUG line).
 */
public final class ResourceErrors {

  /** What the server ran out of. */
  public enum Kind {
    OUT_OF_MEMORY, OUT_OF_FILE_DESCRIPTORS, OTHER_JVM_ERROR
  }

  private ResourceErrors() {}

  /** The kind of server trouble {@code error} (or one of its causes) shows, if any. */
  public static Optional<Kind> classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return Optional.of(Kind.OUT_OF_MEMORY);
      }
      if (t instanceof VirtualMachineError) {
        return Optional.of(Kind.OTHER_JVM_ERROR);
      }
      // EMFILE/ENFILE reach Java only as a message ("Too many open files").
      if (t instanceof IOException && t.getMessage() != null
          && t.getMessage().toLowerCase(Locale.ROOT).contains("too many open files")) {
        return Optional.of(Kind.OUT_OF_FILE_DESCRIPTORS);
      }
    }
    return Optional.empty();
  }

  /** Logs a connection's error at the level it deserves and counts server trouble; returns whether it was that. */
  public static boolean report(Logger log, ServerMetrics metrics, String what, Throwable error) {
    Optional<Kind> kind = classify(error);
    if (kind.isPresent()) {
      metrics.resourceError(kind.get());
      log.error("{}: the server ran out of a resource ({})", what, kind.get(), error);
      return true;
    }
    log.debug("{}: {}", what, error.toString());
    return false;
  }
}
