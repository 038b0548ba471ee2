package org.parley.turn.auth;

import java.time.Instant;

/** A TURN username/password pair, as handed to a client, and when it stops working. */
public record TurnCredential(String username, String password, Instant expiresAt) {}
