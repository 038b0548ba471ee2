package org.parley.server.support;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.protocol.Envelope;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketRequest;
import org.parley.protocol.WebSocketResponse;

/** A WebSocket client built on the JDK's, speaking the WebSocketMessage envelope. Nothing is acknowledged unless asked. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

  /** How the server closed the connection. */
  public record Closed(int code, String reason) {}

  private final BlockingQueue<WebSocketRequest> serverRequests = new LinkedBlockingQueue<>();
  private final ConcurrentHashMap<Long, CompletableFuture<WebSocketResponse>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(1);
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  public final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private WebSocket socket;

  private WsClient() {}

  public static WsClient connect(URI uri, Api.Device device) {
    return connect(uri, device.basicAuth());
  }

  public static WsClient connect(URI uri, String authorization) {
    WsClient client = new WsClient();
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    client.socket = builder.buildAsync(uri, client).join();
    return client;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    partial.write(bytes, 0, bytes.length);
    if (last) {
      byte[] whole = partial.toByteArray();
      partial.reset();
      try {
        WebSocketMessage message = WebSocketMessage.parseFrom(whole);
        if (message.getType() == WebSocketMessage.Type.REQUEST) {
          serverRequests.add(message.getRequest());
        } else {
          CompletableFuture<WebSocketResponse> waiting = pending.remove(message.getResponse().getId());
          if (waiting != null) {
            waiting.complete(message.getResponse());
          }
        }
      } catch (InvalidProtocolBufferException e) {
        closed.completeExceptionally(e);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  /** Sends a request and waits for the server's answer. */
  public WebSocketResponse request(String verb, String path, Message body) {
    try {
      return requestAsync(verb, path, body).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no answer to " + verb + " " + path, e);
    }
  }

  /** Sends a request without waiting: the future completes with the server's answer (requests can pile up). */
  public CompletableFuture<WebSocketResponse> requestAsync(String verb, String path, Message body) {
    long id = ids.getAndIncrement();
    CompletableFuture<WebSocketResponse> answer = new CompletableFuture<>();
    pending.put(id, answer);
    WebSocketRequest.Builder request = WebSocketRequest.newBuilder().setId(id).setVerb(verb).setPath(path);
    if (body != null) {
      request.setBody(body.toByteString());
    }
    sendRaw(WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.REQUEST).setRequest(request).build()
        .toByteArray());
    return answer;
  }

  /** The next request the server sent (delivery, queue empty, presence), or null after the timeout. */
  public WebSocketRequest nextServerRequest(Duration timeout) throws InterruptedException {
    return serverRequests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits for the next delivered message; fails on anything else. */
  public WebSocketRequest nextDelivery(Duration timeout) throws InterruptedException {
    WebSocketRequest request = nextServerRequest(timeout);
    if (request == null) {
      throw new AssertionError("no delivery within " + timeout);
    }
    if (!request.getPath().equals("/api/v1/message")) {
      throw new AssertionError("expected a delivery, got " + request.getVerb() + " " + request.getPath());
    }
    return request;
  }

  public static Envelope envelope(WebSocketRequest delivery) {
    try {
      return Envelope.parseFrom(delivery.getBody());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** Answers a server request (200 acknowledges a delivery). */
  public void answer(WebSocketRequest request, int status) {
    sendRaw(WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.RESPONSE)
        .setResponse(WebSocketResponse.newBuilder().setId(request.getId()).setStatus(status))
        .build().toByteArray());
  }

  public void sendRaw(byte[] frame) {
    socket.sendBinary(ByteBuffer.wrap(frame), true).join();
  }

  public void sendText(String text) {
    socket.sendText(text, true).join();
  }

  public Closed awaitClose() {
    try {
      return closed.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("connection not closed", e);
    }
  }

  /** Drops the TCP connection without a close handshake, like a lost network. */
  public void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    socket.abort();
  }

  public static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
