package org.parley.client.api.groups;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.parley.client.api.InvalidInputException;

/**
 * A group's id: 16 random bytes chosen by its creator, written as 32 lowercase hex digits. It travels only inside
 * end-to-end encrypted content; the server never sees it.
 */
public record GroupId(String value) {

  private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public GroupId {
    if (value == null || !HEX32.matcher(value).matches()) {
      throw new IllegalArgumentException("a group id is 32 lowercase hex digits");
    }
  }

  /** Parses what a person typed (hex digits, either case, surrounding blanks ignored). */
  public static GroupId parse(String text) throws InvalidInputException {
    String hex = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (!HEX32.matcher(hex).matches()) {
      throw new InvalidInputException("not a group id (32 hex digits): " + text);
    }
    return new GroupId(hex);
  }

  /** A new random id. */
  public static GroupId random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return fromBytes(bytes);
  }

  /** The id from its 16 bytes (as carried in protobuf). */
  public static GroupId fromBytes(byte[] bytes) {
    if (bytes.length != 16) {
      throw new IllegalArgumentException("a group id has 16 bytes, not " + bytes.length);
    }
    return new GroupId(HexFormat.of().formatHex(bytes));
  }

  public byte[] toBytes() {
    return HexFormat.of().parseHex(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
