package org.parley.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.LinkProgress;
import org.parley.client.api.LinkResult;
import org.parley.client.api.ParleyClient;
import org.parley.server.support.TestServer;

/** A new, headless device waiting to be linked: {@link ParleyClient#link} runs on its own thread. */
public final class Linker implements LinkProgress {

  public final ParleyClient client;
  public final Path dataDir;
  public final List<String> links = new CopyOnWriteArrayList<>();
  public final CompletableFuture<LinkResult> result;

  private Linker(ParleyClient client, Path dataDir, String name) {
    this.client = client;
    this.dataDir = dataDir;
    this.result = CompletableFuture.supplyAsync(() -> {
      try {
        return client.link(name, this, Duration.ofSeconds(60));
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, Linker::ownThread);
  }

  /** Not the common pool: with two cores it has one thread, which a test's own async work could be holding. */
  private static void ownThread(Runnable task) {
    Thread thread = new Thread(task, "linker");
    thread.setDaemon(true);
    thread.start();
  }

  public static Linker start(TestServer server, String name) throws Exception {
    Path dir = Files.createTempDirectory("parley-linked");
    return new Linker(ParleyClient.open(ClientOptions.of(dir, server.url())), dir, name);
  }

  @Override
  public void showLink(String linkUri) {
    links.add(linkUri);
  }

  /** The link shown now, waiting for the first one. */
  public String currentLink() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (links.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no link shown");
      }
      Thread.sleep(20);
    }
    return links.get(links.size() - 1);
  }

  public LinkResult awaitLinked() throws Exception {
    return result.get(60, TimeUnit.SECONDS);
  }
}
