package org.parley.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The operators' port: {@code /metrics} (Prometheus text), {@code /health} (alive) and {@code /ready} (ready for new
 * clients, {@link Readiness}), apart from the port clients use, so
 * that what the server counts (users, queue depths, errors) is not served to anyone who can reach it. It listens on
 * loopback by default (ADR 0170); one thread answers, since a scrape every few seconds is all it serves.
 */
public final class AdminEndpoint implements AutoCloseable {

  private final HttpServer http;
  private final ExecutorService thread;

  private AdminEndpoint(HttpServer http, ExecutorService thread) {
    this.http = http;
    this.thread = thread;
  }

  /** Listens on {@code host:port} (0: any free port). */
  public static AdminEndpoint start(String host, int port, ServerMetrics metrics, Readiness readiness)
      throws IOException {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new IOException("Cannot listen on the admin address " + host + ":" + port + " (admin.host, admin.port; "
          + "admin.port = -1 turns it off): " + e.getMessage(), e);
    }
    ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "parley-admin");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(thread);
    http.createContext("/", exchange -> {
      try (exchange) {
        answer(exchange, metrics, readiness);
      }
    });
    http.start();
    return new AdminEndpoint(http, thread);
  }

  private static void answer(HttpExchange exchange, ServerMetrics metrics, Readiness readiness)
      throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    exchange.getRequestBody().close(); // nothing here takes a body; do not read one
    if (!path.equals("/metrics") && !path.equals("/health") && !path.equals("/ready")) {
      send(exchange, 404, "Not found: the admin port serves /metrics, /health and /ready\n", method);
    } else if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "Only GET and HEAD\n", method);
    } else if (path.equals("/health")) {
      send(exchange, 200, "ok\n", method);
    } else if (path.equals("/ready")) {
      Readiness.Answer answer = readiness.answer();
      send(exchange, answer.ready() ? 200 : 503, answer.reason() + "\n", method);
    } else {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      send(exchange, 200, metrics.scrape(), method);
    }
  }

  private static void send(HttpExchange exchange, int status, String text, String method) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    }
    boolean head = method.equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    thread.shutdownNow();
  }
}
