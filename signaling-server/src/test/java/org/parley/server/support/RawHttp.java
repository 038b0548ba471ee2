package org.parley.server.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 spoken over a plain socket, for requests a well-behaved client would not send: a body cut off half
 * way, a trickle, a Content-Length that lies, a chunked body longer than it may be, a download never read.
 */
public final class RawHttp implements AutoCloseable {

  /** A response as read off the wire. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  public RawHttp(int port) throws IOException {
    this(port, 0);
  }

  /** @param receiveBuffer the socket's receive buffer (0: the system's), small for a client that reads slowly */
  public RawHttp(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(20_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** Writes a request line and headers ({@code name: value} lines), then the blank line. */
  public RawHttp head(String verb, String path, String... headers) throws IOException {
    StringBuilder text = new StringBuilder(verb + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) {
      text.append(header).append("\r\n");
    }
    out.write(text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return this;
  }

  public RawHttp send(byte[] bytes, int offset, int length) throws IOException {
    out.write(bytes, offset, length);
    out.flush();
    return this;
  }

  /** One chunk of a chunked body (an empty one ends it). */
  public RawHttp chunk(byte[] bytes, int offset, int length) throws IOException {
    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes, offset, length);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return this;
  }

  public InputStream input() {
    return in;
  }

  /** Reads one response; its body by Content-Length (none for 1xx and answers to HEAD). */
  public Answer read() throws IOException {
    return read(false);
  }

  public Answer read(boolean toHead) throws IOException {
    String statusLine = line();
    if (statusLine.isEmpty()) {
      throw new EOFException("connection closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    byte[] body = new byte[0];
    String length = headers.get("content-length");
    if (length != null && status >= 200 && !toHead) {
      body = in.readNBytes(Integer.parseInt(length));
    }
    return new Answer(status, headers, body);
  }

  /** True when the server closed the connection (reads reach the end, or the connection was reset). */
  public boolean closedByServer() throws IOException {
    try {
      byte[] sink = new byte[65536];
      while (true) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
    } catch (SocketException reset) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
