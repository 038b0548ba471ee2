package org.parley.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.server.support.TestServer;

/** Registers real clients (real libsignal keys, real registration) against a {@link TestServer}. */
public final class Users {

  private static final AtomicInteger NUMBERS = new AtomicInteger((int) (System.nanoTime() % 1_000_000));

  private Users() {}

  /** A phone number no other test in this JVM gets (+1555 and seven digits). */
  public static String newNumber() {
    return "+1555" + String.format("%07d", NUMBERS.incrementAndGet() % 10_000_000);
  }

  /** A registered client in a new data directory (not yet connected). */
  public static ParleyClient register(TestServer server, String number) throws IOException, ParleyException {
    return register(server, number, Files.createTempDirectory("parley-client"));
  }

  public static ParleyClient register(TestServer server, String number, Path dataDir)
      throws IOException, ParleyException {
    ParleyClient client = ParleyClient.open(ClientOptions.of(dataDir, server.url()));
    try {
      client.requestCode(number);
      client.verify(server.lastCode(number));
      return client;
    } catch (IOException | ParleyException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The client of an existing data directory, opened again (not connected). */
  public static ParleyClient reopen(TestServer server, Path dataDir) throws ParleyException {
    return ParleyClient.open(ClientOptions.of(dataDir, server.url()));
  }
}
