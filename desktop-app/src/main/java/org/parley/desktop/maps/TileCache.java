package org.parley.desktop.maps;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.parley.client.api.location.MapTile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Map tiles from the configured {@link TileServer}, kept on disk in the app's data directory so a place seen once
 * shows again offline and the tile server is asked as little as possible (the OpenStreetMap tile usage policy:
 * identify the app in the User-Agent, honour the caching headers — 7 days without them —, at most two
 * connections, no bulk downloads; see docs/decisions/0305). The disk copy is capped ({@link #DEFAULT_MAX_BYTES});
 * past it the least recently shown tiles go. Only what a view asks for is fetched, newest request first, and
 * requests nobody waits for any more are dropped when too many pile up.
 */
public final class TileCache implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TileCache.class);

  /** 50 MB: a few thousand tiles, far more than a person's places and the share sheet's panning need. */
  public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;
  /** A 256-pixel tile is 5–60 kB; anything past this is not a tile. */
  public static final int MAX_TILE_BYTES = 512 * 1024;
  /** The OpenStreetMap policy's limit on parallel downloads. */
  public static final int MAX_CONCURRENT_FETCHES = 2;
  /** Requests waiting for a connection beyond this are dropped, oldest first (the map moved on). */
  static final int MAX_WAITING = 48;
  static final Duration DEFAULT_FRESHNESS = Duration.ofDays(7);
  /** A tile that failed is not asked for again for this long (a view redraws often; the server is not hammered). */
  static final Duration FAILURE_MEMORY = Duration.ofMinutes(2);
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Who we are, as the policy asks; never another application's string. */
  public static final String USER_AGENT = "Parley-Desktop/0.1 (end-to-end encrypted messenger; tiles for places "
      + "shared in chats; Java HttpClient)";

  private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*(\\d{1,10})");

  private record Key(String template, MapTile tile) {}

  private record Fetch(Key key, Path file, CompletableFuture<byte[]> result, boolean refresh) {}

  private final Path dir;
  private final long maxBytes;
  private final Clock clock;
  private final HttpClient http;
  private final Duration timeout;
  private final ExecutorService disk;
  private final List<Thread> fetchers = new ArrayList<>();
  private final Object lock = new Object();
  /** Every tile file on disk, least recently used first, with its size. */
  private final LinkedHashMap<Path, Long> index = new LinkedHashMap<>(256, 0.75f, true);
  private final Map<Key, CompletableFuture<byte[]>> inFlight = new HashMap<>();
  private final Map<Key, Instant> failedUntil = new HashMap<>();
  private final Set<Key> refreshing = new HashSet<>();
  private final ArrayDeque<Fetch> waiting = new ArrayDeque<>();
  private long totalBytes;
  private long fetches;
  private volatile TileServer server;
  private volatile boolean closed;

  TileCache(Path dir, TileServer server, long maxBytes, Clock clock, HttpClient http, Duration timeout)
      throws IOException {
    this.dir = dir;
    this.timeout = timeout;
    this.server = server;
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.http = http;
    Files.createDirectories(dir);
    loadIndex();
    this.disk = Executors.newSingleThreadExecutor(r -> daemon(r, "parley-tiles-disk"));
    for (int i = 0; i < MAX_CONCURRENT_FETCHES; i++) {
      Thread t = daemon(this::fetchLoop, "parley-tiles-net-" + i);
      fetchers.add(t);
      t.start();
    }
  }

  /** The cache in {@code dir} (created if needed), holding at most {@code maxBytes} of tiles. */
  public static TileCache open(Path dir, TileServer server, long maxBytes) throws IOException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL).build();
    return new TileCache(dir, server, maxBytes, Clock.systemUTC(), http, TIMEOUT);
  }

  /** The same with another time limit for one tile's answer (tests). */
  static TileCache open(Path dir, TileServer server, long maxBytes, Duration timeout) throws IOException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    return new TileCache(dir, server, maxBytes, Clock.systemUTC(), http, timeout);
  }

  public TileServer server() {
    return server;
  }

  /** Another server from now on (a setting changed); tiles of each server are kept apart on disk. */
  public void setServer(TileServer next) {
    server = next;
  }

  /**
   * The tile's image bytes (PNG or JPEG, as the server sent them): from disk when there, else fetched. Fails with
   * a {@link TileUnavailableException} when maps are off, the server cannot be reached or answers badly. Completes
   * on a cache thread.
   */
  public CompletableFuture<byte[]> tile(MapTile tile) {
    TileServer s = server;
    if (closed || s.template().isEmpty()) {
      return CompletableFuture.failedFuture(new TileUnavailableException("Maps are off"));
    }
    Key key = new Key(s.template().get(), tile);
    CompletableFuture<byte[]> result;
    synchronized (lock) {
      CompletableFuture<byte[]> running = inFlight.get(key);
      if (running != null) {
        return running;
      }
      result = new CompletableFuture<>();
      inFlight.put(key, result);
    }
    result.whenComplete((bytes, error) -> {
      synchronized (lock) {
        inFlight.remove(key, result);
      }
    });
    Path file = fileFor(key);
    try {
      disk.execute(() -> lookUp(key, file, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new TileUnavailableException("Closed"));
    }
    return result;
  }

  private void lookUp(Key key, Path file, CompletableFuture<byte[]> result) {
    byte[] cached = read(file);
    if (cached != null) {
      result.complete(cached);
      boolean isStale = stale(file);
      boolean first;
      synchronized (lock) {
        first = isStale && refreshing.add(key);
      }
      if (first) {
        // Shown as it is (offline it is all there is); asked again with its validator in the background, once.
        CompletableFuture<byte[]> refreshed = new CompletableFuture<>();
        refreshed.whenComplete((b, e) -> {
          synchronized (lock) {
            refreshing.remove(key);
          }
        });
        enqueue(new Fetch(key, file, refreshed, true));
      }
      return;
    }
    synchronized (lock) {
      Instant until = failedUntil.get(key);
      if (until != null && clock.instant().isBefore(until)) {
        result.completeExceptionally(new TileUnavailableException("This tile failed a moment ago"));
        return;
      }
    }
    enqueue(new Fetch(key, file, result, false));
  }

  private void enqueue(Fetch fetch) {
    Fetch dropped = null;
    synchronized (lock) {
      waiting.addLast(fetch);
      if (waiting.size() > MAX_WAITING) {
        dropped = waiting.pollFirst();
      }
      lock.notifyAll();
    }
    if (dropped != null) {
      dropped.result.completeExceptionally(new TileUnavailableException("Dropped: newer tiles were asked for"));
    }
  }

  private void fetchLoop() {
    while (!closed) {
      Fetch next;
      synchronized (lock) {
        while (waiting.isEmpty() && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        next = waiting.pollLast(); // newest first: the view the person looks at now
        fetches++;
      }
      try {
        fetch(next);
      } catch (TileUnavailableException e) {
        synchronized (lock) {
          if (failedUntil.size() > 1000) {
            failedUntil.clear();
          }
          failedUntil.put(next.key, clock.instant().plus(FAILURE_MEMORY));
        }
        next.result.completeExceptionally(e);
      } catch (RuntimeException e) {
        next.result.completeExceptionally(new TileUnavailableException("Tile failed: " + e, e));
      }
    }
  }

  private void fetch(Fetch f) throws TileUnavailableException {
    URI uri = f.key.tile().url(f.key.template());
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
        .header("User-Agent", USER_AGENT).header("Accept", "image/png,image/jpeg;q=0.9,image/*;q=0.8");
    Meta meta = f.refresh ? readMeta(f.file) : Meta.NONE;
    meta.etag.ifPresent(tag -> request.header("If-None-Match", tag));
    meta.lastModified.ifPresent(date -> request.header("If-Modified-Since", date));
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new TileUnavailableException("The tile server did not answer in " + timeout.toMillis() + " ms", e);
    } catch (IOException e) {
      throw new TileUnavailableException("Cannot reach the tile server (" + uri.getHost() + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TileUnavailableException("Stopped");
    }
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 304 && f.refresh) {
        keepMeta(f.file, expiry(response), meta.etag, meta.lastModified);
        f.result.complete(null);
        return;
      }
      if (status != 200) {
        throw new TileUnavailableException("The tile server answered " + status + " for " + uri.getPath());
      }
      byte[] bytes = body.readNBytes(MAX_TILE_BYTES + 1);
      if (bytes.length > MAX_TILE_BYTES) {
        throw new TileUnavailableException("The tile server sent more than " + MAX_TILE_BYTES / 1024
            + " kB for one tile");
      }
      if (!isPicture(bytes)) {
        throw new TileUnavailableException("The tile server sent something that is not a PNG or JPEG picture");
      }
      try {
        store(f.file, bytes, expiry(response), response.headers().firstValue("ETag"),
            response.headers().firstValue("Last-Modified"));
      } catch (IOException e) {
        // A full or read-only disk costs the cache, not the map: the tile is shown all the same.
        log.warn("Cannot keep a map tile on disk: {}", e.toString());
      }
      f.result.complete(bytes);
    } catch (IOException e) {
      throw new TileUnavailableException("The tile's download broke off: " + e.getMessage(), e);
    }
  }

  static boolean isPicture(byte[] b) {
    boolean png = b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    boolean jpeg = b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
    return png || jpeg;
  }

  private Instant expiry(HttpResponse<?> response) {
    Instant now = clock.instant();
    Optional<String> cacheControl = response.headers().firstValue("Cache-Control");
    if (cacheControl.isPresent()) {
      Matcher m = MAX_AGE.matcher(cacheControl.get());
      if (m.find()) {
        return now.plusSeconds(Long.parseLong(m.group(1)));
      }
    }
    Optional<String> expires = response.headers().firstValue("Expires");
    if (expires.isPresent()) {
      try {
        return ZonedDateTime.parse(expires.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        // an unreadable Expires counts as none
      }
    }
    return now.plus(DEFAULT_FRESHNESS);
  }

  private void store(Path file, byte[] bytes, Instant expires, Optional<String> etag, Optional<String> lastModified)
      throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    writeMeta(file, expires, etag, lastModified);
    synchronized (lock) {
      Long old = index.put(file, (long) bytes.length);
      totalBytes += bytes.length - (old == null ? 0 : old);
      evict();
    }
  }

  /** Deletes least recently used tiles until the cache holds at most 90% of its cap (so not at every write). */
  private void evict() {
    if (totalBytes <= maxBytes) {
      return;
    }
    long target = maxBytes / 10 * 9;
    Iterator<Map.Entry<Path, Long>> it = index.entrySet().iterator();
    while (totalBytes > target && it.hasNext()) {
      Map.Entry<Path, Long> oldest = it.next();
      try {
        Files.deleteIfExists(oldest.getKey());
        Files.deleteIfExists(metaFile(oldest.getKey()));
      } catch (IOException e) {
        log.debug("cannot delete cached tile {}: {}", oldest.getKey(), e.toString());
      }
      totalBytes -= oldest.getValue();
      it.remove();
    }
  }

  private byte[] read(Path file) {
    synchronized (lock) {
      if (index.get(file) == null) { // get() also marks it as just used
        return null;
      }
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
      return bytes;
    } catch (NoSuchFileException e) {
      synchronized (lock) {
        Long gone = index.remove(file);
        totalBytes -= gone == null ? 0 : gone;
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private boolean stale(Path file) {
    return !readMeta(file).expires.isAfter(clock.instant());
  }

  private record Meta(Instant expires, Optional<String> etag, Optional<String> lastModified) {
    static final Meta NONE = new Meta(Instant.EPOCH, Optional.empty(), Optional.empty());
  }

  private static Path metaFile(Path tileFile) {
    return tileFile.resolveSibling(tileFile.getFileName() + ".meta");
  }

  private static Meta readMeta(Path file) {
    try {
      List<String> lines = Files.readAllLines(metaFile(file), StandardCharsets.UTF_8);
      return new Meta(Instant.ofEpochMilli(Long.parseLong(lines.get(0).strip())),
          lines.size() > 1 && !lines.get(1).isBlank() ? Optional.of(lines.get(1)) : Optional.empty(),
          lines.size() > 2 && !lines.get(2).isBlank() ? Optional.of(lines.get(2)) : Optional.empty());
    } catch (IOException | RuntimeException e) {
      return Meta.NONE;
    }
  }

  private static void keepMeta(Path file, Instant expires, Optional<String> etag, Optional<String> lastModified) {
    try {
      writeMeta(file, expires, etag, lastModified);
    } catch (IOException e) {
      log.debug("cannot update {}: {}", file, e.toString());
    }
  }

  private static void writeMeta(Path file, Instant expires, Optional<String> etag, Optional<String> lastModified)
      throws IOException {
    // Header values from the server: one line each, and short, or not kept.
    String text = expires.toEpochMilli() + "\n" + etag.filter(TileCache::plain).orElse("") + "\n"
        + lastModified.filter(TileCache::plain).orElse("") + "\n";
    Files.writeString(metaFile(file), text, StandardCharsets.UTF_8);
  }

  private static boolean plain(String header) {
    return header.length() <= 200 && header.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  private Path fileFor(Key key) {
    MapTile t = key.tile();
    return dir.resolve(serverFolder(key.template())).resolve(Integer.toString(t.zoom()))
        .resolve(Integer.toString(t.x())).resolve(t.y() + ".tile");
  }

  /** One folder per tile server, named by a hash of its template (which may hold an API key). */
  static String serverFolder(String template) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(template.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void loadIndex() throws IOException {
    record Found(Path file, long size, FileTime used) {}
    List<Found> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(p); // a write the app did not finish
        } else if (name.endsWith(".tile") && Files.isRegularFile(p)) {
          found.add(new Found(p, Files.size(p), Files.getLastModifiedTime(p)));
        }
      }
    }
    found.sort((a, b) -> a.used.compareTo(b.used));
    synchronized (lock) {
      for (Found f : found) {
        index.put(f.file, f.size);
        totalBytes += f.size;
      }
      evict();
    }
  }

  /** Bytes of tiles on disk now. */
  public long cachedBytes() {
    synchronized (lock) {
      return totalBytes;
    }
  }

  /** How many tiles are on disk now. */
  public int cachedTiles() {
    synchronized (lock) {
      return index.size();
    }
  }

  /** Whether {@code tile} of the current server is on disk. */
  public boolean isCached(MapTile tile) {
    TileServer s = server;
    if (s.template().isEmpty()) {
      return false;
    }
    synchronized (lock) {
      return index.containsKey(fileFor(new Key(s.template().get(), tile)));
    }
  }

  /** Downloads started so far (each is one request to the tile server). */
  public long fetches() {
    synchronized (lock) {
      return fetches;
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
      waiting.forEach(f -> f.result.completeExceptionally(new TileUnavailableException("Closed")));
      waiting.clear();
    }
    disk.shutdownNow();
    fetchers.forEach(Thread::interrupt);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
