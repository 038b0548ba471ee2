package org.parley.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "call", mixinStandardHelpOptions = true,
    description = {"Call +NUMBER (peer to peer Opus audio, VP8 video with --video-source, through TURN when needed) "
        + "and hang up after --seconds connected.", "Prints one line per event: ringing, connecting, connected "
        + "(connect_ms, local/remote candidate types), media, first_video_frame, stats, ended (reason, duration_s). "
        + "Exit 6 when the call did not connect."})
final class CallCommand extends CallSession implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(index = "0", paramLabel = "+NUMBER", description = "Who to call.")
  String number;

  @Option(names = "--connect-timeout", paramLabel = "S", defaultValue = "30",
      description = "Give up connecting to the server after this many seconds (default ${DEFAULT-VALUE}).")
  int connectTimeout;

  @Override
  PrintWriter out() {
    return parent.out();
  }

  @Override
  public Integer call() throws Exception {
    CallOptions options = options();
    try (ParleyClient client = parent.open()) {
      connect(client, connectTimeout);
      long dialed = System.nanoTime();
      Call call = client.calls().placeCall(number, options);
      int code = follow(client, call.callId(), dialed);
      client.awaitOutboxEmpty(Duration.ofSeconds(5));
      return code;
    }
  }
}
