package org.parley.turn.stack;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a TCP byte stream into whole messages (RFC 8656 section 12.5): STUN messages start with 0b00 and are 20
 * bytes plus their length field; ChannelData messages start with 0b01 and are 4 bytes plus their length, padded to
 * a multiple of 4. Any other first two bits mean the stream cannot be framed: the connection is closed.
 */
final class TcpFrameDecoder extends ByteToMessageDecoder {
  private final Runnable onUnframeable;

  TcpFrameDecoder(Runnable onUnframeable) {
    this.onUnframeable = onUnframeable;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 4) {
      int start = in.readerIndex();
      int first = in.getUnsignedByte(start);
      int length = in.getUnsignedShort(start + 2);
      int frame;
      if ((first & 0xC0) == 0) {
        frame = 20 + length;
      } else if ((first & 0xC0) == 0x40) {
        frame = 4 + ((length + 3) & ~3);
      } else {
        in.skipBytes(in.readableBytes());
        onUnframeable.run();
        ctx.close();
        return;
      }
      if (in.readableBytes() < frame) {
        return;
      }
      out.add(in.readRetainedSlice(frame));
    }
  }
}
