package org.parley.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;

/**
 * The baseline for the attachment benchmark: the JDK's own HTTP server storing a PUT body in a file (fsync before
 * answering, as Parley does) and answering GET with the file. No authentication, no ranges, no limits: what a plain
 * HTTP copy of the same bytes costs on this machine. Run in its own process by {@link AttachmentBench}.
 */
public final class PlainFileServer {

  private PlainFileServer() {}

  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args[0]);
    Files.createDirectories(directory);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/files/", exchange -> {
      try (exchange) {
        Path file = directory.resolve(Path.of(exchange.getRequestURI().getPath()).getFileName().toString());
        switch (exchange.getRequestMethod()) {
          case "PUT" -> store(exchange, file);
          case "GET" -> serve(exchange, file);
          default -> exchange.sendResponseHeaders(405, -1);
        }
      }
    });
    server.start();
    System.out.println("plain file server listening on 127.0.0.1:" + server.getAddress().getPort());
    System.out.flush();
  }

  private static void store(HttpExchange exchange, Path file) throws IOException {
    try (InputStream body = exchange.getRequestBody();
        FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buffer = new byte[1 << 17];
      for (int n; (n = body.read(buffer)) > 0; ) {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
      out.force(false);
    }
    exchange.sendResponseHeaders(201, -1);
  }

  private static void serve(HttpExchange exchange, Path file) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.sendResponseHeaders(200, Files.size(file));
    try (OutputStream out = exchange.getResponseBody()) {
      Files.copy(file, out);
    }
  }
}
