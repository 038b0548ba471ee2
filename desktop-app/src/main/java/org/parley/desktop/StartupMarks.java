package org.parley.desktop;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Milestones of start-up (ms after the JVM started), printed by {@code --measure-startup}. */
public final class StartupMarks {

  private static final long JVM_START = ManagementFactory.getRuntimeMXBean().getStartTime();
  private static final Map<String, Long> MARKS = new ConcurrentHashMap<>();

  private StartupMarks() {}

  public static void mark(String name) {
    MARKS.putIfAbsent(name, System.currentTimeMillis() - JVM_START);
  }

  public static Map<String, Long> all() {
    return Map.copyOf(MARKS);
  }
}
