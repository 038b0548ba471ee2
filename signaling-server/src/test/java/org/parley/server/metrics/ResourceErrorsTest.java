package org.parley.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ResourceErrorsTest {

  @Test
  void serverTroubleIsToldFromWhatAClientDid() {
    assertThat(ResourceErrors.classify(new OutOfMemoryError("Java heap space")))
        .contains(ResourceErrors.Kind.OUT_OF_MEMORY);
    assertThat(ResourceErrors.classify(new CompletionException(new OutOfMemoryError("Direct buffer memory"))))
        .contains(ResourceErrors.Kind.OUT_OF_MEMORY);
    assertThat(ResourceErrors.classify(new IOException("accept failed: Too many open files")))
        .contains(ResourceErrors.Kind.OUT_OF_FILE_DESCRIPTORS);
    assertThat(ResourceErrors.classify(new StackOverflowError())).contains(ResourceErrors.Kind.OTHER_JVM_ERROR);
    assertThat(ResourceErrors.classify(new SocketException("Connection reset"))).isEmpty();
    assertThat(ResourceErrors.classify(new IllegalArgumentException("bad frame"))).isEmpty();
  }

  @Test
  void serverTroubleIsCountedInMetricsAndRoutineErrorsAreNot() {
    try (ServerMetrics metrics = new ServerMetrics()) {
      boolean trouble = ResourceErrors.report(LoggerFactory.getLogger(ResourceErrorsTest.class), metrics,
          "test connection", new OutOfMemoryError("Java heap space"));
      boolean routine = ResourceErrors.report(LoggerFactory.getLogger(ResourceErrorsTest.class), metrics,
          "test connection", new SocketException("Connection reset"));
      assertThat(trouble).isTrue();
      assertThat(routine).isFalse();
      assertThat(metrics.scrape())
          .contains("parley_resource_errors_total{kind=\"out_of_memory\"} 1.0")
          .contains("parley_resource_errors_total{kind=\"out_of_file_descriptors\"} 0.0");
    }
  }
}
