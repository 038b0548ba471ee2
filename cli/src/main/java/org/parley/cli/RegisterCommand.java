package org.parley.cli;

import java.util.concurrent.Callable;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "register", mixinStandardHelpOptions = true,
    description = "Ask the server to send a verification code to NUMBER (step 1 of 2).")
final class RegisterCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(paramLabel = "NUMBER", description = "Your number in E.164 form, e.g. +15551234567.")
  String number;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      client.requestCode(number);
    }
    parent.out().println("A verification code was sent to " + number + ". Next: parley -d " + parent.dataDir
        + " verify CODE");
    return ExitCodes.OK;
  }
}
