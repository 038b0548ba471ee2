package org.parley.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "List the devices of this account: ID, name, linked, last seen.")
final class DevicesCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

  @ParentCommand
  ParleyCli parent;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      for (LinkedDevice d : client.devices()) {
        parent.out().println(d.deviceId() + "\t" + d.name() + "\tlinked " + TIME.format(Instant.ofEpochMilli(
            d.created())) + "\tlast seen " + TIME.format(Instant.ofEpochMilli(d.lastSeen()))
            + (d.primary() ? "\t(primary)" : "") + (d.thisDevice() ? "\t(this device)" : ""));
      }
    }
    return ExitCodes.OK;
  }
}
