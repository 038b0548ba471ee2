package org.parley.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code parley} command: {@code parley -d DATA_DIR [-s SERVER_URL] COMMAND}. */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "parley 0.1.0",
    description = "End-to-end encrypted messaging from the command line.",
    subcommands = {RegisterCommand.class, VerifyCommand.class, LinkCommand.class, AddDeviceCommand.class,
        DevicesCommand.class, UnlinkCommand.class, SendCommand.class, ReceiveCommand.class,
        HistoryCommand.class, ContactsCommand.class, SafetyNumberCommand.class, MarkReadCommand.class,
        DaemonCommand.class, CallCommand.class, AnswerCommand.class, PayRequestCommand.class,
        PayStatusCommand.class, AttachmentCommand.class, RegistrationLockCommands.SetPin.class,
        RegistrationLockCommands.RemovePin.class, GroupCommand.class, SearchCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:other error (e.g. not registered yet)", "2:usage or invalid input",
        "3:network (the server cannot be reached; queued work is kept)", "4:authentication refused",
        "5:not found (no such number or conversation)",
        "6:the call did not connect (declined, busy, no answer, unreachable, ICE failed)",
        "7:answer: no call rang within the timeout"})
public final class ParleyCli implements Callable<Integer> {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-d", "--data-dir"}, required = true, paramLabel = "DATA_DIR",
      description = "Where this account's encrypted database and key live (created if needed).")
  Path dataDir;

  @Option(names = {"-s", "--server"}, paramLabel = "SERVER_URL",
      description = "Server URL, http:// or https:// (default: the one used at registration, else "
          + "http://127.0.0.1:8080).")
  String server;

  @Option(names = "--trust-cert", paramLabel = "PEM",
      description = "Also trust this PEM certificate for https (a self-signed server).")
  Path trustCertificate;

  final InputStream in;

  ParleyCli(InputStream in) {
    this.in = in;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Opens the client for this data directory. */
  ParleyClient open() throws ParleyException {
    Optional<URI> url = Optional.empty();
    if (server != null) {
      URI parsed;
      try {
        parsed = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("'" + server + "' is not a URL");
      }
      if (parsed.getScheme() == null || !(parsed.getScheme().equals("http") || parsed.getScheme().equals("https"))
          || parsed.getHost() == null) {
        throw new InvalidInputException("The server URL must look like http://host:port or https://host, not '"
            + server + "'");
      }
      url = Optional.of(parsed);
    }
    return ParleyClient.open(new ClientOptions(dataDir, url, Optional.ofNullable(trustCertificate),
        Clock.systemUTC()));
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int run(String[] args, InputStream in, OutputStream out, OutputStream err) {
    CommandLine commandLine = new CommandLine(new ParleyCli(in));
    PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    commandLine.setOut(outWriter);
    commandLine.setErr(errWriter);
    commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
      if (e instanceof ParleyException pe) {
        cl.getErr().println("parley: " + pe.getMessage());
        return ExitCodes.of(pe);
      }
      cl.getErr().println("parley: internal error: " + e);
      e.printStackTrace(cl.getErr());
      return ExitCodes.ERROR;
    });
    int code = commandLine.execute(args);
    outWriter.flush();
    errWriter.flush();
    return code;
  }

  public static void main(String[] args) {
    int code = run(args, System.in, System.out, System.err);
    if (CallSession.usedLibwebrtc) {
      // While the process exits, a thread of webrtc-java's native library fails to attach to the JVM and says so on
      // stdout ("VM attach current thread failed"), which would break the one-event-per-line output. Everything is
      // written and flushed by now: closing stdout (file descriptor 1) makes that late native write go nowhere.
      System.out.flush();
      System.out.close();
    }
    System.exit(code);
  }
}
