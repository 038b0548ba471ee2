package org.parley.cli;

import java.util.concurrent.Callable;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "unlink", mixinStandardHelpOptions = true,
    description = "On the primary device: unlink a device; it is locked out at once.")
final class UnlinkCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(paramLabel = "DEVICE_ID", description = "As 'devices' lists it.")
  int deviceId;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      client.unlink(deviceId);
      parent.out().println("Unlinked device " + deviceId);
    }
    return ExitCodes.OK;
  }
}
