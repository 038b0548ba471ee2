package org.parley.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of the server that forwards everything, but client-to-server bytes at a limited
 * rate: a slow uplink, so that a test can kill a client in the middle of an upload.
 */
final class ThrottledProxy implements AutoCloseable {

  private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final int targetPort;
  private final long upBytesPerSecond;
  /** Client-to-server bytes forwarded so far. */
  final AtomicLong forwardedUp = new AtomicLong();

  ThrottledProxy(int targetPort, long upBytesPerSecond) throws IOException {
    this.targetPort = targetPort;
    this.upBytesPerSecond = upBytesPerSecond;
    Thread acceptor = new Thread(this::accept, "throttled-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        pump(client, server, true);
        pump(server, client, false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean up) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[8192];
      long started = System.nanoTime();
      long sent = 0;
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          out.write(buffer, 0, n);
          out.flush();
          if (up) {
            sent += n;
            forwardedUp.addAndGet(n);
            // Ahead of the allowed rate: wait until the average is back at it.
            long due = started + TimeUnit.SECONDS.toNanos(1) * sent / upBytesPerSecond;
            long ahead = due - System.nanoTime();
            if (ahead > 0) {
              TimeUnit.NANOSECONDS.sleep(ahead);
            }
          }
        }
      } catch (IOException | InterruptedException e) {
        // one side closed: close the other
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, up ? "proxy-up" : "proxy-down");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    sockets.forEach(ThrottledProxy::closeQuietly);
  }
}
