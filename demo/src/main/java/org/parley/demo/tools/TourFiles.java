package org.parley.demo.tools;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The files the screenshot tour sends: a drawn landscape photo and a one-page PDF. */
final class TourFiles {

  private TourFiles() {}

  /** A 1600 × 1000 "photo": an evening sky, a sun, hills and its reflection in a lake. */
  static Path sunset(Path file) throws IOException {
    int w = 1600;
    int h = 1000;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(0x2b, 0x3a, 0x8c), 0, h * 0.6f, new Color(0xff, 0x9a, 0x5a)));
    g.fillRect(0, 0, w, (int) (h * 0.6));
    g.setColor(new Color(0xff, 0xe0, 0x8a));
    g.fillOval(w / 2 - 110, 170, 220, 220);
    g.setColor(new Color(0x3b, 0x2a, 0x4a));
    g.fillPolygon(new Polygon(new int[] {0, 300, 520, 800, 1050, 1300, 1600, 1600, 0},
        new int[] {560, 380, 470, 340, 450, 390, 520, 600, 600}, 9));
    g.setPaint(new GradientPaint(0, h * 0.6f, new Color(0xc9, 0x6f, 0x5a), 0, h, new Color(0x1d, 0x24, 0x5a)));
    g.fillRect(0, (int) (h * 0.6), w, h);
    g.setColor(new Color(255, 224, 138, 120));
    g.setStroke(new BasicStroke(6));
    for (int i = 0; i < 9; i++) {
      int y = (int) (h * 0.62) + i * 34;
      int half = 120 - i * 11;
      g.drawLine(w / 2 - half, y, w / 2 + half, y);
    }
    g.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(image, "jpg", file.toFile());
    return file;
  }

  /** A 600 × 600 "photo" for a group's picture: snowy peaks under a blue sky, a green valley. */
  static Path summit(Path file) throws IOException {
    int s = 600;
    BufferedImage image = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(0x3a, 0x8d, 0xde), 0, s * 0.7f, new Color(0xbf, 0xe3, 0xff)));
    g.fillRect(0, 0, s, s);
    g.setColor(new Color(0x4a, 0x55, 0x6b));
    g.fillPolygon(new Polygon(new int[] {0, 170, 300, 430, 600, 600, 0}, new int[] {420, 180, 300, 120, 380, 600,
        600}, 7));
    g.setColor(Color.WHITE);
    g.fillPolygon(new Polygon(new int[] {130, 170, 215}, new int[] {235, 180, 240}, 3));
    g.fillPolygon(new Polygon(new int[] {380, 430, 485}, new int[] {190, 120, 200}, 3));
    g.setColor(new Color(0x3f, 0x9b, 0x4a));
    g.fillOval(-150, 430, 900, 400);
    g.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(image, "jpg", file.toFile());
    return file;
  }

  /** A minimal one-page PDF. */
  static Path pdf(Path file) throws IOException {
    String body = "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        + "2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
        + "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
        + "trailer <</Root 1 0 R>>\n%%EOF\n";
    StringBuilder padded = new StringBuilder(body);
    // About 48 kB, so the card shows a realistic size.
    for (int i = 0; i < 1200; i++) {
      padded.append("% day ").append(i).append(": walk, swim, read, eat well\n");
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, padded, StandardCharsets.US_ASCII);
    return file;
  }
}
