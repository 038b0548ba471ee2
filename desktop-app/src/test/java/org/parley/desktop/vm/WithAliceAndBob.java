package org.parley.desktop.vm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ParleyClient;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * The setting of the ViewModel tests over real clients: a test server for the class, Alice and Bob registered and
 * connected on it, and a {@link VmHarness}. The extension object is shared by the subclasses; JUnit starts its server
 * before each test class and stops it after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WithAliceAndBob {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  protected ParleyClient alice;
  protected ParleyClient bob;
  protected final String aliceNumber = Users.newNumber();
  protected final String bobNumber = Users.newNumber();
  protected final VmHarness h = new VmHarness();

  @BeforeAll
  void connectAliceAndBob() throws Exception {
    alice = parley.register(aliceNumber).client();
    bob = parley.register(bobNumber).client();
    alice.connect();
    bob.connect();
  }

  @AfterAll
  void closeAliceAndBob() {
    h.close();
    alice.close();
    bob.close();
  }
}
