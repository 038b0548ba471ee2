package org.parley.desktop.vm;

import java.net.URI;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;

/** Opens the client for this data directory against a server (onboarding may change the server). */
@FunctionalInterface
public interface ClientFactory {
  ParleyClient open(URI server) throws ParleyException;
}
