package org.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.NotRegisteredException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.db.KeyFile;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.net.Backoff;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;

/** The pieces that need no server: key file, database key mismatch, padding, backoff. */
class LocalPiecesTest {

  @Test
  void theKeyFileIsCreatedOwnerOnlyAndRefusedWhenOthersCanReadIt() throws Exception {
    Path dir = Files.createTempDirectory("parley-key");
    Path file = dir.resolve("db.key");
    String key = KeyFile.loadOrCreate(file);
    assertThat(key).matches("[0-9a-f]{64}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(KeyFile.loadOrCreate(file)).isEqualTo(key);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> KeyFile.loadOrCreate(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("readable by other users").hasMessageContaining("chmod 600");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(file, "not a key");
    assertThatThrownBy(() -> KeyFile.loadOrCreate(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("damaged");
  }

  @Test
  void aDatabaseOpenedWithTheWrongKeyFailsClearlyAndStaysIntact() throws Exception {
    Path dir = Files.createTempDirectory("parley-db");
    try (ParleyClient client = ParleyClient.open(ClientOptions.of(dir, null))) {
      assertThatThrownBy(client::account).isInstanceOf(NotRegisteredException.class);
    }
    String original = Files.readString(dir.resolve("db.key"));
    Files.writeString(dir.resolve("db.key"), "0".repeat(64) + "\n");
    assertThatThrownBy(() -> ParleyClient.open(ClientOptions.of(dir, null))).isInstanceOf(ParleyException.class)
        .hasMessageContaining("db.key does not match");
    Files.writeString(dir.resolve("db.key"), original);
    try (ParleyClient client = ParleyClient.open(ClientOptions.of(dir, null))) {
      assertThatThrownBy(client::account).isInstanceOf(NotRegisteredException.class);
    }
  }

  @Test
  void aMissingKeyOrADamagedHeaderIsNamedAsSuch() throws Exception {
    Path dir = Files.createTempDirectory("parley-db");
    try (ParleyClient client = ParleyClient.open(ClientOptions.of(dir, null))) {
      assertThatThrownBy(client::account).isInstanceOf(NotRegisteredException.class);
    }
    Path key = dir.resolve("db.key");
    Path database = dir.resolve("parley.mv.db");
    assertThat(new String(Files.readAllBytes(database), 0, 9, StandardCharsets.US_ASCII)).isEqualTo("H2encrypt");
    String original = Files.readString(key);

    // Issue #17: a deleted key used to be replaced by a new one, then reported as "does not match".
    Files.delete(key);
    assertThatThrownBy(() -> ParleyClient.open(ClientOptions.of(dir, null))).isInstanceOf(ParleyException.class)
        .hasMessageContaining("db.key is missing").hasMessageContaining("backup");
    assertThat(key).doesNotExist();

    Files.writeString(key, original);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    byte[] bytes = Files.readAllBytes(database);
    Arrays.fill(bytes, 0, 64, (byte) 0);
    Files.write(database, bytes);
    assertThatThrownBy(() -> ParleyClient.open(ClientOptions.of(dir, null))).isInstanceOf(ParleyException.class)
        .hasMessageContaining("damaged");
  }

  @Test
  void aSecondClientOnTheSameDataDirectoryIsToldItIsInUse() throws Exception {
    Path dir = Files.createTempDirectory("parley-db");
    try (ParleyClient first = ParleyClient.open(ClientOptions.of(dir, null))) {
      assertThatThrownBy(() -> ParleyClient.open(ClientOptions.of(dir, null))).isInstanceOf(ParleyException.class)
          .hasMessageContaining("in use by another Parley client");
      assertThatThrownBy(first::contacts).isInstanceOf(NotRegisteredException.class);
    }
    try (ParleyClient again = ParleyClient.open(ClientOptions.of(dir, null))) {
      assertThatThrownBy(again::contacts).isInstanceOf(NotRegisteredException.class);
    }
  }

  @Test
  void plaintextIsPaddedToBlocksAndUnpaddedExactly() throws Exception {
    for (String text : new String[] {"", "x", "y".repeat(150), "z".repeat(500)}) {
      Content content = Content.newBuilder().setSenderNumber("+15550001111")
          .setData(DataMessage.newBuilder().setText(text).setTimestamp(42)).build();
      byte[] padded = Contents.encode(content);
      assertThat(padded.length % 160).isZero();
      assertThat(padded.length).isGreaterThan(content.getSerializedSize());
      assertThat(Contents.decode(padded)).isEqualTo(content);
    }
    assertThatThrownBy(() -> Contents.decode(new byte[160])).isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void backoffGrowsIsCappedAndJittered() {
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    Random random = new Random(1);
    for (int attempt = 0; attempt < 40; attempt++) {
      long ceiling = Math.min(30_000, 500L << Math.min(attempt, 20));
      long delay = backoff.delay(attempt, random).toMillis();
      assertThat(delay).isBetween(ceiling / 2, ceiling);
    }
    long distinct = IntStream.range(0, 50)
        .mapToLong(i -> backoff.delay(10, random).toMillis()).distinct().count();
    assertThat(distinct).isGreaterThan(10);
  }

  /** Clients a draining server lets go together (1001) come back spread over the whole window, not in one burst. */
  @Test
  void reconnectsAfterAGoingAwayAreSpreadOverTheWindow() {
    Random random = new Random(7);
    Duration window = Duration.ofSeconds(2);
    long[] delays = IntStream.range(0, 1_000).mapToLong(i -> Backoff.spread(window, random).toMillis()).toArray();
    assertThat(Arrays.stream(delays).min().orElseThrow()).isNotNegative();
    assertThat(Arrays.stream(delays).max().orElseThrow()).isLessThanOrEqualTo(2_000L);
    // Each fifth of the window gets roughly a fifth of the clients (200 each; a burst would put them all in one).
    for (int fifth = 0; fifth < 5; fifth++) {
      long from = fifth * 400L;
      long count = Arrays.stream(delays).filter(d -> d >= from && d < from + 400).count();
      assertThat(count).as("delays in [%d, %d) ms", from, from + 400).isBetween(140L, 260L);
    }
    assertThat(Backoff.spread(Duration.ZERO, random)).isEqualTo(Duration.ZERO);
  }
}
