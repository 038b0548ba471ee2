package org.parley.client.internal;

import java.io.IOException;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.connection.FaultInjection;

/** Entry point from the API: opens the database and builds a client over it ({@link ClientComponents}). */
public final class Clients {

  private Clients() {}

  public static ParleyClient open(ClientOptions options) throws ParleyException {
    try {
      return ClientComponents.open(options, FaultInjection.fromEnvironment(System.getenv())).client();
    } catch (IOException | SQLException e) {
      throw new ParleyException("Cannot open the local database in " + options.dataDir() + ": " + e.getMessage(), e);
    } catch (FlywayException e) {
      throw new ParleyException("Cannot migrate the local database in " + options.dataDir() + ": " + e.getMessage(),
          e);
    }
  }
}
