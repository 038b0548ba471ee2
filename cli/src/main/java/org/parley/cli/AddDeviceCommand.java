package org.parley.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.groups.GroupInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "add-device", mixinStandardHelpOptions = true,
    description = "On the primary device: link the new device showing URI (or the QR code in a PNG).")
final class AddDeviceCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(paramLabel = "URI", arity = "0..1", description = "The parley://link?... URI the new device shows.")
  String uri;

  @Option(names = "--qr", paramLabel = "PNG", description = "Read the URI from this QR code image instead.")
  Path qr;

  @Option(names = "--profile-name", paramLabel = "NAME", defaultValue = "",
      description = "The profile name the new device shows for this account.")
  String profileName;

  @Override
  public Integer call() throws Exception {
    if ((uri == null) == (qr == null)) {
      throw new InvalidInputException("Give either the link URI or --qr PNG (one of them)");
    }
    String link = uri != null ? uri : QrCodes.readPng(qr);
    try (ParleyClient client = parent.open()) {
      LinkedDevice device = client.addDevice(link, profileName);
      parent.out().println("Linked device " + device.deviceId() + " (" + device.name() + ")");
      if (client.groups().stream().anyMatch(GroupInfo::selfIsMember)) {
        // The groups' state goes to the new device through the group outbox: send it now, as `send` would.
        client.connect();
        client.awaitOutboxEmpty(Duration.ofSeconds(10));
      }
    }
    return ExitCodes.OK;
  }
}
