package org.parley.client;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.internal.ClientComponents;
import org.parley.client.internal.connection.FaultInjection;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.TestUser;

/**
 * What the group tests share: a real server on loopback with Alice, Bob and Carol registered and connected, a group
 * made and known to its members, what a device shows of it, and a device opened to feed its inbox crafted envelopes.
 */
abstract class GroupTestBase {

  static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  final ParleyServerExtension parley = ParleyServerExtension.builder().users(3).build();

  TestUser alice;
  TestUser bob;
  TestUser carol;

  @BeforeEach
  void connectEveryone() throws Exception {
    alice = parley.user(0);
    bob = parley.user(1);
    carol = parley.user(2);
    for (TestUser user : parley.users()) {
      user.client().connect();
    }
  }

  /** A user registered and connected besides the three. */
  TestUser dave() throws Exception {
    TestUser dave = parley.register();
    dave.client().connect();
    return dave;
  }

  /** {@code admin} makes the group; returns once every member's device knows it. */
  static GroupId group(TestUser admin, String name, TestUser... members) throws Exception {
    GroupId id = admin.client().createGroup(name, Arrays.stream(members).map(TestUser::number).toList()).id();
    await().atMost(WAIT).until(() -> Arrays.stream(members).allMatch(m -> knows(m.client(), id)));
    return id;
  }

  /**
   * Closes {@code user}'s client and opens its store with the parts exposed, so that a test can put envelopes
   * straight into its inbox (forged or captured ones the server would not deliver).
   */
  ClientComponents openDirectly(TestUser user) throws Exception {
    user.client().close();
    return ClientComponents.open(ClientOptions.of(user.dataDir(), parley.url()), FaultInjection.NONE);
  }

  static List<String> texts(ParleyClient client, GroupId group) throws Exception {
    return client.groupHistory(group, 100).stream().filter(e -> e instanceof GroupMessage)
        .map(e -> ((GroupMessage) e).text()).toList();
  }

  static List<String> systemLines(ParleyClient client, GroupId group) throws Exception {
    return client.groupHistory(group, 100).stream().filter(e -> e instanceof GroupEvent)
        .map(e -> ((GroupEvent) e).describe(n -> n)).toList();
  }

  static boolean knows(ParleyClient client, GroupId group) {
    try {
      client.group(group);
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
