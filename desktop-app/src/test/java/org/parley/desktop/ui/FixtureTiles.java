package org.parley.desktop.ui;

import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A tile server on loopback for UI tests: every /z/x/y.png is a generated 256-pixel PNG (a tint per tile and a
 * grid), so the app's real cache and map run without the internet. Records what it was asked and by whom.
 */
final class FixtureTiles implements AutoCloseable {

  private static final Pattern TILE = Pattern.compile("/(\\d+)/(\\d+)/(\\d+)\\.png");

  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> userAgents = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  FixtureTiles() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      Matcher m = TILE.matcher(exchange.getRequestURI().getPath());
      requests.add(exchange.getRequestURI().getPath());
      userAgents.add(String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
      if (!m.matches()) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] png = tile(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
      exchange.getResponseHeaders().add("Content-Type", "image/png");
      exchange.sendResponseHeaders(200, png.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(png);
      }
    });
    server.start();
  }

  String template() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/{z}/{x}/{y}.png";
  }

  private static byte[] tile(int x, int y) {
    BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor((x + y) % 2 == 0 ? new Color(0xe8eedf) : new Color(0xdfe6ee));
    g.fillRect(0, 0, 256, 256);
    g.setColor(new Color(0xffffff));
    for (int i = 0; i < 256; i += 32) {
      g.fillRect(i, 0, 3, 256);
      g.fillRect(0, i, 256, 3);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
