package org.parley.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.parley.client.api.LinkProgress;
import org.parley.client.api.LinkResult;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "link", mixinStandardHelpOptions = true,
    description = {"Link this new data directory to an account as a new device.",
        "Prints a parley://link URI (its first line; a new one whenever the old one expires) for the primary's "
            + "'add-device', and waits until linked."})
final class LinkCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "parley-cli",
      description = "This device's name in the account's device list (default ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--qr-file", paramLabel = "PNG", description = "Also write the link as a QR code image here.")
  Path qrFile;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "How long to wait for the primary (default ${DEFAULT-VALUE}).")
  int timeout;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      LinkResult result = client.link(name, new LinkProgress() {
        @Override
        public void showLink(String linkUri) {
          if (qrFile != null) {
            try {
              QrCodes.writePng(linkUri, qrFile);
            } catch (IOException e) {
              throw new UncheckedIOException("writing " + qrFile, e);
            }
          }
          parent.out().println(linkUri);
          parent.out().flush();
        }

        @Override
        public void linking() {
          parent.err().println("The primary answered; registering this device ...");
        }
      }, Duration.ofSeconds(timeout));
      parent.out().println("Linked as device " + result.account().deviceId() + " of " + result.account().number()
          + (result.profileName().isEmpty() ? "" : " (" + result.profileName() + ")"));
    }
    return ExitCodes.OK;
  }
}
