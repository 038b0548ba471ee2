package org.parley.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.parley.protocol.AttachmentSlot;
import org.parley.protocol.AttachmentUploadStatus;
import org.parley.protocol.CreateAttachmentRequest;

/** The attachment routes as a client calls them: reserve, PUT bytes, ask for progress, GET with ranges. */
public final class AttachmentCalls {

  private final Api api;
  /** A server that stops answering fails the test instead of hanging it. */
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  public AttachmentCalls(Api api) {
    this.api = api;
  }

  public Api.Response reserve(Api.Device device, long size) {
    return api.call("POST", "/v1/attachments", CreateAttachmentRequest.newBuilder().setSize(size).build(), device);
  }

  /** A slot, or an AssertionError saying why not. */
  public AttachmentSlot slot(Api.Device device, long size) {
    Api.Response r = reserve(device, size);
    if (r.status() != 200) {
      throw new AssertionError("reserve " + size + ": " + r.status() + " " + r.error());
    }
    return r.as(AttachmentSlot.getDefaultInstance());
  }

  public Api.Response statusResponse(Api.Device device, String id) {
    return send(HttpRequest.newBuilder(api.base.resolve("/v1/attachments/" + id + "/upload"))
        .header("Authorization", device.basicAuth()).GET().build());
  }

  public AttachmentUploadStatus status(Api.Device device, String id) {
    Api.Response r = statusResponse(device, id);
    if (r.status() != 200) {
      throw new AssertionError("status of " + id + ": " + r.status() + " " + r.error());
    }
    return r.as(AttachmentUploadStatus.getDefaultInstance());
  }

  /** PUT {@code body[from..)} with a Content-Range when {@code from > 0}. */
  public Api.Response put(Api.Device device, String id, byte[] body, int from) {
    HttpRequest.Builder request = HttpRequest.newBuilder(api.base.resolve("/v1/attachments/" + id))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body, from, body.length - from))
        .header("Content-Type", "application/octet-stream");
    if (device != null) {
      request.header("Authorization", device.basicAuth());
    }
    if (from > 0) {
      request.header("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
    }
    return send(request.build());
  }

  /** GET (or HEAD) with an optional Range header. */
  public Api.Response get(String verb, String id, String range) {
    HttpRequest.Builder request = HttpRequest.newBuilder(api.base.resolve("/v1/attachments/" + id))
        .method(verb, HttpRequest.BodyPublishers.noBody());
    if (range != null) {
      request.header("Range", range);
    }
    return send(request.build());
  }

  public Api.Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = api.httpClient().send(HttpRequest.newBuilder(request, (name, value) -> true)
          .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Api.Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  public static String sha256(InputStream in) throws IOException {
    MessageDigest digest = digest();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI base() {
    return api.base;
  }
}
