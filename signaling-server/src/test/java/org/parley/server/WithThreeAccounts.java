package org.parley.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;

/** The setting of the group-message tests: a fresh server per test with three registered one-device accounts. */
abstract class WithThreeAccounts {

  protected TestServer server;
  protected Api api;
  protected Api.Device alice;
  protected Api.Device bob;
  protected Api.Device carol;

  @BeforeEach
  void startServerWithThreeAccounts() throws Exception {
    server = TestServer.start();
    api = server.api;
    alice = api.register("+15553330001");
    bob = api.register("+15553330002");
    carol = api.register("+15553330003");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }
}
