package org.parley.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.parley.desktop.vm.Pictures;
import org.parley.desktop.vm.Pixels;

/** Echo's answer to a picture: the same picture mirrored left to right, at most {@link #MAX_SIDE} pixels a side. */
final class EchoPictures {

  /** Whatever the size of the picture received, Echo decodes and sends back at most this much. */
  static final int MAX_SIDE = 1280;

  private EchoPictures() {}

  /** Reads the picture in {@code in}, mirrors it and writes it to {@code out} as a PNG. */
  static void mirror(InputStream in, Path out) throws IOException {
    Pixels p = Pictures.decode(in, MAX_SIDE, MAX_SIDE);
    int[] mirrored = new int[p.argb().length];
    for (int y = 0; y < p.height(); y++) {
      int row = y * p.width();
      for (int x = 0; x < p.width(); x++) {
        mirrored[row + x] = p.argb()[row + p.width() - 1 - x];
      }
    }
    Pictures.writePng(new Pixels(p.width(), p.height(), mirrored), out);
  }
}
