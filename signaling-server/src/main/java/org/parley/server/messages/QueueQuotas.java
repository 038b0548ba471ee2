package org.parley.server.messages;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.server.api.ApiException;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.MessageQueue;

/**
 * What may still be added to the message queue (issue #17, finding 4; ADR 0170). Without these limits one stranger
 * could fill an offline person's queue, and every sender, real contacts included, would be refused for weeks.
 *
 * <ul>
 *   <li>the server as a whole: the queue's stored bytes stay within a budget, and the disk keeps some room free;
 *   <li>a device's queue: at most {@code maxPerDevice} messages;
 *   <li>strangers (senders the recipient's account has never written to) fill only a share of it: none once the
 *       queue holds {@code maxFromStrangers} messages, and each at most {@code maxPerStranger} of them, so neither
 *       one stranger nor all of them together can keep a contact's messages out.
 * </ul>
 *
 * <p>What one stranger has put in a queue is counted here since the queue was last seen empty; counts start over
 * after a restart (the shared stranger cap still holds then, as it reads the queue's real depth).
 */
public final class QueueQuotas {

  /**
   * @param maxPerDevice messages waiting for one device, from anyone
   * @param maxFromStrangers a queue this deep takes no more messages from strangers
   * @param maxPerStranger messages one stranger may have added to a queue since it was last empty
   * @param maxQueueBytes bytes all queues together may hold
   * @param minFreeDisk the queue's disk must keep this much free
   */
  public record Limits(int maxPerDevice, int maxFromStrangers, int maxPerStranger, long maxQueueBytes,
      long minFreeDisk) {

    public Limits {
      if (maxPerDevice < 1 || maxFromStrangers < 0 || maxPerStranger < 0 || maxQueueBytes < 1 || minFreeDisk < 0) {
        throw new IllegalArgumentException("queue limits must be positive: " + maxPerDevice + ", "
            + maxFromStrangers + ", " + maxPerStranger + ", " + maxQueueBytes + ", " + minFreeDisk);
      }
    }
  }

  /** A device's sender counts are dropped past this many senders (memory stays bounded; the shared cap holds). */
  static final int MAX_COUNTED_SENDERS = 10_000;
  private static final long DISK_CHECK_INTERVAL_MILLIS = 1_000;

  private final Limits limits;
  private final MessageQueue queue;
  private final Path storage;
  private final Clock clock;
  private final Map<DeviceAddress, Map<String, AtomicInteger>> strangerCounts = new ConcurrentHashMap<>();
  private volatile long nextDiskCheck = Long.MIN_VALUE;
  private volatile boolean diskLow;

  /** @param storage a directory on the disk the queue writes to (its free space is watched) */
  public QueueQuotas(Limits limits, MessageQueue queue, Path storage, Clock clock) {
    this.limits = limits;
    this.queue = queue;
    this.storage = storage;
    this.clock = clock;
  }

  public Limits limits() {
    return limits;
  }

  /** Refuses a send of {@code bytes} when the server's queue has no room for it. */
  void checkServerRoom(long bytes) throws ApiException {
    if (queue.storedBytes() + bytes > limits.maxQueueBytes() || diskLow()) {
      throw new ApiException(507, "server_storage_full",
          "The server has no room for more messages now; try again later");
    }
  }

  /** Refuses a message for {@code device} when its queue is full for everyone. */
  void checkDeviceRoom(DeviceAddress device, long depth) throws ApiException {
    if (depth >= limits.maxPerDevice()) {
      throw new ApiException(507, "queue_full", "Device " + device.deviceId() + " of the recipient has "
          + limits.maxPerDevice() + " undelivered messages; try again later");
    }
  }

  /**
   * Whether a message from {@code sender} would go past a stranger's share of {@code device}'s queue; if so, the
   * caller must find out whether the recipient has written to the sender (then it is no stranger).
   */
  boolean overStrangerShare(DeviceAddress device, long depth, String sender) {
    if (depth == 0) {
      // Everything counted has been delivered. A count of this sender's alone is reset rather than dropped and made
      // again by accepted() a moment later (a group's fan-out would do that for every device of every message).
      Map<String, AtomicInteger> counts = strangerCounts.get(device);
      AtomicInteger own = counts != null && counts.size() == 1 ? counts.get(sender) : null;
      if (own != null) {
        own.set(0);
      } else if (counts != null) {
        strangerCounts.remove(device);
      }
      return limits.maxFromStrangers() == 0 || limits.maxPerStranger() == 0;
    }
    if (depth >= limits.maxFromStrangers()) {
      return true;
    }
    if (depth < limits.maxPerStranger()) {
      return false; // nobody can have more waiting than the queue holds: a busy online device is never held up
    }
    Map<String, AtomicInteger> counts = strangerCounts.get(device);
    AtomicInteger count = counts == null ? null : counts.get(sender);
    return count != null && count.get() >= limits.maxPerStranger();
  }

  /** The error for a stranger over their share. */
  ApiException strangerRefused(DeviceAddress device) {
    return new ApiException(507, "stranger_quota", "Device " + device.deviceId() + " of the recipient has many "
        + "undelivered messages from people it has not written to; try again after it has been online");
  }

  /** Counts a message accepted from {@code sender} (who may be a stranger) into {@code device}'s queue. */
  void accepted(DeviceAddress device, String sender) {
    Map<String, AtomicInteger> counts = strangerCounts.computeIfAbsent(device, d -> new ConcurrentHashMap<>());
    if (counts.size() >= MAX_COUNTED_SENDERS) {
      counts.clear();
    }
    counts.computeIfAbsent(sender, s -> new AtomicInteger()).incrementAndGet();
  }

  private boolean diskLow() {
    if (limits.minFreeDisk() == 0) {
      return false;
    }
    long now = clock.millis();
    if (now < nextDiskCheck) {
      return diskLow;
    }
    nextDiskCheck = now + DISK_CHECK_INTERVAL_MILLIS;
    try {
      FileStore store = Files.getFileStore(storage);
      diskLow = store.getUsableSpace() < limits.minFreeDisk();
    } catch (IOException e) {
      diskLow = false; // not knowing the free space is no reason to refuse messages; writes fail loudly if full
    }
    return diskLow;
  }
}
