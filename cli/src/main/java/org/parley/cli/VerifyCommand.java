package org.parley.cli;

import java.util.concurrent.Callable;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Submit the verification code and finish registering (step 2 of 2).")
final class VerifyCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(paramLabel = "CODE", description = "The code from the SMS.")
  String code;

  @Option(names = "--pin", paramLabel = "PIN",
      description = "The registration lock PIN, when the number's account has one (- reads it from stdin).")
  String pin;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      AccountInfo account = client.verify(code, pin == null ? null : Pins.read(pin, parent));
      parent.out().println("Registered " + account.number() + " (account " + account.accountId() + ", device "
          + account.deviceId() + ")");
    }
    return ExitCodes.OK;
  }
}
