package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AttachmentUploadStatus;
import org.parley.server.support.Api;
import org.parley.server.support.AttachmentCalls;
import org.parley.server.support.RawHttp;
import org.parley.server.support.S3TestServer;
import org.parley.server.support.TestServer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The attachment scenarios that depend on the store, with {@code attachments.store = s3} against a real S3 server
 * (S3Proxy): bytes go through multipart uploads and tail objects, and nothing lands in the data directory.
 */
class S3AttachmentsTest {

  private static final int MIB = 1 << 20;
  private static S3TestServer s3;

  private TestServer server;
  private AttachmentCalls calls;
  private Api.Device alice;
  private Map<String, String> settings;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3TestServer.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @BeforeEach
  void start() throws Exception {
    settings = new HashMap<>(s3.serverSettings());
    settings.put("PARLEY_ATTACHMENTS_S3_PREFIX", "t" + System.nanoTime() + "/");
    settings.put("PARLEY_ATTACHMENTS_SWEEP_INTERVAL", "200ms");
    server = TestServer.start(settings);
    calls = new AttachmentCalls(server.api);
    alice = server.api.register("+15558881001");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private long objectsUnderPrefix() {
    try (S3Client client = s3.client()) {
      return client.listObjectsV2(b -> b.bucket(S3TestServer.BUCKET).prefix(settings.get("PARLEY_ATTACHMENTS_S3_PREFIX")))
          .contents().stream().map(S3Object::key).filter(k -> !k.endsWith("/")).count();
    }
  }

  @Test
  void aMultiPartFileGoesUpAndComesBackIdenticalWithRanges() throws Exception {
    byte[] data = AttachmentCalls.random(17 * MIB + 99, 21);
    String id = calls.slot(alice, data.length).getId();
    Api.Response put = calls.put(alice, id, data, 0);
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.as(AttachmentUploadStatus.getDefaultInstance()).getComplete()).isTrue();
    assertThat(AttachmentCalls.sha256(calls.get("GET", id, null).body())).isEqualTo(AttachmentCalls.sha256(data));
    Api.Response middle = calls.get("GET", id, "bytes=5242870-5242899");
    assertThat(middle.status()).isEqualTo(206);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(data, 5_242_870, 5_242_900));
    assertThat(calls.get("GET", id, "bytes=-3").body()).isEqualTo(Arrays.copyOfRange(data, data.length - 3, data.length));
    assertThat(server.dataDir.resolve("attachments/complete/" + id)).doesNotExist();
  }

  @Test
  void anUploadCutOffHalfWayContinuesFromWhatTheBucketHas() throws Exception {
    byte[] data = AttachmentCalls.random(13 * MIB, 22);
    String id = calls.slot(alice, data.length).getId();
    int cut = 7 * MIB + 1234; // one whole 5 MiB part and a tail
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
          "Content-Length: " + data.length);
      raw.send(data, 0, cut);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> calls.status(alice, id).getReceived() == cut);
    assertThat(calls.put(alice, id, data, cut).status()).isEqualTo(200);
    assertThat(calls.get("GET", id, null).body()).isEqualTo(data);
  }

  @Test
  void aServerRestartedMidUploadContinuesIt() throws Exception {
    byte[] data = AttachmentCalls.random(12 * MIB, 23);
    String id = calls.slot(alice, data.length).getId();
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
          "Content-Length: " + data.length);
      raw.send(data, 0, 6 * MIB);
      await().atMost(Duration.ofSeconds(20)).until(() -> calls.status(alice, id).getReceived() >= 5 * MIB);
      server.stop(); // with the client still sending
    }
    server.restart(); // same data directory, settings and port
    long received = calls.status(alice, id).getReceived();
    assertThat(received).isBetween(5L * MIB, 6L * MIB);
    assertThat(calls.put(alice, id, data, (int) received).status()).isEqualTo(200);
    assertThat(AttachmentCalls.sha256(calls.get("GET", id, null).body())).isEqualTo(AttachmentCalls.sha256(data));
  }

  @Test
  void expiredAttachmentsAndAbandonedUploadsLeaveTheBucket() throws Exception {
    byte[] data = AttachmentCalls.random(6 * MIB, 24);
    String done = calls.slot(alice, data.length).getId();
    assertThat(calls.put(alice, done, data, 0).status()).isEqualTo(200);
    String abandoned = calls.slot(alice, data.length).getId();
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.head("PUT", "/v1/attachments/" + abandoned, "Authorization: " + alice.basicAuth(),
          "Content-Length: " + data.length);
      raw.send(data, 0, 5 * MIB + 10);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> calls.status(alice, abandoned).getReceived() == 5 * MIB + 10);
    assertThat(objectsUnderPrefix()).isPositive();

    server.clock.advance(Duration.ofDays(31));
    assertThat(calls.get("GET", done, null).status()).isEqualTo(404);
    await().atMost(Duration.ofSeconds(20)).until(() -> objectsUnderPrefix() == 0);
    try (S3Client client = s3.client()) {
      assertThat(client.listMultipartUploads(b -> b.bucket(S3TestServer.BUCKET)
          .prefix(settings.get("PARLEY_ATTACHMENTS_S3_PREFIX"))).uploads()).isEmpty();
    }
  }
}
