package org.parley.client.internal.net;

import java.io.IOException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The TLS context for talking to our server. A configured extra certificate is loaded when the client opens, so a
 * bad file fails there; the JDK's default context costs ~0.1 s to load its trusted roots, so it is only loaded when
 * the first connection needs it.
 */
public final class ServerTls implements Supplier<SSLContext> {

  private final Optional<SSLContext> configured;
  private volatile SSLContext loaded;

  private ServerTls(Optional<SSLContext> configured) {
    this.configured = configured;
  }

  /** The JDK's trusted roots, plus {@code extraCertificate} when present. */
  public static ServerTls of(Optional<Path> extraCertificate) throws IOException {
    return new ServerTls(extraCertificate.isPresent() ? Optional.of(Tls.context(extraCertificate))
        : Optional.empty());
  }

  @Override
  public SSLContext get() {
    if (configured.isPresent()) {
      return configured.get();
    }
    SSLContext context = loaded;
    if (context == null) {
      try {
        context = SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("This JDK has no default TLS context", e);
      }
      loaded = context;
    }
    return context;
  }
}
