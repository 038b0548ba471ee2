package org.parley.cli;

import java.awt.Canvas;
import java.awt.Color;
import java.awt.Frame;
import java.awt.Graphics;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;

/**
 * Known content for the screen-sharing test, run in a child JVM on a virtual display: an undecorated window filling
 * the screen in four colours — red, green (top), blue, white (bottom). Prints "ready" once the screen shows them,
 * then stays until it is killed.
 */
public final class ScreenContent {

  static final Color[] QUADRANTS = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};

  private ScreenContent() {}

  public static void main(String[] args) throws Exception {
    Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice()
        .getDefaultConfiguration().getBounds();
    Frame frame = new Frame("Parley screen-sharing test");
    frame.setUndecorated(true);
    frame.setBounds(screen);
    frame.add(new Canvas() {
      @Override
      public void paint(Graphics g) {
        int w = getWidth() / 2;
        int h = getHeight() / 2;
        for (int i = 0; i < 4; i++) {
          g.setColor(QUADRANTS[i]);
          g.fillRect(i % 2 * w, i / 2 * h, w, h);
        }
      }
    });
    frame.setVisible(true);
    Robot robot = new Robot();
    for (int attempt = 0; attempt < 200; attempt++) {
      boolean shown = true;
      for (int i = 0; i < 4; i++) {
        shown &= robot.getPixelColor(screen.width / 4 + i % 2 * screen.width / 2,
            screen.height / 4 + i / 2 * screen.height / 2).equals(QUADRANTS[i]);
      }
      if (shown) {
        System.out.println("ready");
        System.out.flush();
        break;
      }
      Thread.sleep(100);
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
