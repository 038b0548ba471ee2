package org.parley.bench;

import com.google.protobuf.ByteString;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketRequest;
import org.parley.protocol.WebSocketResponse;

/** A lean Netty WebSocket client speaking the WebSocketMessage envelope. */
final class WsConnection {

  interface Listener {
    void onServerRequest(WsConnection connection, WebSocketRequest request);

    void onResponse(WsConnection connection, WebSocketResponse response);

    /**
     * A listener that acknowledges every request the server pushes, counts {@code drained} down at the
     * queue-empty signal and hands each delivered envelope request to {@code onDelivery}.
     */
    static Listener acking(CountDownLatch drained, Consumer<WebSocketRequest> onDelivery,
        Consumer<WebSocketResponse> onResponse) {
      return new Listener() {
        @Override
        public void onServerRequest(WsConnection connection, WebSocketRequest request) {
          connection.answer(request.getId(), 200);
          if (Route.pushed(Route.Direction.TO_CLIENT, request.getVerb(), request.getPath()).orElse(null)
              == Route.QUEUE_EMPTY) {
            drained.countDown();
          } else {
            onDelivery.accept(request);
          }
        }

        @Override
        public void onResponse(WsConnection connection, WebSocketResponse response) {
          onResponse.accept(response);
        }
      };
    }
  }

  private final Channel channel;
  final CompletableFuture<WsConnection> ready = new CompletableFuture<>();

  private WsConnection(Channel channel) {
    this.channel = channel;
  }

  static CompletableFuture<WsConnection> open(EventLoopGroup group, Class<? extends Channel> channelType, URI uri,
      String authorization, Listener listener) {
    CompletableFuture<WsConnection> opened = new CompletableFuture<>();
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    headers.set("Authorization", authorization);
    WebSocketClientProtocolHandler protocol = new WebSocketClientProtocolHandler(
        WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false, headers, 1 << 20));
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            WsConnection connection = new WsConnection(ch);
            ch.pipeline()
                .addLast(new FlushConsolidationHandler(256, true))
                .addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(1 << 16))
                .addLast(protocol)
                .addLast(new SimpleChannelInboundHandler<BinaryWebSocketFrame>() {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                      opened.complete(connection);
                    }
                    super.userEventTriggered(ctx, evt);
                  }

                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame frame)
                      throws Exception {
                    WebSocketMessage message = WebSocketMessage.parseFrom(frame.content().nioBuffer());
                    if (message.getType() == WebSocketMessage.Type.REQUEST) {
                      listener.onServerRequest(connection, message.getRequest());
                    } else {
                      listener.onResponse(connection, message.getResponse());
                    }
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    opened.completeExceptionally(cause);
                    ctx.close();
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    opened.completeExceptionally(new IllegalStateException("connection closed"));
                  }
                });
          }
        });
    bootstrap.connect(uri.getHost(), uri.getPort()).addListener(f -> {
      if (!f.isSuccess()) {
        opened.completeExceptionally(f.cause());
      }
    });
    return opened;
  }

  void send(WebSocketMessage message) {
    channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message.toByteArray())));
  }

  void request(long id, String verb, String path, ByteString body) {
    send(WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.REQUEST)
        .setRequest(WebSocketRequest.newBuilder().setId(id).setVerb(verb).setPath(path).setBody(body)).build());
  }

  void answer(long id, int status) {
    send(WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.RESPONSE)
        .setResponse(WebSocketResponse.newBuilder().setId(id).setStatus(status)).build());
  }

  void close() {
    channel.close();
  }
}
