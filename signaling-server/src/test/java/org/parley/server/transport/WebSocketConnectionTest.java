package org.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketRequest;

/** What a push puts on the wire; the channel is Netty's in-memory one, nothing else of the server is involved. */
class WebSocketConnectionTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();
  // Handshaker, device and services are only used once the connection is in a pipeline; a push needs none of them.
  private final WebSocketConnection connection = new WebSocketConnection(channel, null, null, null);

  @AfterEach
  void release() {
    channel.finishAndReleaseAll();
  }

  @Test
  void pushesWithTheRoutesVerbAndPath() throws Exception {
    connection.request(Route.DELIVER_MESSAGE, new byte[] {1, 2});

    BinaryWebSocketFrame frame = channel.readOutbound();
    WebSocketRequest request = WebSocketMessage.parseFrom(ByteBufUtil.getBytes(frame.content())).getRequest();
    frame.release();
    assertThat(request.getVerb()).isEqualTo("PUT");
    assertThat(request.getPath()).isEqualTo("/api/v1/message");
    assertThat(request.getBody().toByteArray()).containsExactly(1, 2);
    assertThat(connection.pendingRequests()).isEqualTo(1);
  }

  @Test
  void refusesToPushARouteThatIsNotPushedToDevices() {
    for (Route notPushed : new Route[] {Route.SEND_MESSAGE, Route.PROVISIONING_MESSAGE, Route.WEBSOCKET}) {
      assertThatThrownBy(() -> connection.request(notPushed, new byte[0]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(notPushed + " is " + notPushed.direction() + ", not pushed to a device");
    }
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(connection.pendingRequests()).isZero();
  }
}
