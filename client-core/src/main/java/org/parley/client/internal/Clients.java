package org.parley.client.internal;

import java.io.IOException;
import java.sql.SQLException;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;

/** Entry point from the API: opens the database and wires a client. */
public final class Clients {

  private Clients() {}

  public static ParleyClient open(ClientOptions options) throws ParleyException {
    try {
      return DefaultParleyClient.open(options, FaultInjection.fromEnvironment(System.getenv()));
    } catch (IOException | SQLException e) {
      throw new ParleyException("Cannot open the local database in " + options.dataDir() + ": " + e.getMessage(), e);
    } catch (org.flywaydb.core.api.FlywayException e) {
      throw new ParleyException("Cannot migrate the local database in " + options.dataDir() + ": " + e.getMessage(),
          e);
    }
  }
}
