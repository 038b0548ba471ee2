package org.parley.cli;

import java.util.concurrent.Callable;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code set-pin} and {@code remove-pin}: the account's registration lock (primary device only). */
final class RegistrationLockCommands {

  private RegistrationLockCommands() {}

  @Command(name = "set-pin", mixinStandardHelpOptions = true,
      description = {"Set a registration lock PIN: registering this number again, on any device, then needs the PIN"
          + " as well as the SMS code, until the account has been inactive for a week. The PIN never leaves this"
          + " device."})
  static final class SetPin implements Callable<Integer> {

    @ParentCommand
    ParleyCli parent;

    @Parameters(paramLabel = "PIN", description = "4 to 64 characters (- reads it from stdin).")
    String pin;

    @Override
    public Integer call() throws Exception {
      try (ParleyClient client = parent.open()) {
        client.setRegistrationLock(Pins.read(pin, parent));
        parent.out().println("Registration lock set: keep the PIN somewhere safe");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove-pin", mixinStandardHelpOptions = true,
      description = "Remove the registration lock: the SMS code alone registers this number again.")
  static final class RemovePin implements Callable<Integer> {

    @ParentCommand
    ParleyCli parent;

    @Override
    public Integer call() throws Exception {
      try (ParleyClient client = parent.open()) {
        client.removeRegistrationLock();
        parent.out().println("Registration lock removed");
      }
      return ExitCodes.OK;
    }
  }
}
