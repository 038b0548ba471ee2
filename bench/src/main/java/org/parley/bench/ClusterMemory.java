package org.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of every process of a cluster (issue #15): the nodes' heap after a full GC, and the proportional set size
 * (PSS: shared pages split among the processes sharing them, so PostgreSQL's shared buffers are not counted once per
 * backend) of the nodes, PostgreSQL (the postmaster and its backends), Redis and HAProxy, from /proc.
 */
record ClusterMemory(long nodesHeap, long nodesPss, long postgresPss, long redisPss, long haproxyPss) {

  private static final Pattern CONNECTIONS = Pattern.compile("(?m)^parley_connections(?:\\{[^}]*})? ([0-9.eE+]+)$");

  static ClusterMemory measure(List<ServerUnderTest> nodes, long postgresPid, long redisPid, long haproxyPid)
      throws IOException, InterruptedException {
    long heap = 0;
    long pss = 0;
    for (ServerUnderTest node : nodes) {
      heap += node.heapAfterGcBytes();
      pss += pssBytes(node.process.pid());
    }
    long postgres = 0;
    for (long pid : withChildren(postgresPid)) {
      postgres += pssBytes(pid);
    }
    return new ClusterMemory(heap, pss, postgres, pssBytes(redisPid), pssBytes(haproxyPid));
  }

  /** Devices connected to a node, from its parley_connections gauge. */
  static int connectedDevices(ServerUnderTest node) throws IOException, InterruptedException {
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher gauge = CONNECTIONS.matcher(metrics.body());
    if (!gauge.find()) {
      throw new IOException("no parley_connections on node port " + node.port);
    }
    return (int) Double.parseDouble(gauge.group(1));
  }

  /**
   * Per connection, in kB, from {@code before} to this: the live total (the nodes' heap after GC plus the other
   * processes' PSS growth) with its parts, and the resident total (every process's PSS growth, the nodes' JVMs
   * having grown their heaps and buffers as they like).
   */
  String perConnection(ClusterMemory before, int connections) {
    double heap = kb(nodesHeap - before.nodesHeap, connections);
    double nodes = kb(nodesPss - before.nodesPss, connections);
    double postgres = kb(postgresPss - before.postgresPss, connections);
    double redis = kb(redisPss - before.redisPss, connections);
    double haproxy = kb(haproxyPss - before.haproxyPss, connections);
    return String.format("%.1f kB per connection live = nodes' heap after GC %.1f + PostgreSQL %.1f + Redis %.1f +"
        + " HAProxy %.1f (PSS growth); %.1f kB resident (with the nodes' PSS growth %.1f instead of their heap)",
        heap + postgres + redis + haproxy, heap, postgres, redis, haproxy, nodes + postgres + redis + haproxy, nodes);
  }

  private static double kb(long bytes, int connections) {
    return bytes / 1024.0 / connections;
  }

  /** Proportional set size in bytes, from /proc/PID/smaps_rollup; 0 for no process (pid 0, or gone). */
  static long pssBytes(long pid) throws IOException {
    if (pid <= 0) {
      return 0;
    }
    Path rollup = Path.of("/proc", Long.toString(pid), "smaps_rollup");
    if (!Files.exists(rollup)) {
      return 0;
    }
    for (String line : Files.readAllLines(rollup)) {
      if (line.startsWith("Pss:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no Pss in " + rollup);
  }

  /** The process and its direct children (PostgreSQL's backends and helpers). */
  private static List<Long> withChildren(long pid) throws IOException {
    List<Long> pids = new ArrayList<>();
    if (pid <= 0) {
      return pids;
    }
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(p -> p.children().forEach(c -> pids.add(c.pid())));
    return pids;
  }
}
