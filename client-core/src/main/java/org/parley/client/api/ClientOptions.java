package org.parley.client.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open a client.
 *
 * @param dataDir where the encrypted database and its key file live
 * @param server the server URL ({@code http://host:port} or {@code https://...}); empty means the one stored at
 *     registration
 * @param trustedCertificate a PEM certificate to trust for https in addition to the system's (self-signed servers)
 * @param clock the clock for timestamps
 */
public record ClientOptions(Path dataDir, Optional<URI> server, Optional<Path> trustedCertificate, Clock clock) {

  public ClientOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(trustedCertificate, "trustedCertificate");
    Objects.requireNonNull(clock, "clock");
  }

  public static ClientOptions of(Path dataDir, URI server) {
    return new ClientOptions(dataDir, Optional.ofNullable(server), Optional.empty(), Clock.systemUTC());
  }
}
