package org.parley.turn.attribute;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.parley.turn.message.StunParseException;

/** Strict UTF-8 for text attributes: invalid bytes are a parse error, so text re-encodes byte for byte. */
final class Utf8 {
  private Utf8() {}

  static String decode(byte[] buf, int off, int len, int maxBytes, String what) throws StunParseException {
    if (len > maxBytes) {
      throw new StunParseException(what + " longer than " + maxBytes + " bytes: " + len);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, off, len))
          .toString();
    } catch (CharacterCodingException e) {
      throw new StunParseException(what + " is not valid UTF-8");
    }
  }

  static byte[] encode(String s, int maxBytes, String what) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > maxBytes) {
      throw new IllegalArgumentException(what + " longer than " + maxBytes + " bytes");
    }
    return b;
  }
}
