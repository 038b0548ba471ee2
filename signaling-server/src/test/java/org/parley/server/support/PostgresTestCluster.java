package org.parley.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: the machine's own PostgreSQL binaries (Debian's {@code postgresql}
 * package, /usr/lib/postgresql/N/bin, or {@code PARLEY_PG_BIN}), a cluster initialised into a temporary directory and
 * started on a free loopback port, stopped and deleted when the JVM exits. PostgreSQL refuses to run as root, so as
 * root the cluster belongs to {@code nobody} and every PostgreSQL command runs through {@code runuser}.
 *
 * <p>One cluster per JVM ({@link #shared}); each test takes a fresh, empty database of it ({@link #newDatabase}).
 */
public final class PostgresTestCluster {

  public static final String USER = "parley";
  private static final String UNPRIVILEGED = "nobody";
  private static PostgresTestCluster shared;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asNobody;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresTestCluster(Path bin, Path dir, int port, boolean asNobody) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asNobody = asNobody;
  }

  /** The JVM's cluster, started on first use. */
  public static synchronized PostgresTestCluster shared() {
    if (shared == null) {
      try {
        shared = start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "postgres-test-cluster-stop"));
    }
    return shared;
  }

  private static PostgresTestCluster start() throws IOException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("parley-pg");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      run(List.of("chown", UNPRIVILEGED, dir.toString()), false);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PostgresTestCluster cluster = new PostgresTestCluster(bin, dir, port, root);
    // --no-sync and fsync=off: a test cluster need not survive a power cut, and tests run faster without fsync.
    cluster.pg("initdb", "-D", dir.resolve("data").toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
        "--locale=C", "--no-sync");
    cluster.startServer();
    return cluster;
  }

  /**
   * A cluster of its own (not {@link #shared}) for a test that stops and starts PostgreSQL under running servers;
   * deleted when the JVM exits.
   */
  public static PostgresTestCluster startPrivate() {
    try {
      PostgresTestCluster cluster = start();
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "postgres-test-cluster-stop"));
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server (again, after {@link #stopServer}) on the same port and data. */
  public void startServer() throws IOException {
    pg("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
            + " -c fsync=off -c full_page_writes=off -c max_connections=300",
        "start");
  }

  /**
   * Stops the server at once, as a crash would (committed transactions survive, open connections break), keeping
   * its data for {@link #startServer}.
   */
  public void stopServer() throws IOException {
    pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
  }

  /** PARLEY_PG_BIN, else the newest /usr/lib/postgresql/N/bin that has initdb. */
  private static Path binaries() throws IOException {
    String configured = System.getenv("PARLEY_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path debian = Path.of("/usr/lib/postgresql");
    Optional<Path> newest = Optional.empty();
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")))
            .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString()
                .replaceAll("\\D", "0"))));
      }
    }
    return newest.orElseThrow(() -> new IllegalStateException("No PostgreSQL server binaries: install Debian's"
        + " postgresql package (scripts/test-all.sh does) or set PARLEY_PG_BIN to the directory with initdb"));
  }

  private void pg(String command, String... args) throws IOException {
    List<String> line = new ArrayList<>();
    if (asNobody) {
      line.addAll(List.of("runuser", "-u", UNPRIVILEGED, "--"));
    }
    line.add(bin.resolve(command).toString());
    line.addAll(List.of(args));
    run(line, true);
  }

  private static void run(List<String> command, boolean inTempDir) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (inTempDir) {
      // runuser keeps the working directory, which nobody may not be allowed to enter.
      builder.directory(Path.of(System.getProperty("java.io.tmpdir")).toFile());
    }
    Process process = builder.start();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
    }
  }

  public int port() {
    return port;
  }

  /** The URL of database {@code name} on this cluster. */
  public String url(String name) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  /** Creates a new empty database and returns its URL (user {@link #USER}, no password). */
  public String newDatabase() {
    String name = "test_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("creating test database " + name, e);
    }
    return url(name);
  }

  /** Stops the server at once (as after a crash: it recovers from its WAL at the next start). */
  public void stop() {
    try {
      pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    } catch (IOException e) {
      System.err.println("stopping the test PostgreSQL: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("deleting " + dir + ": " + e.getMessage());
    }
  }
}
