package org.parley.desktop.vm;

/**
 * A decoded picture, scaled for the screen: {@code width × height} pixels, ARGB, row by row. Plain Java so the
 * decoding runs and is tested without JavaFX; the view copies it into an image.
 */
public record Pixels(int width, int height, int[] argb) {

  public Pixels {
    if (width <= 0 || height <= 0 || argb.length != width * height) {
      throw new IllegalArgumentException("Bad picture size " + width + " x " + height);
    }
  }
}
