package org.parley.client.internal.messaging;

import java.util.ArrayList;
import java.util.List;

/**
 * What to do once the inbox's transaction has committed: tell listeners, wake the outbox, hand call signaling on.
 * Nothing here may run earlier, or a listener could see a message that a rollback then takes back.
 */
public final class AfterCommit {

  private final List<Runnable> actions = new ArrayList<>();

  /** Adds an action; actions run in the order they were added. */
  public void then(Runnable action) {
    actions.add(action);
  }

  /** Runs the actions; called by whoever committed (the delivery handler), once. */
  public void run() {
    for (Runnable action : actions) {
      action.run();
    }
  }

  public boolean isEmpty() {
    return actions.isEmpty();
  }
}
