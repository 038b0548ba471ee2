package org.parley.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalNativeLibraryTest {

  @Test
  void theUnmodifiedJarOnTheTestClassPathCarriesTheLibrary() {
    assertThat(SignalNativeLibrary.problem()).isEmpty();
  }

  @Test
  void aLibraryInTheJarIsEnough() {
    String testing = System.mapLibraryName("signal_jni_testing_amd64");
    assertThat(SignalNativeLibrary.problem(Set.of(testing)::contains, "", "x86_64")).isEmpty();
    String plain = System.mapLibraryName("signal_jni");
    assertThat(SignalNativeLibrary.problem(Set.of(plain)::contains, "", "aarch64")).isEmpty();
  }

  @Test
  void withoutOneInTheJarTheLibraryPathMustHaveIt(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path full = Files.createDirectory(dir.resolve("full"));
    Files.write(full.resolve(System.mapLibraryName("signal_jni")), new byte[] {1});
    assertThat(SignalNativeLibrary.problem(name -> false, empty + File.pathSeparator + full, "amd64")).isEmpty();
    assertThat(SignalNativeLibrary.problem(name -> false, empty.toString(), "amd64")).hasValueSatisfying(message ->
        assertThat(message).contains(System.mapLibraryName("signal_jni")).contains(empty.toString())
            .contains("bin/parley-desktop"));
    assertThat(SignalNativeLibrary.problem(name -> false, "", "amd64")).hasValueSatisfying(message ->
        assertThat(message).contains("(empty)"));
    // A jar for another machine's architecture does not count.
    String other = System.mapLibraryName("signal_jni_aarch64");
    assertThat(SignalNativeLibrary.problem(Set.of(other)::contains, "", "amd64")).isPresent();
  }
}
