package org.parley.desktop.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.location.MapTile;

/**
 * The disk cache against a real tile server on loopback (the JDK's HttpServer): what it sends, what it keeps, the
 * size cap and which tiles go first, bad answers and an unreachable server, and never more than two downloads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TileCacheTest {

  @TempDir
  Path dir;
  private HttpServer server;
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final Map<String, String> userAgents = new ConcurrentHashMap<>();
  private final List<TileCache> caches = new ArrayList<>();

  @AfterEach
  void stop() {
    caches.forEach(TileCache::close);
    if (server != null) {
      server.stop(0);
    }
  }

  /** A server answering /tiles/z/x/y.png with {@code answer}. */
  private TileServer serve(Function<String, Answer> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/tiles/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      paths.add(path);
      userAgents.put(path, String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
      answer.apply(path).send(exchange);
    });
    server.start();
    return TileServer.parse("http://127.0.0.1:" + server.getAddress().getPort() + "/tiles/{z}/{x}/{y}.png");
  }

  private record Answer(int status, byte[] body, Map<String, String> headers) {
    static Answer png(int size) {
      byte[] b = new byte[size];
      b[0] = (byte) 0x89;
      b[1] = 'P';
      b[2] = 'N';
      b[3] = 'G';
      for (int i = 4; i < size; i++) {
        b[i] = (byte) i;
      }
      return new Answer(200, b, Map.of("Content-Type", "image/png"));
    }

    void send(HttpExchange exchange) throws IOException {
      headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private TileCache open(TileServer tiles, long maxBytes) throws IOException {
    TileCache cache = TileCache.open(dir.resolve("map-tiles"), tiles, maxBytes);
    caches.add(cache);
    return cache;
  }

  private static byte[] get(TileCache cache, MapTile tile) throws Exception {
    return cache.tile(tile).get(20, TimeUnit.SECONDS);
  }

  @Test
  void fetchesOnceWithItsUserAgentThenServesFromDiskAlsoAfterARestart() throws Exception {
    TileServer tiles = serve(path -> Answer.png(3000));
    TileCache cache = open(tiles, TileCache.DEFAULT_MAX_BYTES);
    MapTile tile = new MapTile(15, 16592, 11272);
    assertThat(get(cache, tile)).hasSize(3000);
    assertThat(paths).containsExactly("/tiles/15/16592/11272.png");
    assertThat(userAgents.get("/tiles/15/16592/11272.png")).startsWith("Parley-Desktop/")
        .isEqualTo(TileCache.USER_AGENT);
    assertThat(get(cache, tile)).hasSize(3000);
    assertThat(cache.isCached(tile)).isTrue();
    assertThat(cache.cachedBytes()).isEqualTo(3000);
    cache.close();

    server.stop(0); // offline now: the copy on disk is all there is
    TileCache again = open(tiles, TileCache.DEFAULT_MAX_BYTES);
    assertThat(again.cachedTiles()).isEqualTo(1);
    assertThat(get(again, tile)).hasSize(3000);
    assertThat(paths).hasSize(1);
  }

  @Test
  void theCapHoldsAndTheLeastRecentlyShownTilesGoFirst() throws Exception {
    TileServer tiles = serve(path -> Answer.png(10_000));
    TileCache cache = open(tiles, 100_000);
    for (int x = 0; x < 9; x++) {
      get(cache, new MapTile(10, x, 0));
    }
    assertThat(cache.cachedBytes()).isEqualTo(90_000);
    get(cache, new MapTile(10, 0, 0)); // shown again: now the most recent
    for (int x = 9; x < 15; x++) {
      get(cache, new MapTile(10, x, 0));
      assertThat(cache.cachedBytes()).isLessThanOrEqualTo(100_000);
    }
    assertThat(cache.isCached(new MapTile(10, 0, 0))).isTrue();
    assertThat(cache.isCached(new MapTile(10, 1, 0))).isFalse();
    assertThat(cache.isCached(new MapTile(10, 14, 0))).isTrue();
    try (var files = Files.walk(dir.resolve("map-tiles"))) {
      long onDisk = files.filter(p -> p.toString().endsWith(".tile")).mapToLong(p -> p.toFile().length()).sum();
      assertThat(onDisk).isEqualTo(cache.cachedBytes());
    }
    int fetched = paths.size();
    get(cache, new MapTile(10, 1, 0)); // evicted: fetched again
    assertThat(paths).hasSize(fetched + 1);
  }

  @Test
  void badAnswersAreRefusedNotCachedAndNotAskedAgainAtOnce() throws Exception {
    TileServer tiles = serve(path -> switch (path) {
      case "/tiles/3/1/1.png" -> new Answer(404, "no such tile".getBytes(), Map.of());
      case "/tiles/3/1/2.png" -> new Answer(200, "<html>rate limited</html>".getBytes(), Map.of());
      case "/tiles/3/1/3.png" -> Answer.png(TileCache.MAX_TILE_BYTES + 10);
      case "/tiles/3/1/4.png" -> new Answer(500, new byte[0], Map.of());
      default -> Answer.png(100);
    });
    TileCache cache = open(tiles, TileCache.DEFAULT_MAX_BYTES);
    assertFails(cache, new MapTile(3, 1, 1), "answered 404");
    assertFails(cache, new MapTile(3, 1, 2), "not a PNG or JPEG");
    assertFails(cache, new MapTile(3, 1, 3), "more than 512 kB");
    assertFails(cache, new MapTile(3, 1, 4), "answered 500");
    assertThat(cache.cachedTiles()).isZero();
    int asked = paths.size();
    assertFails(cache, new MapTile(3, 1, 1), "failed a moment ago");
    assertThat(paths).hasSize(asked);
    assertThat(get(cache, new MapTile(3, 2, 2))).hasSize(100); // the others still work
  }

  @Test
  void aServerThatDoesNotAnswerInTimeIsAFailureAndTheNextTileStillLoads() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TileServer tiles = serve(path -> {
      if (path.equals("/tiles/4/1/1.png")) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Answer.png(100);
    });
    TileCache cache = TileCache.open(dir.resolve("map-tiles"), tiles, TileCache.DEFAULT_MAX_BYTES,
        Duration.ofMillis(400));
    caches.add(cache);
    assertFails(cache, new MapTile(4, 1, 1), "did not answer in 400 ms");
    release.countDown();
    assertThat(cache.isCached(new MapTile(4, 1, 1))).isFalse();
    assertThat(get(cache, new MapTile(4, 2, 2))).hasSize(100);
  }

  @Test
  void anUnreachableServerOrMapsOffIsAClearFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TileCache cache = open(TileServer.parse("http://127.0.0.1:" + port + "/{z}/{x}/{y}.png"),
        TileCache.DEFAULT_MAX_BYTES);
    assertFails(cache, new MapTile(1, 0, 0), "Cannot reach the tile server");
    cache.setServer(TileServer.NONE);
    assertFails(cache, new MapTile(1, 0, 0), "Maps are off");
  }

  @Test
  void neverMoreThanTwoDownloadsAtOnce() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    TileServer tiles = serve(path -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      return Answer.png(200);
    });
    TileCache cache = open(tiles, TileCache.DEFAULT_MAX_BYTES);
    List<CompletableFuture<byte[]>> all = new ArrayList<>();
    for (int x = 0; x < 8; x++) {
      all.add(cache.tile(new MapTile(5, x, 3)));
    }
    all.add(cache.tile(new MapTile(5, 0, 3))); // the same tile again: one download
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (running.get() < 2 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    Thread.sleep(300); // time for a third to start, if the limit did not hold
    assertThat(running.get()).isEqualTo(2);
    release.countDown();
    for (CompletableFuture<byte[]> f : all) {
      assertThat(f.get(20, TimeUnit.SECONDS)).hasSize(200);
    }
    assertThat(most.get()).isEqualTo(2);
    assertThat(paths).hasSize(8);
  }

  @Test
  void aStaleTileIsShownAndAskedAgainWithItsEtag() throws Exception {
    AtomicInteger conditional = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/t/", exchange -> {
      paths.add(exchange.getRequestURI().getPath());
      if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
        conditional.incrementAndGet();
        new Answer(304, new byte[0], Map.of("Cache-Control", "max-age=3600")).send(exchange);
      } else {
        Answer png = Answer.png(500);
        new Answer(200, png.body(), Map.of("ETag", "\"v1\"", "Cache-Control", "max-age=0")).send(exchange);
      }
    });
    server.start();
    TileCache cache = open(TileServer.parse("http://127.0.0.1:" + server.getAddress().getPort()
        + "/t/{z}/{x}/{y}.png"), TileCache.DEFAULT_MAX_BYTES);
    MapTile tile = new MapTile(2, 1, 1);
    assertThat(get(cache, tile)).hasSize(500);
    assertThat(get(cache, tile)).hasSize(500); // stale at once (max-age=0): shown, and revalidated
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (conditional.get() == 0 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(conditional.get()).isEqualTo(1);
    Thread.sleep(200);
    get(cache, tile); // fresh for an hour now: no request
    assertThat(paths).hasSize(2);
  }

  @Test
  void tileServerSettingsAreChecked() {
    assertThat(TileServer.parse("none").enabled()).isFalse();
    assertThat(TileServer.parse(" https://tiles.example.org/{z}/{x}/{y}.png ").template())
        .contains("https://tiles.example.org/{z}/{x}/{y}.png");
    assertThatThrownBy(() -> TileServer.parse("https://tiles.example.org/tile.png"))
        .hasMessageContaining("needs {z}, {x} and {y}");
    assertThatThrownBy(() -> TileServer.parse("file:///etc/{z}/{x}/{y}")).hasMessageContaining("http://");
    assertThatThrownBy(() -> TileServer.parse("")).hasMessageContaining("or none");
    assertThat(TileServer.OPENSTREETMAP.template()).contains("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
    assertThat(Optional.of(TileServer.NONE.toString())).contains("none");
  }

  private static void assertFails(TileCache cache, MapTile tile, String reason) {
    assertThatThrownBy(() -> get(cache, tile)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(TileUnavailableException.class).hasMessageContaining(reason);
  }
}
