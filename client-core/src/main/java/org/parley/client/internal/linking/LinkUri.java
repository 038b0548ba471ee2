package org.parley.client.internal.linking;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.parley.client.api.InvalidInputException;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPublicKey;

/** {@code parley://link?uuid=<provisioning address>&pub_key=<base64url ephemeral public key>}: what the QR code holds. */
public record LinkUri(String address, ECPublicKey publicKey) {

  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9_-]{16,64}");

  public String toUriString() {
    return "parley://link?uuid=" + address + "&pub_key="
        + Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey.serialize());
  }

  public static LinkUri parse(String text) throws InvalidInputException {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("No link given: expected parley://link?uuid=...&pub_key=...");
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new InvalidInputException("Not a Parley link: " + e.getMessage(), e);
    }
    if (!"parley".equals(uri.getScheme()) || !"link".equals(uri.getHost()) || uri.getRawQuery() == null) {
      throw new InvalidInputException("Not a Parley link (expected parley://link?uuid=...&pub_key=...): " + text);
    }
    Map<String, String> query = new HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    String address = query.get("uuid");
    String key = query.get("pub_key");
    if (address == null || !ADDRESS.matcher(address).matches()) {
      throw new InvalidInputException("The link has no valid provisioning address (uuid)");
    }
    if (key == null) {
      throw new InvalidInputException("The link has no public key (pub_key)");
    }
    try {
      return new LinkUri(address, new ECPublicKey(Base64.getUrlDecoder().decode(key)));
    } catch (IllegalArgumentException | InvalidKeyException e) {
      throw new InvalidInputException("The link's public key is not a valid X25519 key", e);
    }
  }
}
