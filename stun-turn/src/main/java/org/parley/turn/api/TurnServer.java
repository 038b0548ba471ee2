package org.parley.turn.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.parley.turn.auth.RestApiCredentials;
import org.parley.turn.auth.TurnCredential;
import org.parley.turn.server.ServerCore;

/**
 * A running STUN/TURN server. The embedding API:
 *
 * <pre>{@code
 * TurnServer turn = TurnServer.start(TurnServerConfig.builder()
 *     .listeningIp(InetAddress.getByName("203.0.113.7")).realm("example.org").authSecret(secret).build());
 * TurnCredential c = turn.mintCredential("alice", Duration.ofHours(1));   // hand to the client
 * ...
 * turn.close();
 * }</pre>
 */
public final class TurnServer implements AutoCloseable {
  private final TurnServerConfig config;
  private final ServerCore core;
  private boolean closed;

  private TurnServer(TurnServerConfig config, ServerCore core) {
    this.config = config;
    this.core = core;
  }

  /** Binds the listeners and starts serving; returns once the sockets are bound. */
  public static TurnServer start(TurnServerConfig config) throws TurnServerException {
    return new TurnServer(config, ServerCore.start(config));
  }

  /** The UDP listening addresses (with the real port when the configured port was 0). */
  public List<InetSocketAddress> udpAddresses() {
    return core.udpAddresses();
  }

  /** The TCP listening addresses. */
  public List<InetSocketAddress> tcpAddresses() {
    return core.tcpAddresses();
  }

  /** The port STUN/TURN listens on (UDP and TCP share it). */
  public int port() {
    List<InetSocketAddress> a = core.udpAddresses().isEmpty() ? core.tcpAddresses() : core.udpAddresses();
    return a.get(0).getPort();
  }

  public int activeAllocations() {
    return core.activeAllocations();
  }

  public TurnServerConfig config() {
    return config;
  }

  /**
   * A TURN REST API credential for {@code user}, valid for {@code ttl}, made with the first configured
   * static-auth-secret (the same scheme as coturn's use-auth-secret).
   *
   * @throws IllegalStateException if the server was not configured with an auth secret
   */
  public TurnCredential mintCredential(String user, Duration ttl) {
    if (!config.useAuthSecret()) {
      throw new IllegalStateException("the server has no static-auth-secret");
    }
    return RestApiCredentials.mint(config.staticAuthSecrets().get(0), user, ttl, config.clock());
  }

  /** Stops gracefully: listeners close, allocations are deleted, threads end. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      core.close();
    }
  }
}
