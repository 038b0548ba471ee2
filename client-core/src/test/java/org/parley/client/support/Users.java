package org.parley.client.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;

/** Registers real clients against a {@link LocalServer}. */
public final class Users {

  private static final AtomicInteger NUMBERS = new AtomicInteger((int) (System.nanoTime() % 1_000_000));

  private Users() {}

  public static String newNumber() {
    return "+1555" + String.format("%07d", NUMBERS.incrementAndGet() % 10_000_000);
  }

  /** A registered client in a new data directory (not yet connected). */
  public static ParleyClient register(LocalServer server, String number) throws IOException, ParleyException {
    return register(server, number, Files.createTempDirectory("parley-client"));
  }

  public static ParleyClient register(LocalServer server, String number, Path dataDir)
      throws IOException, ParleyException {
    ParleyClient client = ParleyClient.open(ClientOptions.of(dataDir, server.url()));
    client.requestCode(number);
    client.verify(server.lastCode(number));
    return client;
  }

  public static ParleyClient reopen(LocalServer server, Path dataDir) throws ParleyException {
    return ParleyClient.open(ClientOptions.of(dataDir, server.url()));
  }
}
