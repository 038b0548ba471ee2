package org.parley.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.parley.client.api.ParleyClient;
import org.parley.server.support.TestServer;

/**
 * A real signaling server in this JVM (through {@link TestServer}) and real registered clients, for a JUnit 5 test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ParleyServerExtension parley = ParleyServerExtension.builder().users(2).build();
 *
 * @Test
 * void aliceWritesToBob() throws Exception {
 *   TestUser alice = parley.user(0);
 *   TestUser bob = parley.user(1);
 *   alice.client().connect();
 *   bob.client().connect();
 *   alice.client().send(bob.number(), "hi");
 *   await().until(() -> bob.events().received.size() == 1);
 * }
 * }</pre>
 *
 * <p>Registered in a {@code static} field, one server serves every test of the class (the quick choice when the tests
 * use their own users, as they do with {@link #users}); in an instance field, each test gets a server of its own.
 * The {@link #users} are registered anew before each test. Every client the extension opened — those users, and
 * whatever {@link #register}, {@link #reopen} and {@link #link} opened — is closed when the scope it was opened in
 * ends: the test, or the class for clients opened in a {@code @BeforeAll} method. The server stops last.
 */
public final class ParleyServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  /** Reusable: each start makes a new data directory. */
  private final TestServer.Builder servers;
  private final int userCount;

  private TestServer server;
  private boolean serverPerTest;
  private boolean inTest;
  private final List<AutoCloseable> classClients = new ArrayList<>();
  private final List<AutoCloseable> testClients = new ArrayList<>();
  private List<TestUser> users = List.of();

  private ParleyServerExtension(Builder builder) {
    this.servers = builder.servers;
    this.userCount = builder.users;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What the server runs with, and how many users each test gets. */
  public static final class Builder {
    private final TestServer.Builder servers = TestServer.builder();
    private int users;

    private Builder() {}

    /** The embedded STUN/TURN server on a free port (calls); off by default. */
    public Builder turn() {
      servers.turn(true);
      return this;
    }

    /** An environment-style server setting, e.g. {@code setting("PARLEY_MESSAGES_MAX_CONTENT_BYTES", "4000")}. */
    public Builder setting(String name, String value) {
      servers.setting(name, value);
      return this;
    }

    /** Registers {@code count} users, each with a new number and data directory, before every test. */
    public Builder users(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("the number of users cannot be negative, got " + count);
      }
      this.users = count;
      return this;
    }

    public ParleyServerExtension build() {
      return new ParleyServerExtension(this);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = servers.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (server == null) {
      server = servers.start();
      serverPerTest = true;
    }
    inTest = true;
    users = registerAtOnce(userCount);
  }

  /**
   * Registers {@code count} new users side by side: registrations are independent and mostly CPU (keys, the local
   * database), so on two cores this takes less than one after the other.
   */
  private List<TestUser> registerAtOnce(int count) throws Exception {
    if (count == 0) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(count, task -> new Thread(task, "register-user"));
    try {
      List<Future<TestUser>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        pending.add(pool.submit(() -> newUser(Users.newNumber(), Files.createTempDirectory("parley-client"))));
      }
      List<TestUser> registered = new ArrayList<>();
      Exception failure = null;
      for (Future<TestUser> user : pending) {
        try {
          registered.add(user.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = new IllegalStateException("registering a test user failed", e.getCause());
          }
        }
      }
      registered.forEach(user -> track(user.client()));
      if (failure != null) {
        throw failure;
      }
      return List.copyOf(registered);
    } finally {
      pool.shutdown();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    users = List.of();
    inTest = false;
    try {
      closeAll(testClients);
    } finally {
      if (serverPerTest) {
        server.close();
        server = null;
        serverPerTest = false;
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      closeAll(classClients);
    } finally {
      if (server != null) {
        server.close();
        server = null;
      }
    }
  }

  /** The running server: its URL, data directory, dev SMS codes, queue depth, clock; it can stop and restart. */
  public TestServer server() {
    if (server == null) {
      throw new IllegalStateException("the Parley server runs only while a test class or test of its own runs; "
          + "is the extension registered with @RegisterExtension?");
    }
    return server;
  }

  public URI url() {
    return server().url();
  }

  /** The {@code index}-th of this test's {@link Builder#users users}. */
  public TestUser user(int index) {
    if (index < 0 || index >= users.size()) {
      throw new IndexOutOfBoundsException("user " + index + " asked for, but this test has " + users.size()
          + " (ParleyServerExtension.builder().users(n))");
    }
    return users.get(index);
  }

  /** This test's {@link Builder#users users}, in order. */
  public List<TestUser> users() {
    return users;
  }

  /** A new number. */
  public String newNumber() {
    return Users.newNumber();
  }

  /** Registers a new user with a new number and data directory. */
  public TestUser register() throws Exception {
    return register(Users.newNumber());
  }

  public TestUser register(String number) throws Exception {
    return register(number, Files.createTempDirectory("parley-client"));
  }

  /** Registers {@code number} in {@code dataDir}; a number registered before moves to this new device. */
  public TestUser register(String number, Path dataDir) throws Exception {
    TestUser user = newUser(number, dataDir);
    track(user.client());
    return user;
  }

  private TestUser newUser(String number, Path dataDir) throws Exception {
    ParleyClient client = Users.register(server(), number, dataDir);
    Recorder events = new Recorder();
    client.addListener(events);
    return new TestUser(number, dataDir, client, events);
  }

  /** Opens the client of an existing data directory again (not connected). */
  public ParleyClient reopen(Path dataDir) throws Exception {
    return track(Users.reopen(server(), dataDir));
  }

  /** A new device showing its link, waiting for a primary to add it. */
  public Linker link(String deviceName) throws Exception {
    Linker linker = Linker.start(server(), deviceName);
    track(linker.client);
    return linker;
  }

  private <T extends AutoCloseable> T track(T client) {
    (inTest ? testClients : classClients).add(client);
    return client;
  }

  private static void closeAll(List<AutoCloseable> clients) {
    RuntimeException failure = null;
    for (AutoCloseable client : clients) {
      try {
        client.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing a test client failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    clients.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
