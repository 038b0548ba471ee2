package org.parley.turn.auth;

import java.nio.charset.StandardCharsets;
import org.parley.turn.message.Crypto;

/**
 * The long-term credential key of RFC 8489 section 9.2.2: MD5(username ":" realm ":" password). Passwords are
 * used as given (no SASLprep/OpaqueString processing beyond UTF-8).
 */
public final class LongTermKey {
  private LongTermKey() {}

  public static byte[] md5(String username, String realm, String password) {
    return Crypto.md5((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
