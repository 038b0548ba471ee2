package org.parley.client.internal.net;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A device's login for HTTP Basic: {@code accountId.deviceId:password}. */
public record Credentials(String accountId, int deviceId, String password) {

  public String basicAuthorization() {
    return "Basic " + Base64.getEncoder().encodeToString(
        (accountId + "." + deviceId + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[" + accountId + "." + deviceId + "]";
  }
}
