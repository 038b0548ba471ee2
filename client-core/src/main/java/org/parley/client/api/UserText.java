package org.parley.client.api;

/**
 * The rules for short texts people type into structured messages (a place's name, a payment note): a length limit
 * in characters (code points), no control characters (a line break only where a text may have several lines), no
 * bidirectional embedding/override/isolate characters (they can make a text read differently from what it holds,
 * e.g. reverse the digits of an amount), and no broken UTF-16. Front ends may use it to check a field as it is typed.
 */
public final class UserText {

  private UserText() {}

  /**
   * What is wrong with {@code value}, as a sentence naming {@code field}; {@code null} when nothing is.
   *
   * @param field what the text is, as the person knows it ("The note")
   * @param multiline whether line breaks are allowed
   */
  public static String problem(String field, String value, int maxLength, boolean multiline) {
    int length = value.codePointCount(0, value.length());
    if (length > maxLength) {
      return field + " is too long: " + length + " characters, at most " + maxLength;
    }
    int position = 0;
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      position++;
      if (Character.isSurrogate((char) c)) {
        return field + " is not valid text (a broken character at position " + position + ")";
      }
      if (Character.isISOControl(c) && !(multiline && c == '\n')) {
        return field + " contains a control character (" + codePoint(c) + ") at position " + position
            + (c == '\n' || c == '\r' ? ": it must be a single line" : "");
      }
      if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
        return field + " contains a bidirectional control character (" + codePoint(c) + ") at position "
            + position;
      }
      i += Character.charCount(c);
    }
    return null;
  }

  private static String codePoint(int c) {
    return String.format("U+%04X", c);
  }
}
