package org.parley.bench;

/**
 * Selects the benchmarks' logging configuration by its own name. The server and stun-turn jars on the class path
 * each bring a {@code logback.xml}; finding the default name several times, logback printed its whole status (two
 * dozen "|-INFO in ch.qos.logback…" lines) before every result.
 */
final class BenchLogging {

  static final String CONFIGURATION = "logback-bench.xml";

  private BenchLogging() {}

  /** Call first in main, before anything logs; a {@code -Dlogback.configurationFile} given by hand wins. */
  static void useBenchConfiguration() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", CONFIGURATION);
    }
  }
}
