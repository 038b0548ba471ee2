package org.parley.client.internal.connection;

import org.parley.client.api.ParleyException;
import org.parley.client.internal.keys.PreKeys;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.net.ApiFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What each new connection does in the background: learn our other devices, then look after our prekeys. */
public final class AfterConnect implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(AfterConnect.class);

  private final OwnDevices ownDevices;
  private final PreKeys preKeys;

  public AfterConnect(OwnDevices ownDevices, PreKeys preKeys) {
    this.ownDevices = ownDevices;
    this.preKeys = preKeys;
  }

  @Override
  public void run() {
    try {
      ownDevices.refresh();
      preKeys.maintain();
    } catch (ParleyException | ApiFailure | RuntimeException e) {
      log.warn("after connecting: {}", e.getMessage());
    }
  }
}
