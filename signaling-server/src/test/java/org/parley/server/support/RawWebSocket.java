package org.parley.server.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket spoken byte by byte over a plain socket (RFC 6455 framing), for frames no well-behaved client library
 * would send: a header announcing an oversize payload, or fragments that add up to too much.
 */
public final class RawWebSocket implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  public RawWebSocket(int port, String authorization) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    out.write(("GET /v1/websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
        + "Authorization: " + authorization + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    String status = readLine(in);
    if (!status.contains(" 101 ")) {
      throw new IOException("upgrade refused: " + status);
    }
    while (!readLine(in).isEmpty()) {
      // skip the response headers
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /**
   * Writes a client frame header (FIN flag, opcode, masked, 64-bit length) followed by {@code payload}, which may be
   * shorter than the announced length.
   */
  public void writeFrame(boolean fin, int opcode, long announcedLength, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    frame.write(0x80 | 127); // masked, 64-bit length follows
    writeLength64(frame, announcedLength);
    writeMasked(frame, payload);
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Writes a whole masked client frame with the shortest length encoding, as a well-behaved client does. */
  public void writeMinimalFrame(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65_536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      writeLength64(frame, payload.length);
    }
    writeMasked(frame, payload);
    out.write(frame.toByteArray());
  }

  private static void writeLength64(ByteArrayOutputStream frame, long length) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.write((int) (length >>> shift) & 0xff);
    }
  }

  /** The mask (always 1, 2, 3, 4: the server must not care), then the payload masked with it. */
  private static void writeMasked(ByteArrayOutputStream frame, byte[] payload) throws IOException {
    byte[] mask = {1, 2, 3, 4};
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
  }

  /** A masked client ping with a payload of at most 125 bytes, as RFC 6455 section 5.5 allows control frames. */
  public static byte[] pingFrame(int payloadLength) {
    if (payloadLength > 125) {
      throw new IllegalArgumentException("control frames carry at most 125 bytes");
    }
    byte[] frame = new byte[2 + 4 + payloadLength];
    frame[0] = (byte) 0x89; // FIN, opcode 9 (ping)
    frame[1] = (byte) (0x80 | payloadLength); // masked, 7-bit length
    frame[2] = 1;
    frame[3] = 2;
    frame[4] = 3;
    frame[5] = 4;
    return frame; // zero payload bytes XOR the mask: any bytes will do for a ping
  }

  /** The socket's output, for writing frames in bulk. */
  public OutputStream output() {
    return out;
  }

  /** A frame from the server: its opcode (2 binary, 8 close, ...) and payload. */
  public record Frame(int opcode, byte[] payload) {
    /** The status code of a close frame (1005 when it has none). */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  /** Reads the next server frame (unfragmented, as this server sends them). */
  public Frame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  /** Reads server frames until a close frame and returns its status code. */
  public int readCloseCode() throws IOException {
    while (true) {
      Frame frame = readFrame();
      if (frame.opcode() == 0x8) {
        return frame.closeCode();
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
