package org.parley.turn.server;

import java.net.InetSocketAddress;
import org.parley.turn.stack.Transport;

/** The client's 5-tuple that names an allocation (RFC 8656 section 2): transport, client and server address. */
public record FiveTuple(Transport transport, InetSocketAddress client, InetSocketAddress server) {}
