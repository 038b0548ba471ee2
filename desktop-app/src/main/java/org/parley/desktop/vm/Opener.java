package org.parley.desktop.vm;

import java.io.IOException;
import java.nio.file.Path;

/** Hands a file to the desktop's default application for its type (outside the app: the view supplies it). */
public interface Opener {
  void open(Path file) throws IOException;
}
