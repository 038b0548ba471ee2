package org.parley.server.messages;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.server.storage.DeviceAddress;

/**
 * Recipient sets a sending device registered (ADR 0140): the devices of a group's other members, kept so each group
 * message names them by a 16-byte id instead of listing them. Held in memory only, per node: a set the server no
 * longer holds (idle past {@link Limits#idleLifetime}, evicted, a restart, another node) is simply registered again.
 * What a stranger can make the server hold is bounded per account (sets and devices, least recently used evicted
 * first) and for the whole server (refused when full).
 */
public final class RecipientSets {

  /** The bounds; {@link #DEFAULT} is what the server runs with. */
  public record Limits(int setsPerAccount, int devicesPerAccount, long devicesInTotal, Duration idleLifetime) {
    /**
     * 128 sets an account (the groups one writes to in a week), 65,536 devices an account (about ten groups of
     * 1,024 with linked devices), 1 M devices on the server (~80 bytes each at worst, one device per account: about
     * 80 MB), a week idle.
     */
    public static final Limits DEFAULT = new Limits(128, 65_536, 1L << 20, Duration.ofDays(7));
  }

  /** One account of a set: its devices and their registration ids, sorted by device id. */
  public record Member(String accountId, int[] deviceIds, int[] registrationIds) {
  }

  /** A registered set: whose it is and the devices it names. */
  public static final class RecipientSet {
    private final ByteString id;
    private final DeviceAddress owner;
    private final List<Member> members;
    private final int devices;
    private volatile long lastUsed;

    private RecipientSet(ByteString id, DeviceAddress owner, List<Member> members, int devices, long now) {
      this.id = id;
      this.owner = owner;
      this.members = members;
      this.devices = devices;
      this.lastUsed = now;
    }

    public ByteString id() {
      return id;
    }

    public List<Member> members() {
      return members;
    }

    public int devices() {
      return devices;
    }
  }

  /** Thrown when the server holds as many devices in sets as it may. */
  public static final class FullException extends Exception {
    FullException() {
      super("The server holds as many recipient sets as it may");
    }
  }

  private final Limits limits;
  private final Clock clock;
  private final Map<ByteString, RecipientSet> byId = new ConcurrentHashMap<>();
  /** Per owning account, its sets' ids in order of last registration (eviction order); guarded by {@code this}. */
  private final Map<String, LinkedHashMap<ByteString, RecipientSet>> byAccount = new HashMap<>();
  private final Map<String, Integer> devicesByAccount = new HashMap<>();
  private long devicesInTotal;

  public RecipientSets(Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Registers {@code members} (each account once, devices sorted) for {@code owner}; the same list again gives the
   * same id and only refreshes it. Evicts the account's least recently registered sets past its bounds.
   */
  public synchronized RecipientSet register(DeviceAddress owner, List<Member> members) throws FullException {
    ByteString id = idOf(owner, members);
    long now = clock.millis();
    RecipientSet existing = byId.get(id);
    if (existing != null && existing.owner.equals(owner)) {
      existing.lastUsed = now;
      LinkedHashMap<ByteString, RecipientSet> own = byAccount.get(owner.accountId());
      own.remove(id);
      own.put(id, existing); // now the most recently registered
      return existing;
    }
    int devices = members.stream().mapToInt(m -> m.deviceIds().length).sum();
    purgeExpired(now);
    if (devicesInTotal + devices > limits.devicesInTotal()) {
      throw new FullException();
    }
    RecipientSet set = new RecipientSet(id, owner, List.copyOf(members), devices, now);
    LinkedHashMap<ByteString, RecipientSet> own = byAccount.computeIfAbsent(owner.accountId(),
        a -> new LinkedHashMap<>());
    own.put(id, set);
    byId.put(id, set);
    add(owner.accountId(), devices);
    Iterator<RecipientSet> oldestFirst = own.values().iterator();
    while (own.size() > limits.setsPerAccount() || devicesByAccount.get(owner.accountId())
        > limits.devicesPerAccount()) {
      RecipientSet oldest = oldestFirst.next();
      if (oldest == set) {
        break; // a single set within the request limits is always kept
      }
      oldestFirst.remove();
      byId.remove(oldest.id);
      add(owner.accountId(), -oldest.devices);
    }
    return set;
  }

  /** The set with this id if {@code owner} registered it and it has not expired; marks it used. */
  public Optional<RecipientSet> find(DeviceAddress owner, ByteString id) {
    RecipientSet set = byId.get(id);
    if (set == null || !set.owner.equals(owner)) {
      return Optional.empty();
    }
    long now = clock.millis();
    if (now - set.lastUsed > limits.idleLifetime().toMillis()) {
      synchronized (this) {
        remove(set);
      }
      return Optional.empty();
    }
    set.lastUsed = now;
    return Optional.of(set);
  }

  /** Drops sets idle past their lifetime; returns how many. */
  public synchronized int purgeExpired(long now) {
    long oldest = now - limits.idleLifetime().toMillis();
    List<RecipientSet> expired = new ArrayList<>();
    for (RecipientSet set : byId.values()) {
      if (set.lastUsed < oldest) {
        expired.add(set);
      }
    }
    expired.forEach(this::remove);
    return expired.size();
  }

  /** How many sets the account holds now. */
  public synchronized int count(String accountId) {
    LinkedHashMap<ByteString, RecipientSet> own = byAccount.get(accountId);
    return own == null ? 0 : own.size();
  }

  public synchronized long devicesInTotal() {
    return devicesInTotal;
  }

  private void remove(RecipientSet set) {
    if (byId.remove(set.id, set)) {
      LinkedHashMap<ByteString, RecipientSet> own = byAccount.get(set.owner.accountId());
      own.remove(set.id);
      if (own.isEmpty()) {
        byAccount.remove(set.owner.accountId());
      }
      add(set.owner.accountId(), -set.devices);
    }
  }

  private void add(String accountId, int devices) {
    devicesInTotal += devices;
    int now = devicesByAccount.merge(accountId, devices, Integer::sum);
    if (now == 0) {
      devicesByAccount.remove(accountId);
    }
  }

  /** SHA-256 of the owner and the list in a canonical order (accounts sorted), first 16 bytes. */
  static ByteString idOf(DeviceAddress owner, List<Member> members) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
    update(digest, owner.accountId() + "/" + owner.deviceId());
    List<Member> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparing(Member::accountId));
    for (Member member : sorted) {
      update(digest, member.accountId());
      for (int i = 0; i < member.deviceIds().length; i++) {
        update(digest, member.deviceIds()[i] + ":" + member.registrationIds()[i]);
      }
    }
    return ByteString.copyFrom(digest.digest(), 0, 16);
  }

  private static void update(MessageDigest digest, String field) {
    byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
    digest.update((byte) (bytes.length >>> 8));
    digest.update((byte) bytes.length);
    digest.update(bytes);
  }
}
