package org.parley.demo.tools;

import com.sun.net.httpserver.HttpServer;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * A tile server on loopback for the screenshot tour, so the pictures never depend on (or download from) a real
 * tile server: each /z/x/y.png is drawn on request — blocks of a made-up town, streets on a grid in world
 * coordinates (so they continue across tiles), a park here and there and a river. Not a real map of anywhere.
 */
final class TourTiles implements AutoCloseable {

  private static final Pattern TILE = Pattern.compile("/(\\d+)/(\\d+)/(\\d+)\\.png");
  private final HttpServer server;

  TourTiles() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      Matcher m = TILE.matcher(exchange.getRequestURI().getPath());
      if (!m.matches()) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] png = draw(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
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

  private static byte[] draw(int zoom, int tx, int ty) throws IOException {
    BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    long left = (long) tx * 256;
    long top = (long) ty * 256;
    if (zoom < 11) {
      // Far out: land and sea only.
      for (int y = 0; y < 256; y += 4) {
        for (int x = 0; x < 256; x += 4) {
          double wx = (left + x) / (256.0 * (1 << zoom));
          double wy = (top + y) / (256.0 * (1 << zoom));
          boolean land = Math.sin(wx * 19) + Math.cos(wy * 23) + Math.sin((wx + wy) * 7) > -0.2;
          g.setColor(land ? new Color(0xeeeae0) : new Color(0xaad3df));
          g.fillRect(x, y, 4, 4);
        }
      }
    } else {
      g.setColor(new Color(0xf2efe9));
      g.fillRect(0, 0, 256, 256);
      int block = 1 << Math.max(4, zoom - 9); // streets every `block` pixels, closer as one zooms in
      long firstX = Math.floorDiv(left, block) * block;
      long firstY = Math.floorDiv(top, block) * block;
      for (long by = firstY; by < top + 256; by += block) {
        for (long bx = firstX; bx < left + 256; bx += block) {
          long cell = (bx / block) * 31 + (by / block) * 17;
          Color fill = Math.floorMod(cell, 7) == 0 ? new Color(0xc8facc) : new Color(0xe0dcd6);
          g.setColor(fill);
          int inset = Math.max(2, block / 10);
          g.fillRect((int) (bx - left) + inset, (int) (by - top) + inset, block - 2 * inset, block - 2 * inset);
        }
      }
      g.setColor(Color.WHITE);
      g.setStroke(new BasicStroke(Math.max(2, block / 12f)));
      for (long x = firstX; x < left + 256; x += block) {
        g.drawLine((int) (x - left), 0, (int) (x - left), 256);
      }
      for (long y = firstY; y < top + 256; y += block) {
        g.drawLine(0, (int) (y - top), 256, (int) (y - top));
      }
      // A main road every fourth street, in yellow.
      g.setColor(new Color(0xf7fabf));
      g.setStroke(new BasicStroke(Math.max(3, block / 7f)));
      for (long x = Math.floorDiv(left, block * 4L) * block * 4; x < left + 256; x += block * 4L) {
        g.drawLine((int) (x - left), 0, (int) (x - left), 256);
      }
      // A river wandering west to east.
      g.setColor(new Color(0xaad3df));
      g.setStroke(new BasicStroke(Math.max(6, block / 3f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      double period = block * 9.0;
      long band = block * 6L;
      for (long start = Math.floorDiv(top - band, band) * band; start < top + 256 + band; start += band) {
        double baseY = start + block * 3.5;
        int prevX = -8;
        int prevY = (int) (baseY + Math.sin((left - 8) / period) * block * 1.5 - top);
        for (int x = 0; x <= 264; x += 8) {
          int y = (int) (baseY + Math.sin((left + x) / period) * block * 1.5 - top);
          g.drawLine(prevX, prevY, x, y);
          prevX = x;
          prevY = y;
        }
      }
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
