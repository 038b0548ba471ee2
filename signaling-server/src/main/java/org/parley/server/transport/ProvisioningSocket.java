package org.parley.server.transport;

import com.google.protobuf.ByteString;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.protocol.ProvisioningAddress;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.linking.ProvisioningService;

/**
 * An unauthenticated provisioning WebSocket: gets a one-time address as soon as it opens ({@code PUT /v1/address}),
 * receives at most one provisioning message ({@code PUT /v1/message}) and is closed right after it, or after its
 * lifetime (close code {@value #CLOSE_EXPIRED}; the new device opens another and shows a new QR code). Requests
 * from the client are not served here.
 */
final class ProvisioningSocket extends ChannelInboundHandlerAdapter implements ProvisioningService.Channel {

  static final int CLOSE_EXPIRED = 4408;
  static final int CLOSE_DELIVERED = 1000;

  private final Channel channel;
  private final WebSocketServerHandshaker handshaker;
  private final ProvisioningService service;
  private final long lifetimeMillis;
  private final AtomicLong nextId = new AtomicLong(1);
  private volatile String address;
  private volatile ScheduledFuture<?> expiry;
  private boolean closing;

  ProvisioningSocket(Channel channel, WebSocketServerHandshaker handshaker, ProvisioningService service,
      long lifetimeMillis) {
    this.channel = channel;
    this.handshaker = handshaker;
    this.service = service;
    this.lifetimeMillis = lifetimeMillis;
  }

  void opened() {
    address = service.open(this);
    send(Route.PROVISIONING_ADDRESS, ProvisioningAddress.newBuilder().setAddress(address).build().toByteArray());
    expiry = channel.eventLoop().schedule(() -> close(CLOSE_EXPIRED, "Provisioning address expired; open a new one"),
        lifetimeMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean deliverAndClose(byte[] body) {
    synchronized (this) {
      if (closing || !channel.isActive()) {
        return false;
      }
      closing = true;
    }
    send(Route.PROVISIONING_MESSAGE, body);
    closeNow(CLOSE_DELIVERED, "Provisioned");
    return true;
  }

  private void send(Route route, byte[] body) {
    WebSocketMessage message = WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.REQUEST)
        .setRequest(WebSocketRequest.newBuilder().setId(nextId.getAndIncrement()).setVerb(route.verb()).setPath(route.template())
            .setBody(ByteString.copyFrom(body)))
        .build();
    channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message.toByteArray())));
  }

  /** Closes unless a delivery is already closing it; the address stops working before the close frame leaves. */
  private void close(int code, String reason) {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    closeNow(code, reason);
  }

  private void closeNow(int code, String reason) {
    if (address != null) {
      service.closed(address, this);
    }
    channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    WebSocketFrame frame = (WebSocketFrame) msg;
    try {
      if (frame instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      } else if (frame instanceof CloseWebSocketFrame close) {
        synchronized (this) {
          closing = true;
        }
        if (address != null) {
          service.closed(address, this);
        }
        handshaker.close(channel, close.retain());
      }
      // Anything else (the client's 200 answers) needs no reply.
    } finally {
      frame.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (address != null) {
      service.closed(address, this);
    }
    ScheduledFuture<?> e = expiry;
    if (e != null) {
      e.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      close(CLOSE_EXPIRED, "Idle for too long");
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
