package org.parley.client.internal.linking;

import com.google.protobuf.InvalidProtocolBufferException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.parley.protocol.ProvisioningAddress;
import org.parley.protocol.ProvisioningMessageRequest;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketResponse;

/**
 * The new device's side of the unauthenticated provisioning WebSocket: first the one-time address, then (at most)
 * one provisioning message, then the server closes it. Events are read with {@link #next}.
 */
final class ProvisioningSocket implements AutoCloseable {

  /** What happened on the socket. */
  sealed interface Event {
    record Address(String address) implements Event {}

    record Message(byte[] body) implements Event {}

    record Closed(int code, String reason) implements Event {}
  }

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Client client;

  ProvisioningSocket(URI httpBase, SSLContext tls) {
    String scheme = "https".equalsIgnoreCase(httpBase.getScheme()) ? "wss" : "ws";
    URI endpoint = URI.create(scheme + "://" + httpBase.getRawAuthority() + Route.PROVISIONING_WEBSOCKET.path());
    this.client = new Client(endpoint, tls);
  }

  void open() {
    client.connect();
  }

  /** The next event, or null after {@code millis}. */
  Event next(long millis) throws InterruptedException {
    return events.poll(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    client.close();
  }

  private final class Client extends WebSocketClient {

    Client(URI endpoint, SSLContext tls) {
      super(endpoint, new Draft_6455(), Map.of(), 10_000);
      setConnectionLostTimeout(25);
      if (endpoint.getScheme().equals("wss")) {
        setSocketFactory(tls.getSocketFactory());
      }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {}

    @Override
    public void onMessage(String text) {}

    @Override
    public void onMessage(ByteBuffer bytes) {
      try {
        WebSocketMessage message = WebSocketMessage.parseFrom(bytes);
        if (message.getType() != WebSocketMessage.Type.REQUEST) {
          return;
        }
        var request = message.getRequest();
        Route route = Route.pushed(Route.Direction.PROVISIONING, request.getVerb(), request.getPath()).orElse(null);
        if (route == Route.PROVISIONING_ADDRESS) {
          events.add(new Event.Address(ProvisioningAddress.parseFrom(request.getBody()).getAddress()));
        } else if (route == Route.PROVISIONING_MESSAGE) {
          events.add(new Event.Message(ProvisioningMessageRequest.parseFrom(request.getBody()).getBody()
              .toByteArray()));
        }
        send(WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.RESPONSE)
            .setResponse(WebSocketResponse.newBuilder().setId(request.getId()).setStatus(200)).build()
            .toByteArray());
      } catch (InvalidProtocolBufferException e) {
        events.add(new Event.Closed(1007, "the server sent something that does not parse"));
        close();
      } catch (RuntimeException e) {
        // the socket closed while we answered; the close event follows
      }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      events.add(new Event.Closed(code, reason == null || reason.isEmpty() ? "closed" : reason));
    }

    @Override
    public void onError(Exception ex) {
      // onClose follows with the reason.
    }
  }
}
