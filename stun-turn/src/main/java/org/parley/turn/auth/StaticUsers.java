package org.parley.turn.auth;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Users from the command line or config file, in coturn's {@code user=name:password} form. A password written as
 * {@code 0x} followed by 32 hex digits is taken as the ready key MD5(name:realm:password), as coturn does.
 */
public final class StaticUsers implements CredentialStore {
  private final Map<String, String> passwords;

  private StaticUsers(Map<String, String> passwords) {
    this.passwords = Map.copyOf(passwords);
  }

  /** Parses {@code name:password} entries; the name ends at the first colon. */
  public static StaticUsers parse(List<String> entries) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String e : entries) {
      int colon = e.indexOf(':');
      if (colon <= 0 || colon == e.length() - 1) {
        throw new IllegalArgumentException("user must be name:password, got '" + e + "'");
      }
      map.put(e.substring(0, colon), e.substring(colon + 1));
    }
    return new StaticUsers(map);
  }

  public boolean isEmpty() {
    return passwords.isEmpty();
  }

  @Override
  public Optional<byte[]> longTermKey(String username, String realm) {
    String password = passwords.get(username);
    if (password == null) {
      return Optional.empty();
    }
    if (password.length() == 34 && password.startsWith("0x")) {
      try {
        return Optional.of(HexFormat.of().parseHex(password.substring(2)));
      } catch (IllegalArgumentException notHex) {
        // a literal password that happens to start with 0x
      }
    }
    return Optional.of(LongTermKey.md5(username, realm, password));
  }
}
