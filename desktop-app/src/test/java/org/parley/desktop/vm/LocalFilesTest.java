package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private directory for decrypted copies, names made safe, and Save as never leaving half a file. */
class LocalFilesTest {

  @TempDir
  Path dir;

  @Test
  void aSendersFileNameCannotLeaveTheDirectoryOrHideItself() {
    assertThat(LocalFiles.safeName("../../.bashrc")).isEqualTo("bashrc");
    assertThat(LocalFiles.safeName("C:\\Windows\\evil.exe")).isEqualTo("C__Windows_evil.exe");
    assertThat(LocalFiles.safeName("a/b\u0000c.pdf")).isEqualTo("a_b_c.pdf");
    assertThat(LocalFiles.safeName("")).isEqualTo("attachment");
    assertThat(LocalFiles.safeName("...")).isEqualTo("attachment");
    assertThat(LocalFiles.safeName("CON.txt")).isEqualTo("attachment-CON.txt");
    String longName = "x".repeat(300) + ".pdf";
    assertThat(LocalFiles.safeName(longName)).hasSize(LocalFiles.MAX_NAME).endsWith(".pdf");
    assertThat(LocalFiles.safeName("Holiday photo.jpg")).isEqualTo("Holiday photo.jpg");
  }

  @Test
  void copiesLandInThePrivateDirectoryAndClearRemovesThem() throws Exception {
    LocalFiles local = LocalFiles.create();
    Path a = local.copy(new ByteArrayInputStream(new byte[] {1, 2, 3}), "../x.bin");
    Path b = local.copy(new ByteArrayInputStream(new byte[] {4}), "x.bin");
    assertThat(a).startsWith(local.root());
    assertThat(a.getFileName().toString()).isEqualTo("x.bin");
    assertThat(b).isNotEqualTo(a);
    assertThat(Files.readAllBytes(a)).containsExactly(1, 2, 3);
    local.clear();
    assertThat(Files.exists(local.root())).isFalse();
  }

  @Test
  void saveAsReplacesTheTargetWholeOrNotAtAll() throws Exception {
    Path target = Files.write(dir.resolve("out.bin"), new byte[] {9, 9});
    LocalFiles.saveAs(new ByteArrayInputStream(new byte[] {1, 2, 3, 4}), target);
    assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3, 4);

    InputStream breaksHalfWay = new InputStream() {
      private int n;

      @Override
      public int read() throws IOException {
        if (n++ > 100) {
          throw new IOException("stream broke");
        }
        return 7;
      }
    };
    try {
      LocalFiles.saveAs(breaksHalfWay, target);
    } catch (IOException expected) {
      assertThat(expected).hasMessage("stream broke");
    }
    assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3, 4);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(target);
    }
  }
}
