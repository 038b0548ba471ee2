package org.parley.server.registration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.parley.server.storage.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For development and the demo: logs the code and appends {@code +15551234567 123456} to {@code dev-sms.txt} in the
 * data directory, where the demo, tests and people can read it.
 */
public final class DevSmsSender implements SmsSender {

  private static final Logger log = LoggerFactory.getLogger(DevSmsSender.class);

  private final Path outbox;

  public DevSmsSender(Path dataDir) {
    this.outbox = dataDir.resolve("dev-sms.txt");
  }

  public Path outbox() {
    return outbox;
  }

  @Override
  public synchronized void send(String number, String code) throws SmsException {
    log.info("Verification code for {}: {} (dev SMS sender; also in {})", number, code, outbox);
    try {
      PrivateFiles.file(outbox); // the codes let anyone register these numbers
      Files.writeString(outbox, number + " " + code + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new SmsException("could not write " + outbox, e);
    }
  }
}
