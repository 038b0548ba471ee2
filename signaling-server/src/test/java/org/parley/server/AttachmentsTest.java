package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AttachmentSlot;
import org.parley.protocol.AttachmentUploadStatus;
import org.parley.protocol.CreateAttachmentRequest;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.WebSocketResponse;
import org.parley.server.support.Api;
import org.parley.server.support.AttachmentCalls;
import org.parley.server.support.RawHttp;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;

/** Attachments end to end over real HTTP on loopback, with the default local store (ADR 0120). */
class AttachmentsTest {

  private static final int MIB = 1 << 20;

  private TestServer server;
  private AttachmentCalls calls;
  private Api.Device alice;

  private void start(String... settings) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    server = TestServer.start(env);
    calls = new AttachmentCalls(server.api);
    alice = server.api.register("+15558880001");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private int port() {
    return server.port();
  }

  private static ErrorResponse error(Api.Response r) {
    return r.error();
  }

  @Test
  void aMultiMegabyteFileGoesUpAndComesBackIdentical() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(24 * MIB + 321, 1);
    AttachmentSlot slot = calls.slot(alice, data.length);
    assertThat(slot.getId()).matches("[A-Za-z0-9_-]{32}");
    assertThat(slot.getUploadPath()).isEqualTo("/v1/attachments/" + slot.getId());
    assertThat(slot.getDownloadPath()).isEqualTo(slot.getUploadPath());
    assertThat(slot.getMaxSize()).isEqualTo(100L * MIB);
    assertThat(calls.slot(alice, 10).getId()).as("ids are random").isNotEqualTo(slot.getId());

    assertThat(calls.status(alice, slot.getId()).getReceived()).isZero();
    assertThat(calls.get("GET", slot.getId(), null).status()).as("not downloadable before complete").isEqualTo(404);

    Api.Response put = calls.put(alice, slot.getId(), data, 0);
    assertThat(put.status()).isEqualTo(200);
    AttachmentUploadStatus done = put.as(AttachmentUploadStatus.getDefaultInstance());
    assertThat(done.getComplete()).isTrue();
    assertThat(done.getReceived()).isEqualTo(data.length);
    assertThat(done.getExpiresAt()).isGreaterThan(server.clock.millis() + Duration.ofDays(29).toMillis());

    Api.Response got = calls.get("GET", slot.getId(), null);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.raw().headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(AttachmentCalls.sha256(got.body())).isEqualTo(AttachmentCalls.sha256(data));
    Api.Response head = calls.get("HEAD", slot.getId(), null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.raw().headers().firstValue("Content-Length")).hasValue(Integer.toString(data.length));
    assertThat(head.body()).isEmpty();

    assertThat(Files.readAllBytes(server.dataDir.resolve("attachments/complete/" + slot.getId()))).isEqualTo(data);
    String metrics = server.metrics();
    assertThat(metrics)
        .contains("parley_attachments_stored 1.0")
        .contains("parley_attachments_stored_bytes " + (double) data.length)
        .contains("parley_attachments_uploaded_bytes_total " + (double) data.length)
        .contains("parley_attachments_downloaded_bytes_total " + (double) data.length);
  }

  @Test
  void anUploadCutOffHalfWayContinuesFromWhatTheServerHas() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(8 * MIB + 5, 2);
    String id = calls.slot(alice, data.length).getId();
    int half = data.length / 2 + 12_345;
    try (RawHttp raw = new RawHttp(port())) {
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
          "Content-Length: " + data.length);
      raw.send(data, 0, half);
    } // the connection drops with half the body sent
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.status(alice, id).getReceived() == half);
    AttachmentUploadStatus status = calls.status(alice, id);
    assertThat(status.getComplete()).isFalse();
    assertThat(status.getSize()).isEqualTo(data.length);

    Api.Response rest = calls.put(alice, id, data, half);
    assertThat(rest.status()).isEqualTo(200);
    assertThat(rest.as(AttachmentUploadStatus.getDefaultInstance()).getComplete()).isTrue();
    assertThat(calls.get("GET", id, null).body()).isEqualTo(data);
  }

  @Test
  void bytesTheServerAlreadyHasAreSkippedAndAGapIsRefused() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(300_000, 3);
    String id = calls.slot(alice, data.length).getId();
    byte[] first = Arrays.copyOf(data, 200_000);
    try (RawHttp raw = new RawHttp(port())) {
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
          "Content-Range: bytes 0-199999/300000", "Content-Length: 200000");
      raw.send(first, 0, first.length);
      RawHttp.Answer answer = raw.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("Connection")).isEqualTo("close");
    }
    assertThat(calls.status(alice, id).getReceived()).isEqualTo(200_000);

    Api.Response gap = calls.put(alice, id, data, 250_000);
    assertThat(gap.status()).isEqualTo(409);
    assertThat(error(gap).getCode()).isEqualTo("offset_mismatch");
    assertThat(error(gap).getMessage()).contains("continue from byte 200000");

    Api.Response overlap = calls.put(alice, id, data, 150_000); // resends 50,000 bytes the server has
    assertThat(overlap.status()).isEqualTo(200);
    assertThat(calls.get("GET", id, null).body()).isEqualTo(data);

    Api.Response again = calls.put(alice, id, data, 0);
    assertThat(again.status()).as("a complete attachment answers its status").isEqualTo(200);
    assertThat(again.as(AttachmentUploadStatus.getDefaultInstance()).getComplete()).isTrue();
  }

  @Test
  void aServerRestartedMidUploadContinuesIt() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(6 * MIB, 4);
    String id = calls.slot(alice, data.length).getId();
    try (RawHttp raw = new RawHttp(port())) {
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
          "Content-Length: " + data.length);
      raw.send(data, 0, 4 * MIB);
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.status(alice, id).getReceived() >= 3 * MIB);
      server.stop(); // with the client still sending
      assertThat(raw.closedByServer()).isTrue();
    }
    server.restart(); // same data directory and port
    long received = calls.status(alice, id).getReceived();
    assertThat(received).isBetween(3L * MIB, 4L * MIB);
    assertThat(calls.put(alice, id, data, (int) received).status()).isEqualTo(200);
    assertThat(AttachmentCalls.sha256(calls.get("GET", id, null).body())).isEqualTo(AttachmentCalls.sha256(data));
  }

  @Test
  void sizesOverTheCapAreRefusedWith413() throws Exception {
    start("PARLEY_ATTACHMENTS_MAX_SIZE", "1m");
    Api.Response tooBig = calls.reserve(alice, MIB + 1);
    assertThat(tooBig.status()).isEqualTo(413);
    assertThat(error(tooBig).getCode()).isEqualTo("attachment_too_large");
    assertThat(error(tooBig).getMessage()).contains("limit of 1048576 bytes");
    assertThat(calls.reserve(alice, 0).status()).isEqualTo(400);
    assertThat(calls.slot(alice, MIB).getMaxSize()).isEqualTo(MIB);

    String id = calls.slot(alice, 1000).getId();
    try (RawHttp raw = new RawHttp(port())) {
      // Declared too large: refused before the body is sent (no 100 Continue).
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(), "Content-Length: 1001",
          "Expect: 100-continue");
      RawHttp.Answer answer = raw.read();
      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.text()).contains("attachment_too_large");
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(calls.status(alice, id).getReceived()).isZero();
  }

  @Test
  void aChunkedBodyLongerThanReservedIsCutWith413AndNeverCompletes() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(120_000, 5);
    String id = calls.slot(alice, 100_000).getId();
    try (RawHttp raw = new RawHttp(port())) {
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
          "Transfer-Encoding: chunked");
      try {
        for (int at = 0; at < data.length; at += 30_000) {
          raw.chunk(data, at, 30_000);
        }
      } catch (IOException closedUnderUs) {
        // the server may close before the last chunk is written
      }
      RawHttp.Answer answer = raw.read();
      assertThat(answer.status()).isEqualTo(413);
      assertThat(answer.text()).contains("body_too_large");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.status(alice, id).getReceived() >= 90_000);
    AttachmentUploadStatus status = calls.status(alice, id);
    assertThat(status.getReceived()).isLessThan(100_000);
    assertThat(status.getComplete()).isFalse();
    assertThat(calls.get("GET", id, null).status()).isEqualTo(404);
  }

  @Test
  void aContentLengthShorterThanTheBytesSentTakesOnlyContentLengthBytes() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(1000, 6);
    String id = calls.slot(alice, 1000).getId();
    try (RawHttp raw = new RawHttp(port())) {
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(), "Content-Length: 400");
      raw.send(data, 0, 1000);
      RawHttp.Answer answer = raw.read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(raw.closedByServer()).isTrue();
    }
    AttachmentUploadStatus status = calls.status(alice, id);
    assertThat(status.getReceived()).isEqualTo(400);
    assertThat(status.getComplete()).isFalse();
  }

  @Test
  void expect100ContinueIsAnsweredOnceTheUploadIsAccepted() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(50_000, 7);
    String id = calls.slot(alice, data.length).getId();
    try (RawHttp raw = new RawHttp(port())) {
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
          "Content-Length: " + data.length, "Expect: 100-continue");
      assertThat(raw.read().status()).isEqualTo(100);
      raw.send(data, 0, data.length);
      assertThat(raw.read().status()).isEqualTo(200);
    }
    assertThat(calls.get("GET", id, null).body()).isEqualTo(data);
  }

  @Test
  void rangesServeTheBytesAskedForAndRefuseTheRest() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(100_000, 8);
    String id = calls.slot(alice, data.length).getId();
    assertThat(calls.put(alice, id, data, 0).status()).isEqualTo(200);

    assertRange(id, "bytes=0-99", data, 0, 100);
    assertRange(id, "bytes=40000-40009", data, 40_000, 40_010);
    assertRange(id, "bytes=99990-", data, 99_990, 100_000);
    assertRange(id, "bytes=-500", data, 99_500, 100_000);
    assertRange(id, "bytes=99000-5000000", data, 99_000, 100_000);
    assertRange(id, "bytes=-500000", data, 0, 100_000);

    for (String bad : new String[] {"bytes=100000-", "bytes=200000-200010", "bytes=-0", "bytes=10-5",
        "bytes=0-1,5-6", "items=0-5", "bytes=x-y"}) {
      Api.Response refused = calls.get("GET", id, bad);
      assertThat(refused.status()).as(bad).isEqualTo(416);
      assertThat(refused.raw().headers().firstValue("Content-Range")).as(bad).hasValue("bytes */100000");
      assertThat(error(refused).getCode()).isEqualTo("range_not_satisfiable");
    }
    assertThat(calls.get("GET", id, null).status()).as("still served after refusals").isEqualTo(200);
  }

  private void assertRange(String id, String range, byte[] data, int from, int to) {
    Api.Response r = calls.get("GET", id, range);
    assertThat(r.status()).as(range).isEqualTo(206);
    assertThat(r.raw().headers().firstValue("Content-Range")).as(range)
        .hasValue("bytes " + from + "-" + (to - 1) + "/" + data.length);
    assertThat(r.body()).as(range).isEqualTo(Arrays.copyOfRange(data, from, to));
  }

  @Test
  void onlyTheAccountThatReservedASlotMayUseIt() throws Exception {
    start();
    Api.Device bob = server.api.register("+15558880002");
    byte[] data = AttachmentCalls.random(10_000, 9);
    String id = calls.slot(alice, data.length).getId();

    Api.Response intruder = calls.put(bob, id, data, 0);
    assertThat(intruder.status()).isEqualTo(403);
    assertThat(error(intruder).getCode()).isEqualTo("not_your_attachment");
    assertThat(calls.statusResponse(bob, id).status()).isEqualTo(403);
    assertThat(server.api.call("DELETE", "/v1/attachments/" + id, null, bob).status()).isEqualTo(403);
    assertThat(calls.put(null, id, data, 0).status()).isEqualTo(401);
    Api.Device wrong = new Api.Device(alice.accountId(), 1, "not-the-password", alice.number(), 1);
    assertThat(calls.put(wrong, id, data, 0).status()).isEqualTo(401);
    assertThat(calls.reserve(null, 10).status()).isEqualTo(401);
    assertThat(calls.status(alice, id).getReceived()).as("nothing of theirs was stored").isZero();

    assertThat(calls.put(alice, id, data, 0).status()).isEqualTo(200);
    assertThat(calls.get("GET", id, null).body()).as("anyone with the id downloads").isEqualTo(data);
  }

  @Test
  void unknownAndMalformedIdsGetClearErrors() throws Exception {
    start();
    String unknown = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    Api.Response missing = calls.get("GET", unknown, null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(error(missing).getCode()).isEqualTo("attachment_not_found");
    assertThat(error(missing).getMessage()).contains("no longer available").contains("30 days");
    assertThat(calls.get("HEAD", unknown, null).status()).isEqualTo(404);
    assertThat(calls.put(alice, unknown, new byte[10], 0).status()).isEqualTo(404);
    assertThat(calls.statusResponse(alice, unknown).status()).isEqualTo(404);

    Api.Response malformed = calls.get("GET", "not-an-id", null);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(error(malformed).getCode()).isEqualTo("invalid_attachment_id");
    Api.Response traversal = calls.put(alice, "..%2F..%2Fetc", new byte[10], 0);
    assertThat(traversal.status()).as("decoded, the path is no attachment path at all").isEqualTo(404);
    assertThat(error(traversal).getCode()).isEqualTo("no_such_endpoint");
    assertThat(calls.put(alice, "short", new byte[10], 0).status()).isEqualTo(400);
  }

  @Test
  void expiredAttachmentsAndAbandonedUploadsAreGoneAndDeleted() throws Exception {
    start("PARLEY_ATTACHMENTS_SWEEP_INTERVAL", "200ms", "PARLEY_ATTACHMENTS_TTL", "2d",
        "PARLEY_ATTACHMENTS_UPLOAD_TTL", "1d");
    byte[] data = AttachmentCalls.random(20_000, 10);
    String done = calls.slot(alice, data.length).getId();
    assertThat(calls.put(alice, done, data, 0).status()).isEqualTo(200);
    String abandoned = calls.slot(alice, data.length).getId();
    try (RawHttp raw = new RawHttp(port())) {
      raw.head("PUT", "/v1/attachments/" + abandoned, "Authorization: " + alice.basicAuth(),
          "Content-Range: bytes 0-9999/20000", "Content-Length: 10000");
      raw.send(data, 0, 10_000);
      assertThat(raw.read().status()).isEqualTo(200);
    }
    Path complete = server.dataDir.resolve("attachments/complete/" + done);
    Path partial = server.dataDir.resolve("attachments/partial/" + abandoned);
    assertThat(complete).exists();
    assertThat(partial).exists();

    server.clock.advance(Duration.ofDays(1).plusMinutes(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(partial));
    assertThat(calls.statusResponse(alice, abandoned).status()).isEqualTo(404);
    assertThat(calls.get("GET", done, null).status()).as("still within its TTL").isEqualTo(200);

    server.clock.advance(Duration.ofDays(1));
    Api.Response gone = calls.get("GET", done, null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(error(gone).getMessage()).contains("no longer available").contains("2 days");
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(complete));
    assertThat(server.metrics())
        .contains("parley_attachments_stored 0.0");
  }

  @Test
  void aTricklingUploadIsCutButKeepsWhatArrived() throws Exception {
    start("PARLEY_ATTACHMENTS_UPLOAD_MIN_RATE", "10k", "PARLEY_ATTACHMENTS_UPLOAD_RATE_WINDOW", "500ms");
    byte[] data = AttachmentCalls.random(100_000, 11);
    String id = calls.slot(alice, data.length).getId();
    long started = System.nanoTime();
    try (RawHttp raw = new RawHttp(port())) {
      raw.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
          "Content-Length: " + data.length);
      try {
        for (int at = 0; at < 5_000; at += 100) { // 1 kB/s, for at most 5 s
          raw.send(data, at, 100);
          Thread.sleep(100);
        }
      } catch (IOException cut) {
        // expected: the server closed the connection
      }
      RawHttp.Answer answer = raw.read();
      assertThat(answer.status()).isEqualTo(408);
      assertThat(answer.text()).contains("upload_too_slow");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.status(alice, id).getReceived() > 0);
    long kept = calls.status(alice, id).getReceived();
    assertThat(calls.put(alice, id, data, (int) kept).status()).isEqualTo(200);
    assertThat(calls.get("GET", id, null).body()).isEqualTo(data);
  }

  @Test
  void quotasAndTheReservationRateLimitAreEnforced() throws Exception {
    start("PARLEY_ATTACHMENTS_MAX_PENDING_PER_ACCOUNT", "2", "PARLEY_ATTACHMENTS_QUOTA_PER_ACCOUNT", "1000",
        "PARLEY_RATE_LIMITS_ATTACHMENT_RESERVATIONS", "4/1h");
    String first = calls.slot(alice, 600).getId();
    Api.Response bytes = calls.reserve(alice, 401);
    assertThat(bytes.status()).isEqualTo(507);
    assertThat(error(bytes).getCode()).isEqualTo("attachment_quota");
    assertThat(error(bytes).getMessage()).contains("1000 bytes");
    calls.slot(alice, 100);
    Api.Response pending = calls.reserve(alice, 1);
    assertThat(pending.status()).isEqualTo(507);
    assertThat(error(pending).getMessage()).contains("2 uploads in progress");

    assertThat(server.api.call("DELETE", "/v1/attachments/" + first, null, alice).status()).isEqualTo(204);
    assertThat(calls.statusResponse(alice, first).status()).isEqualTo(404);
    Api.Response limited = calls.reserve(alice, 1);
    assertThat(limited.status()).as("the fifth reservation in the hour").isEqualTo(429);
    assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void aNewUploadOfTheSameAttachmentTakesOverAStalledOne() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(2 * MIB, 12);
    String id = calls.slot(alice, data.length).getId();
    try (RawHttp stalled = new RawHttp(port())) {
      stalled.head("PUT", "/v1/attachments/" + id, "Authorization: " + alice.basicAuth(),
          "Content-Length: " + data.length);
      stalled.send(data, 0, MIB);
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.status(alice, id).getReceived() >= MIB / 2);
      long from = calls.status(alice, id).getReceived();
      Api.Response takeover = calls.put(alice, id, data, (int) from);
      assertThat(takeover.status()).isEqualTo(200);
      assertThat(stalled.closedByServer()).isTrue();
    }
    assertThat(calls.get("GET", id, null).body()).isEqualTo(data);
  }

  @Test
  void uploadsAndDownloadsAtOnceAreCapped() throws Exception {
    start("PARLEY_ATTACHMENTS_MAX_CONCURRENT_UPLOADS", "1", "PARLEY_ATTACHMENTS_MAX_CONCURRENT_DOWNLOADS", "1");
    byte[] big = AttachmentCalls.random(16 * MIB, 13);
    String a = calls.slot(alice, big.length).getId();
    String b = calls.slot(alice, 10).getId();
    try (RawHttp streaming = new RawHttp(port())) {
      streaming.head("PUT", "/v1/attachments/" + a, "Authorization: " + alice.basicAuth(),
          "Content-Length: " + big.length);
      streaming.send(big, 0, 1000);
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.status(alice, a).getReceived() == 1000
          || server.metrics()
              .contains("parley_attachments_uploads_streaming 1.0"));
      Api.Response busy = calls.put(alice, b, new byte[10], 0);
      assertThat(busy.status()).isEqualTo(503);
      assertThat(error(busy).getCode()).isEqualTo("too_many_uploads");
      assertThat(busy.raw().headers().firstValue("Retry-After")).isPresent();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.put(alice, b, new byte[10], 0).status() == 200);
    assertThat(calls.put(alice, a, big, (int) calls.status(alice, a).getReceived()).status()).isEqualTo(200);

    try (RawHttp stuck = new RawHttp(port(), 4096)) {
      stuck.head("GET", "/v1/attachments/" + a);
      assertThat(stuck.read(true).status()).isEqualTo(200); // then never reads the body
      Api.Response busy = calls.get("GET", b, null);
      assertThat(busy.status()).isEqualTo(503);
      assertThat(error(busy).getCode()).isEqualTo("too_many_downloads");
      assertThat(calls.get("HEAD", b, null).status()).as("HEAD sends no body and is not capped").isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> calls.get("GET", b, null).status() == 200);
  }

  @Test
  void aDownloaderThatStopsReadingIsCutAfterTheIdleTimeoutButASlowOneIsNot() throws Exception {
    start("PARLEY_SERVER_IDLE_TIMEOUT", "1s");
    byte[] data = AttachmentCalls.random(16 * MIB, 14);
    String id = calls.slot(alice, data.length).getId();
    assertThat(calls.put(alice, id, data, 0).status()).isEqualTo(200);

    try (RawHttp stuck = new RawHttp(port(), 4096)) {
      stuck.head("GET", "/v1/attachments/" + id);
      assertThat(stuck.read(true).status()).isEqualTo(200);
      Thread.sleep(3500);
      long read = 0;
      try {
        InputStream in = stuck.input();
        byte[] sink = new byte[65536];
        for (int n; (n = in.read(sink)) > 0; ) {
          read += n;
        }
      } catch (SocketException reset) {
        // closed by the server
      }
      assertThat(read).as("cut before the end").isLessThan(data.length);
    }

    try (RawHttp slow = new RawHttp(port(), 65536)) {
      slow.head("GET", "/v1/attachments/" + id);
      assertThat(slow.read(true).status()).isEqualTo(200);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      InputStream in = slow.input();
      byte[] piece = new byte[512 * 1024];
      long started = System.nanoTime();
      while (body.size() < data.length) {
        int n = in.read(piece, 0, Math.min(piece.length, data.length - body.size()));
        assertThat(n).as("the server kept sending").isPositive();
        body.write(piece, 0, n);
        Thread.sleep(20); // ~ at most 25 MB/s: longer than the idle timeout in all
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1200));
      assertThat(body.toByteArray()).isEqualTo(data);
    }
  }

  @Test
  void overTheWebSocketSlotsWorkAndBytesAreRefused() throws Exception {
    start();
    try (WsClient ws = WsClient.connect(server.webSocketUri(), alice)) {
      WebSocketResponse reserved = ws.request("POST", "/v1/attachments",
          CreateAttachmentRequest.newBuilder().setSize(5).build());
      assertThat(reserved.getStatus()).isEqualTo(200);
      String id = AttachmentSlot.parseFrom(reserved.getBody()).getId();
      WebSocketResponse put = ws.request("PUT", "/v1/attachments/" + id, null);
      assertThat(put.getStatus()).isEqualTo(400);
      assertThat(ErrorResponse.parseFrom(put.getBody()).getCode()).isEqualTo("http_only");
      assertThat(ws.request("GET", "/v1/attachments/" + id, null).getStatus()).isEqualTo(400);
      assertThat(ws.request("GET", "/v1/attachments/" + id + "/upload", null).getStatus()).isEqualTo(200);
    }
  }

  @Test
  void theServerKeepsServingOtherRequestsOnAConnectionAfterADownload() throws Exception {
    start();
    byte[] data = AttachmentCalls.random(300_000, 15);
    String id = calls.slot(alice, data.length).getId();
    assertThat(calls.put(alice, id, data, 0).status()).isEqualTo(200);
    try (RawHttp raw = new RawHttp(port())) {
      raw.head("GET", "/v1/attachments/" + id, "Range: bytes=0-9");
      RawHttp.Answer first = raw.read();
      assertThat(first.status()).isEqualTo(206);
      assertThat(first.body()).isEqualTo(Arrays.copyOf(data, 10));
      raw.head("GET", "/v1/attachments/" + id);
      assertThat(raw.read().body()).isEqualTo(data);
      raw.head("GET", "/health");
      assertThat(raw.read().text()).isEqualTo("ok\n");
    }
  }
}
