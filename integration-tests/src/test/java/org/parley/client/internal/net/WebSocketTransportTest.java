package org.parley.client.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.store.AccountTable;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketRequest;
import org.parley.protocol.WhoAmIResponse;
import org.parley.testing.ParleyServerExtension;

/** Keep-alive pings find a link that went silent, and the transport reconnects by itself. */
class WebSocketTransportTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().users(1).build();

  /** A TCP relay whose existing connections can be frozen: nothing passes, nothing is closed (a dead NAT entry). */
  static final class Relay implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0);
    final Set<Socket> live = ConcurrentHashMap.newKeySet();
    final Set<Socket> frozen = ConcurrentHashMap.newKeySet();
    final AtomicInteger accepted = new AtomicInteger();

    Relay(int targetPort) throws IOException {
      daemon(() -> {
        while (!socket.isClosed()) {
          try {
            Socket client = socket.accept();
            Socket server = new Socket("127.0.0.1", targetPort);
            accepted.incrementAndGet();
            live.add(client);
            daemon(() -> pump(client, client, server));
            daemon(() -> pump(client, server, client));
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    void freezeAll() {
      frozen.addAll(live);
    }

    private void pump(Socket key, Socket from, Socket to) {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          while (frozen.contains(key)) {
            Thread.sleep(50);
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // one side closed
      }
    }

    private static void daemon(Runnable r) {
      Thread t = new Thread(r, "relay");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : live) {
        s.close();
      }
    }
  }

  @Test
  void aSilentLinkIsDetectedByPingsAndTheTransportReconnects() throws Exception {
    Path dir = parley.user(0).dataDir();
    parley.user(0).client().close();
    AccountTable.Row row;
    try (Database db = Database.open(dir)) {
      row = new AccountTable(db).get().orElseThrow();
    }
    Credentials credentials = new Credentials(row.accountId(), row.deviceId(), row.password());
    List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    AtomicInteger connected = new AtomicInteger();
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    WebSocketTransport.Listener listener = new WebSocketTransport.Listener() {
      @Override
      public int request(WebSocketRequest request) {
        return 200;
      }

      @Override
      public void connected() {
        connected.incrementAndGet();
      }

      @Override
      public void disconnected(int code, String reason, boolean permanent, boolean wasOpen) {
        closeCodes.add(code);
      }
    };
    SSLContext tls = SSLContext.getDefault();
    try (Relay relay = new Relay(parley.server().port());
        WebSocketTransport transport = new WebSocketTransport(URI.create("http://127.0.0.1:" + relay.socket
            .getLocalPort()), () -> tls, () -> credentials, scheduler,
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)), Duration.ofSeconds(1))) {
      transport.start(listener);
      await().atMost(Duration.ofSeconds(20)).until(() -> connected.get() == 1);

      relay.freezeAll();
      // No pong comes back: the transport gives up on the link (1006) within a few ping intervals...
      await().atMost(Duration.ofSeconds(15)).until(() -> !closeCodes.isEmpty());
      assertThat(closeCodes.get(0)).isEqualTo(1006);
      // ... and connects again through a fresh relay connection.
      await().atMost(Duration.ofSeconds(15)).until(() -> connected.get() == 2);
      assertThat(relay.accepted.get()).isGreaterThanOrEqualTo(2);
      var response = transport.request(Route.WHOAMI, null).get(10, TimeUnit.SECONDS);
      assertThat(response.getStatus()).isEqualTo(200);
      assertThat(WhoAmIResponse.parseFrom(response.getBody()).getAccountId()).isEqualTo(row.accountId());
    } finally {
      scheduler.shutdown();
    }
  }
}
