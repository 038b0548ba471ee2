package org.parley.client.internal.attachments;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a file name chosen by someone else (a sender) into one that is safe to create in a directory of ours: a
 * single path component, never "." or "..", no separators, control or invisible formatting characters (a
 * right-to-left override can disguise "gpj.exe" as "exe.jpg"), nothing Windows refuses or treats as a device, and
 * short enough for every file system once a " (n)" is added to make it unique.
 */
public final class SafeFileNames {

  /** UTF-8 bytes of a sanitised name: file systems allow 255, and " (n)" or a temporary prefix must still fit. */
  static final int MAX_NAME_BYTES = 200;
  /** An extension longer than this is treated as part of the name when shortening. */
  private static final int MAX_EXTENSION_BYTES = 20;
  private static final String WINDOWS_FORBIDDEN = "<>:\"/\\|?*";
  private static final Set<String> WINDOWS_DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
      "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
      "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³");

  private SafeFileNames() {}

  /**
   * A safe name for {@code suggested}: its last path component, cleaned; {@code fallback} (itself cleaned, and
   * "attachment" if that is empty too) when nothing usable is left.
   */
  public static String sanitize(String suggested, String fallback) {
    String clean = clean(suggested);
    if (!clean.isEmpty()) {
      return clean;
    }
    clean = clean(fallback);
    return clean.isEmpty() ? "attachment" : clean;
  }

  /** {@code name} made distinct by a number: "photo.jpg", 2 → "photo (2).jpg". */
  public static String numbered(String name, int number) {
    int dot = extensionStart(name);
    return name.substring(0, dot) + " (" + number + ")" + name.substring(dot);
  }

  private static String clean(String suggested) {
    if (suggested == null) {
      return "";
    }
    String name = Normalizer.normalize(suggested, Normalizer.Form.NFC);
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    StringBuilder kept = new StringBuilder(name.length());
    name.codePoints().forEach(c -> {
      if (WINDOWS_FORBIDDEN.indexOf(c) >= 0) {
        kept.append('_');
      } else if (isVisible(c)) {
        kept.appendCodePoint(c);
      }
    });
    name = shorten(trim(kept.toString()));
    // Windows opens a device for "con", "CON.txt" or "nul .tar.gz": the part before the first dot decides.
    int dot = name.indexOf('.');
    String firstPart = (dot < 0 ? name : name.substring(0, dot)).strip().toUpperCase(Locale.ROOT);
    return WINDOWS_DEVICES.contains(firstPart) ? "_" + name : name;
  }

  private static boolean isVisible(int c) {
    switch (Character.getType(c)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.SURROGATE:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return false;
      default:
        return true;
    }
  }

  /** No leading dots (hidden files, "."/".."), no leading or trailing spaces, no trailing dots (Windows drops them). */
  private static String trim(String name) {
    int start = 0;
    while (start < name.length() && (name.charAt(start) == '.' || Character.isWhitespace(name.charAt(start))
        || Character.isSpaceChar(name.charAt(start)))) {
      start++;
    }
    int end = name.length();
    while (end > start && (name.charAt(end - 1) == '.' || Character.isWhitespace(name.charAt(end - 1))
        || Character.isSpaceChar(name.charAt(end - 1)))) {
      end--;
    }
    return name.substring(start, end);
  }

  /** Cuts the stem (whole code points) until the name fits in {@link #MAX_NAME_BYTES}, keeping the extension. */
  private static String shorten(String name) {
    if (utf8Length(name) <= MAX_NAME_BYTES) {
      return name;
    }
    int dot = extensionStart(name);
    String extension = name.substring(dot);
    if (utf8Length(extension) > MAX_EXTENSION_BYTES) {
      extension = "";
      dot = name.length();
    }
    String stem = name.substring(0, dot);
    int budget = MAX_NAME_BYTES - utf8Length(extension);
    int end = 0;
    int bytes = 0;
    while (end < stem.length()) {
      int c = stem.codePointAt(end);
      int size = utf8Length(new String(Character.toChars(c)));
      if (bytes + size > budget) {
        break;
      }
      bytes += size;
      end += Character.charCount(c);
    }
    return trim(stem.substring(0, end)) + extension;
  }

  /** Where the extension starts (its dot), or the length when there is none. A leading dot is not an extension. */
  private static int extensionStart(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? dot : name.length();
  }

  static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
