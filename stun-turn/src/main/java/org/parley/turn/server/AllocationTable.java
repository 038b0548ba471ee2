package org.parley.turn.server;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All allocations by 5-tuple, with the per-user, per-client-IP and total quotas (RFC 8656 section 7.2: 486 Allocation Quota
 * Reached, 508 Insufficient Capacity). An Allocate takes a pending slot first, while its relay socket is bound, so
 * quotas also count allocations still being made. Lookups are lock-free; changes are synchronized.
 */
final class AllocationTable {
  enum Admission { ADMITTED, USER_QUOTA, IP_QUOTA, TOTAL_QUOTA, IN_PROGRESS }

  private final Map<FiveTuple, Allocation> byTuple = new ConcurrentHashMap<>();
  private final Set<Integer> relayPorts = ConcurrentHashMap.newKeySet();
  private final Map<FiveTuple, String> pending = new HashMap<>();
  private final Map<String, Integer> perUser = new HashMap<>();
  private final Map<InetAddress, Integer> perIp = new HashMap<>();
  private final int userQuota;
  private final int totalQuota;
  private final int ipQuota;

  AllocationTable(int userQuota, int totalQuota, int ipQuota) {
    this.userQuota = userQuota;
    this.totalQuota = totalQuota;
    this.ipQuota = ipQuota;
  }

  Allocation get(FiveTuple tuple) {
    return byTuple.get(tuple);
  }

  /** True if this 5-tuple has a live allocation or one being made. */
  synchronized boolean holds(FiveTuple tuple) {
    return byTuple.containsKey(tuple) || pending.containsKey(tuple);
  }

  /** True if a live allocation relays from this port (of the server's relay address). */
  boolean isRelayPort(int port) {
    return relayPorts.contains(port);
  }

  synchronized Admission admit(FiveTuple tuple, String user) {
    if (pending.containsKey(tuple)) {
      return Admission.IN_PROGRESS;
    }
    if (totalQuota > 0 && byTuple.size() + pending.size() >= totalQuota) {
      return Admission.TOTAL_QUOTA;
    }
    int mine = perUser.getOrDefault(user, 0);
    if (userQuota > 0 && mine >= userQuota) {
      return Admission.USER_QUOTA;
    }
    InetAddress ip = tuple.client().getAddress();
    int fromIp = perIp.getOrDefault(ip, 0);
    if (ipQuota > 0 && fromIp >= ipQuota) {
      return Admission.IP_QUOTA;
    }
    pending.put(tuple, user);
    perUser.put(user, mine + 1);
    perIp.put(ip, fromIp + 1);
    return Admission.ADMITTED;
  }

  /** Gives back a pending slot whose Allocate failed. */
  synchronized void abandon(FiveTuple tuple) {
    String user = pending.remove(tuple);
    if (user != null) {
      decrement(user, tuple);
    }
  }

  /** Turns a pending slot into a live allocation; false if the slot was cancelled meanwhile (TCP closed). */
  synchronized boolean activate(Allocation a) {
    if (pending.remove(a.fiveTuple) == null) {
      return false;
    }
    // the per-user count taken at admission now belongs to the live allocation
    byTuple.put(a.fiveTuple, a);
    relayPorts.add(a.relayPort);
    return true;
  }

  /** Removes the allocation or pending slot of this 5-tuple; returns the live allocation, if there was one. */
  synchronized Allocation remove(FiveTuple tuple) {
    Allocation a = byTuple.remove(tuple);
    if (a != null) {
      relayPorts.remove(a.relayPort);
      decrement(a.username, tuple);
    }
    return a;
  }


  private void decrement(String user, FiveTuple tuple) {
    perUser.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    perIp.computeIfPresent(tuple.client().getAddress(), (ip, n) -> n <= 1 ? null : n - 1);
  }

  int size() {
    return byTuple.size();
  }

  List<Allocation> snapshot() {
    return new ArrayList<>(byTuple.values());
  }
}
