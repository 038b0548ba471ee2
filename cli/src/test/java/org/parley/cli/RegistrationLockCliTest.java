package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * The registration lock from the command line (issue #17, finding 9): {@code set-pin} on the primary, then someone
 * with the SMS code alone cannot register the number; with the PIN they can; {@code remove-pin} lifts it.
 */
class RegistrationLockCliTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  /** {@code register NUMBER} in a new directory; the code is then in the server's dev SMS outbox. */
  private static Path requestCode(String number) throws Exception {
    Path dir = Files.createTempDirectory("parley-cli");
    Cli.Result requested = Cli.run(dir, "-s", parley.server().url().toString(), "register", number);
    assertThat(requested.code()).as(requested.err()).isZero();
    return dir;
  }

  @Test
  void aLockedNumberNeedsThePinAndTheCodeStaysGoodForTheRetry() throws Exception {
    String number = Users.newNumber();
    Path owner = Cli.register(parley.server(), number);
    Cli.Result tooShort = Cli.run(owner, "set-pin", "123");
    assertThat(tooShort.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(tooShort.err()).contains("4 to 64 characters");
    Cli.Result set = Cli.run(owner, "set-pin", "2468 1357");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("Registration lock set");

    Path other = requestCode(number);
    String code = parley.server().lastCode(number);
    Cli.Result noPin = Cli.run(other, "verify", code);
    assertThat(noPin.code()).isEqualTo(ExitCodes.REGISTRATION_LOCKED);
    assertThat(noPin.err()).contains(number + " has a registration lock").contains("--pin")
        .contains("lapses after 7 more day(s)");
    Cli.Result wrongPin = Cli.run(other, "verify", code, "--pin", "0000");
    assertThat(wrongPin.code()).isEqualTo(ExitCodes.REGISTRATION_LOCKED);
    assertThat(wrongPin.err()).contains("Wrong PIN");
    assertThat(Cli.run(owner, "devices").code()).isZero(); // the owner still has the number

    Cli.Result rightPin = Cli.run(other, "verify", code, "--pin", "2468 1357");
    assertThat(rightPin.code()).as(rightPin.err()).isZero();
    assertThat(rightPin.out()).startsWith("Registered " + number);
    assertThat(Cli.run(owner, "devices").code()).isEqualTo(ExitCodes.AUTHENTICATION);

    // The new primary takes the lock off; the code alone works again.
    Cli.Result removed = Cli.run(other, "remove-pin");
    assertThat(removed.code()).as(removed.err()).isZero();
    Path third = requestCode(number);
    Cli.Result codeAlone = Cli.run(third, "verify", parley.server().lastCode(number));
    assertThat(codeAlone.code()).as(codeAlone.err()).isZero();
  }
}
