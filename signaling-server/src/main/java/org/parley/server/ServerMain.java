package org.parley.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.parley.server.config.ConfigLoader;
import org.parley.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley-server serve}: runs the server in the foreground until interrupted (Ctrl+C or SIGTERM). */
@Command(name = "parley-server", mixinStandardHelpOptions = true, version = "parley-server 0.1.0",
    description = "The Parley signaling server.", subcommands = {ServerMain.Serve.class, ServerMain.CheckConfig.class})
public final class ServerMain {

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run the server in the foreground. Without a config file it listens on 127.0.0.1:8080 with data"
          + " in ./data. Environment variables PARLEY_<SECTION>_<KEY> override the file.")
  static final class Serve implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "TOML config file.")
    Path config;

    @Option(names = "--host", description = "Address to listen on (overrides server.host).")
    String host;

    @Option(names = {"-p", "--port"}, description = "Port to listen on (overrides server.port).")
    Integer port;

    @Option(names = {"-d", "--data-dir"}, description = "Data directory (overrides server.data-dir).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
      ServerConfig cfg = ConfigLoader.load(Optional.ofNullable(config), System.getenv());
      if (host != null || port != null) {
        cfg = cfg.withListen(host != null ? host : cfg.host(), port != null ? port : cfg.port());
      }
      if (dataDir != null) {
        cfg = cfg.withDataDir(dataDir);
      }
      ParleyServer server = ParleyServer.start(cfg);
      CountDownLatch stopped = new CountDownLatch(1);
      Duration bound = cfg.shutdownGrace().multipliedBy(2).plusSeconds(10);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        // SIGTERM drains (ADR 0152); whatever hangs in it, the process ends within a bound a supervisor can rely on.
        Thread watchdog = new Thread(() -> {
          try {
            Thread.sleep(bound.toMillis());
            System.err.println("parley-server: shutdown took longer than " + bound.toSeconds() + " s; exiting now");
            Runtime.getRuntime().halt(1);
          } catch (InterruptedException done) {
            // closed in time
          }
        }, "shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        server.close();
        watchdog.interrupt();
        stopped.countDown();
      }, "shutdown"));
      System.out.println("parley-server listening on " + cfg.host() + ":" + server.port() + ", data in "
          + cfg.dataDir().toAbsolutePath());
      String adminHost = cfg.admin().host();
      server.adminPort().ifPresent(admin -> System.out.println("metrics on http://" + adminHost + ":" + admin
          + "/metrics (admin.host, admin.port)"));
      System.out.flush();
      stopped.await();
      return 0;
    }
  }

  @Command(name = "check-config", mixinStandardHelpOptions = true,
      description = "Check a config file (values parse, no unknown keys; the environment applies as for serve) and"
          + " print every setting the server would use. Exit status 0 when it is good, 2 when not.")
  static final class CheckConfig implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "TOML config file.")
    Path config;

    @Override
    public Integer call() {
      ConfigLoader.Checked checked;
      try {
        checked = ConfigLoader.check(config, System.getenv());
      } catch (RuntimeException e) {
        System.err.println("parley-server: " + config + " is not usable: " + e.getMessage());
        return 2;
      }
      checked.lines().forEach(System.out::println);
      System.out.println("# " + config + " is good");
      return 0;
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServerMain()).execute(args));
  }
}
