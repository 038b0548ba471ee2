package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

class SafeFileNamesTest {

  private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "COM1", "COM9", "LPT1", "LPT9",
      "CONIN$", "CONOUT$", "COM¹", "LPT³");

  private Path dir;

  @BeforeProperty
  void makeDirectory() throws IOException {
    dir = Files.createTempDirectory("parley-names").toRealPath();
  }

  @AfterProperty
  void removeDirectory() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 1000)
  void anyNameBecomesOneSafeComponent(@ForAll("hostileNames") String suggested) {
    String name = SafeFileNames.sanitize(suggested, "attachment");
    assertSafe(name);
    assertThat(SafeFileNames.sanitize(name, "attachment")).as("sanitising is idempotent").isEqualTo(name);
    assertSafe(SafeFileNames.numbered(name, Integer.MAX_VALUE));
  }

  @Property(tries = 300)
  void anyNameIsCreatedDirectlyInTheDirectory(@ForAll("hostileNames") String suggested,
      @ForAll @IntRange(min = 1, max = 99) int number) throws IOException {
    String name = SafeFileNames.numbered(SafeFileNames.sanitize(suggested, "attachment"), number);
    Path target = dir.resolve(name);
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Path created = Files.createFile(target);
      assertThat(created.toRealPath().getParent()).isEqualTo(dir);
    }
    assertThat(target.normalize().getParent()).isEqualTo(dir);
  }

  @Example
  void ordinaryNamesStayAsTheyAre() {
    for (String name : new String[] {"photo.jpg", "Résumé 2026.pdf", "日本語のファイル.txt", "🐈 cat.png", "a",
        "archive.tar.gz", "_x_", "Ünïcødé ñame (1).docx"}) {
      assertThat(SafeFileNames.sanitize(name, "attachment")).isEqualTo(name);
    }
  }

  @Example
  void hostileNamesAreDefused() {
    assertThat(SafeFileNames.sanitize("../../x", "f")).isEqualTo("x");
    assertThat(SafeFileNames.sanitize("/etc/passwd", "f")).isEqualTo("passwd");
    assertThat(SafeFileNames.sanitize("C:\\Windows\\system32\\evil.dll", "f")).isEqualTo("evil.dll");
    assertThat(SafeFileNames.sanitize("..", "f")).isEqualTo("f");
    assertThat(SafeFileNames.sanitize("", "f")).isEqualTo("f");
    assertThat(SafeFileNames.sanitize(null, null)).isEqualTo("attachment");
    assertThat(SafeFileNames.sanitize(" \t\n", "")).isEqualTo("attachment");
    assertThat(SafeFileNames.sanitize("CON", "f")).isEqualTo("_CON");
    assertThat(SafeFileNames.sanitize("nul.tar.gz", "f")).isEqualTo("_nul.tar.gz");
    assertThat(SafeFileNames.sanitize("lpt1 .txt", "f")).isEqualTo("_lpt1 .txt");
    assertThat(SafeFileNames.sanitize("cat\u202Egpj.exe", "f")).as("right-to-left override")
        .isEqualTo("catgpj.exe");
    assertThat(SafeFileNames.sanitize("a\u0000b\u0007c\r\nd", "f")).isEqualTo("abcd");
    assertThat(SafeFileNames.sanitize(".bashrc", "f")).isEqualTo("bashrc");
    assertThat(SafeFileNames.sanitize("report.pdf. . .", "f")).isEqualTo("report.pdf");
    assertThat(SafeFileNames.sanitize("what?<is>:this|\"*.txt", "f")).isEqualTo("what__is__this___.txt");
    assertThat(SafeFileNames.sanitize("bad\uD800surrogate", "f")).isEqualTo("badsurrogate");
    assertThat(SafeFileNames.sanitize("e\u0301", "f")).as("NFC").isEqualTo("\u00e9");
    String longName = SafeFileNames.sanitize("x".repeat(1000) + ".jpeg", "f");
    assertThat(longName).endsWith(".jpeg").hasSize(SafeFileNames.MAX_NAME_BYTES);
    String longEmoji = SafeFileNames.sanitize("🐈".repeat(300) + ".png", "f");
    assertThat(longEmoji).endsWith("🐈.png");
    assertThat(SafeFileNames.utf8Length(longEmoji)).isLessThanOrEqualTo(SafeFileNames.MAX_NAME_BYTES);
    assertThat(SafeFileNames.numbered("photo.jpg", 2)).isEqualTo("photo (2).jpg");
    assertThat(SafeFileNames.numbered("README", 3)).isEqualTo("README (3)");
  }

  @Provide
  Arbitrary<String> hostileNames() {
    Arbitrary<String> pieces = Arbitraries.oneOf(
        Arbitraries.of("..", ".", "/", "\\", "../", "..\\", "CON", "con", "NUL", "LPT1", "COM¹", ".txt", " ", "\t",
            "\u0000", "\n", "\u202E", "\u200B", "\uFEFF", "\uD83D", "\uDC08", "🐈", "é", "e\u0301", ":", "*", "?",
            "\"", "<", ">", "|", "~", "$", "%2e%2e%2f", "\u2028", "\u0085", "\u00A0", "ß", "İ"),
        Arbitraries.strings().ofMinLength(0).ofMaxLength(12),
        Arbitraries.strings().all().ofMinLength(0).ofMaxLength(8),
        Arbitraries.strings().alpha().ofMinLength(100).ofMaxLength(300));
    return pieces.list().ofMinSize(0).ofMaxSize(8).map(list -> String.join("", list));
  }

  private static void assertSafe(String name) {
    assertThat(name).isNotEmpty().isNotIn(".", "..");
    assertThat(SafeFileNames.utf8Length(name)).isLessThanOrEqualTo(255);
    assertThat(name).doesNotContain("/", "\\", ":", "*", "?", "\"", "<", ">", "|");
    assertThat(name.charAt(0)).isNotEqualTo('.');
    assertThat(Character.isWhitespace(name.charAt(0)) || Character.isSpaceChar(name.charAt(0))).isFalse();
    char last = name.charAt(name.length() - 1);
    assertThat(last == '.' || Character.isWhitespace(last) || Character.isSpaceChar(last)).isFalse();
    Set<Integer> invisible = Set.of((int) Character.CONTROL, (int) Character.FORMAT, (int) Character.SURROGATE,
        (int) Character.LINE_SEPARATOR, (int) Character.PARAGRAPH_SEPARATOR);
    assertThat(name.codePoints().filter(c -> invisible.contains(Character.getType(c))).toArray())
        .as("control, format, separator characters or lone surrogates").isEmpty();
    int dot = name.indexOf('.');
    String firstPart = (dot < 0 ? name : name.substring(0, dot)).strip().toUpperCase(Locale.ROOT);
    assertThat(DEVICES).doesNotContain(firstPart);
  }
}
