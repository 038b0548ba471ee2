package org.parley.server.messages;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Server GUIDs for stored messages: random version-4 UUIDs. They only need to be unique, not secret (a device can act
 * only on its own queue), so they come from ThreadLocalRandom rather than the contended SecureRandom behind
 * {@link UUID#randomUUID()}.
 */
final class Guids {

  private Guids() {}

  static String random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(most, least).toString();
  }
}
