package org.parley.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.parley.client.api.InvalidInputException;

/** A PIN from the command line, or from stdin when given as {@code -} (so it stays out of the process list). */
final class Pins {

  private Pins() {}

  static String read(String argument, ParleyCli parent) throws InvalidInputException {
    if (!"-".equals(argument)) {
      return argument;
    }
    try {
      String line = new BufferedReader(new InputStreamReader(parent.in, StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new InvalidInputException("No PIN on stdin");
      }
      return line;
    } catch (IOException e) {
      throw new InvalidInputException("Could not read the PIN from stdin: " + e.getMessage(), e);
    }
  }
}
