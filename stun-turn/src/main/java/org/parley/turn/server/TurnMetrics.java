package org.parley.turn.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.parley.turn.message.Method;

/**
 * The server's Prometheus-facing counters (Micrometer names; Prometheus adds {@code _total}): requests by method,
 * auth failures by reason, dropped packets by reason, relayed packets and bytes by direction, active and total
 * allocations.
 */
public final class TurnMetrics {
  /** Why a packet was dropped. */
  public enum Drop {
    MALFORMED, BAD_FINGERPRINT, NOT_STUN, NO_ALLOCATION, NO_PERMISSION, NO_CHANNEL, BANDWIDTH, UNEXPECTED_CLASS,
    UNKNOWN_ATTRIBUTE_INDICATION, PEER_FORBIDDEN
  }

  private final MeterRegistry registry;
  private final Map<Drop, Counter> drops = new EnumMap<>(Drop.class);
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();
  private final Counter packetsToPeer;
  private final Counter packetsToClient;
  private final Counter bytesToPeer;
  private final Counter bytesToClient;
  private final Counter allocationsCreated;

  public TurnMetrics(MeterRegistry registry, Supplier<Number> activeAllocations) {
    this.registry = registry;
    for (Drop d : Drop.values()) {
      drops.put(d, Counter.builder("turn.packets.dropped").description("Packets dropped, by reason")
          .tag("reason", d.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    packetsToPeer = relayed("turn.relayed.packets", "to_peer");
    packetsToClient = relayed("turn.relayed.packets", "to_client");
    bytesToPeer = relayed("turn.relayed.bytes", "to_peer");
    bytesToClient = relayed("turn.relayed.bytes", "to_client");
    allocationsCreated = Counter.builder("turn.allocations.created").description("Allocations created")
        .register(registry);
    Gauge.builder("turn.allocations.active", activeAllocations).description("Allocations alive now")
        .register(registry);
  }

  private Counter relayed(String name, String direction) {
    return Counter.builder(name).description("Application data relayed").tag("direction", direction)
        .register(registry);
  }

  public void drop(Drop reason) {
    drops.get(reason).increment();
  }

  public double dropped(Drop reason) {
    return drops.get(reason).count();
  }

  public void request(int method) {
    String name = Method.name(method);
    requests.computeIfAbsent(name, m -> Counter.builder("stun.requests").description("STUN requests by method")
        .tag("method", m).register(registry)).increment();
  }

  public void authFailure(String reason) {
    authFailures.computeIfAbsent(reason, r -> Counter.builder("stun.auth.failures")
        .description("Requests refused for credentials, by reason").tag("reason", r).register(registry)).increment();
  }

  public void toPeer(int bytes) {
    packetsToPeer.increment();
    bytesToPeer.increment(bytes);
  }

  public void toClient(int bytes) {
    packetsToClient.increment();
    bytesToClient.increment(bytes);
  }

  public void allocationCreated() {
    allocationsCreated.increment();
  }
}
