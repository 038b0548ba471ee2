package org.parley.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "answer", mixinStandardHelpOptions = true,
    description = {"Wait for the next incoming call, answer it, and hang up after --seconds connected.",
        "Prints one line per event like 'call'. Exit 7 when no call rang within --timeout, 6 when it did not "
            + "connect."})
final class AnswerCommand extends CallSession implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Option(names = "--timeout", paramLabel = "S", defaultValue = "60",
      description = "Wait this many seconds for a call (default ${DEFAULT-VALUE}).")
  double timeout;

  @Option(names = "--decline", description = "Decline the call instead of answering it.")
  boolean decline;

  @Override
  PrintWriter out() {
    return parent.out();
  }

  @Override
  public Integer call() throws Exception {
    CallOptions options = options(); // bad options fail now, not after a call rang
    try (ParleyClient client = parent.open()) {
      connect(client, 30);
      Map<String, Object> ready = new LinkedHashMap<>();
      ready.put("number", client.account().number());
      emit("waiting", ready);
      long deadline = System.nanoTime() + (long) (timeout * 1e9);
      Call ringing = null;
      while (ringing == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          parent.err().println("parley: no call within " + timeout + " s");
          return ExitCodes.NO_CALL;
        }
        Object event = events.poll(left, TimeUnit.NANOSECONDS);
        if (event instanceof Incoming incoming) {
          ringing = incoming.call();
        }
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("call_id", ringing.callId());
      fields.put("peer", ringing.peerNumber());
      emit("incoming", fields);
      if (decline) {
        client.calls().decline(ringing.callId());
        follow(client, ringing.callId(), System.nanoTime());
        client.awaitOutboxEmpty(Duration.ofSeconds(5));
        return ExitCodes.OK;
      }
      long answered = System.nanoTime();
      client.calls().answer(ringing.callId(), options);
      int code = follow(client, ringing.callId(), answered);
      client.awaitOutboxEmpty(Duration.ofSeconds(5));
      return code;
    }
  }
}
