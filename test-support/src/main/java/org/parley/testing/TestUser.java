package org.parley.testing;

import java.nio.file.Path;
import org.parley.client.api.ParleyClient;

/**
 * A registered user of a test: a real client (not connected until the test says so) in its own data directory,
 * with a {@link Recorder} that has heard every event since registration.
 */
public record TestUser(String number, Path dataDir, ParleyClient client, Recorder events) {}
