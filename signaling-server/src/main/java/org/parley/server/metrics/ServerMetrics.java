package org.parley.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** The server's Prometheus metrics. */
public final class ServerMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Counter ephemeralOut;
  private final Counter ephemeralDropped;
  private final Counter malformedFrames;
  private final Timer deliveryLatency;
  private final Counter attachmentBytesUploaded;
  private final Counter attachmentBytesDownloaded;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final Counter outOfMemory;
  private final Counter outOfFileDescriptors;
  private final Counter otherFatalErrors;

  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    messagesIn = Counter.builder("parley.messages.in")
        .description("Per-device message copies accepted and stored").register(registry);
    messagesOut = Counter.builder("parley.messages.out")
        .description("Stored messages delivered and acknowledged").register(registry);
    ephemeralOut = Counter.builder("parley.messages.ephemeral")
        .description("Ephemeral messages pushed to online devices").register(registry);
    ephemeralDropped = Counter.builder("parley.messages.ephemeral.dropped")
        .description("Ephemeral messages dropped because the device's connection was not keeping up")
        .register(registry);
    malformedFrames = Counter.builder("parley.websocket.malformed")
        .description("WebSocket frames refused as malformed or oversize").register(registry);
    attachmentBytesUploaded = Counter.builder("parley.attachments.uploaded.bytes")
        .description("Attachment bytes received and written to the attachment store").register(registry);
    attachmentBytesDownloaded = Counter.builder("parley.attachments.downloaded.bytes")
        .description("Attachment bytes sent to downloaders").register(registry);
    outOfMemory = resourceErrors("out_of_memory");
    outOfFileDescriptors = resourceErrors("out_of_file_descriptors");
    otherFatalErrors = resourceErrors("other_jvm_error");
    deliveryLatency = Timer.builder("parley.delivery.latency")
        .description("From the server accepting a message to the device acknowledging it")
        .publishPercentiles(0.5, 0.99)
        .register(registry);
  }

  private Counter resourceErrors(String kind) {
    return Counter.builder("parley.resource.errors").tag("kind", kind)
        .description("Requests or connections that failed because the server ran out of a resource (memory, file"
            + " descriptors) or the JVM failed: each is also logged at ERROR")
        .register(registry);
  }

  /** Counts a failure that says the server, not a client, is in trouble (see {@code ResourceErrors}). */
  public void resourceError(ResourceErrors.Kind kind) {
    switch (kind) {
      case OUT_OF_MEMORY -> outOfMemory.increment();
      case OUT_OF_FILE_DESCRIPTORS -> outOfFileDescriptors.increment();
      case OTHER_JVM_ERROR -> otherFatalErrors.increment();
    }
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public void messagesIn(int count) {
    messagesIn.increment(count);
  }

  public void messageDelivered(long acceptedAtMillis, long nowMillis) {
    messagesOut.increment();
    deliveryLatency.record(Duration.ofMillis(Math.max(0, nowMillis - acceptedAtMillis)));
  }

  public void ephemeralPushed() {
    ephemeralOut.increment();
  }

  public void ephemeralDropped() {
    ephemeralDropped.increment();
  }

  public void attachmentBytesUploaded(long bytes) {
    attachmentBytesUploaded.increment(bytes);
  }

  public void attachmentBytesDownloaded(long bytes) {
    attachmentBytesDownloaded.increment(bytes);
  }

  /**
   * A connection closed by the PROXY protocol gate: {@code untrusted} (not from a trusted proxy), {@code invalid}
   * (no, a garbled or an oversize header) or {@code timeout} (the header did not arrive in time).
   */
  public void proxyConnectionRefused(String reason) {
    Counter.builder("parley.proxy.refused").tag("reason", reason)
        .description("Connections closed because they did not start with a valid PROXY header from a trusted proxy")
        .register(registry).increment();
  }

  public void malformedFrame() {
    malformedFrames.increment();
  }

  /** For components that register their own meters (the embedded TURN server). */
  public MeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
