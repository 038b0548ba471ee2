package org.parley.turn.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchingWriterTest {
  /**
   * The interleaving that once stranded packets (found by the coturn benchmark): the loop writes and schedules a
   * flush; before that flush runs, another thread writes. That write must still be flushed.
   */
  @Test
  void aWriteFromAnotherThreadWhileAFlushIsPendingIsStillSent() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(lo, 0))) {
      receiver.setSoTimeout(5000);
      Channel ch = new Bootstrap().group(group).channel(NioDatagramChannel.class)
          .handler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress(lo, 0)).sync().channel();
      BatchingWriter writer = new BatchingWriter(ch);
      InetSocketAddress to = (InetSocketAddress) receiver.getLocalSocketAddress();
      ch.eventLoop().submit(() -> {
        writer.write(packet("one", to));
        Thread other = new Thread(() -> writer.write(packet("two", to)));
        other.start();
        other.join();
        return null;
      }).sync();

      List<String> got = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        // fully qualified: clashes with Netty's DatagramPacket, imported above
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[100], 100); // fully qualified: see above
        receiver.receive(p);
        got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
      }
      assertThat(got).containsExactlyInAnyOrder("one", "two");
      ch.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static DatagramPacket packet(String text, InetSocketAddress to) {
    return new DatagramPacket(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), to);
  }
}
