package org.parley.cli;

import java.util.concurrent.Callable;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.SafetyNumber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "safety-number", mixinStandardHelpOptions = true,
    description = {"Show the safety number of your conversation with NUMBER.",
    "Compare it with theirs in person or over a trusted channel: equal numbers mean nobody is in the middle."})
final class SafetyNumberCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(paramLabel = "NUMBER")
  String number;

  @Option(names = "--json")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      SafetyNumber safety = client.safetyNumber(number);
      if (json) {
        parent.out().println(Json.write(Json.safetyNumber(safety)));
      } else {
        parent.out().println(safety.digits());
        safety.identityChangedAt().ifPresent(t -> parent.out().println("(" + number
            + "'s identity key changed " + Text.time(t) + " UTC)"));
      }
    }
    return ExitCodes.OK;
  }
}
