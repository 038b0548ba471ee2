package org.parley.server.storage;

/**
 * One stored copy of a message for one device. {@code id} orders a device's queue (oldest first);
 * {@code envelope} is the serialized {@code Envelope}, ciphertext included, exactly as it will be delivered.
 */
public record QueuedMessage(long id, DeviceAddress destination, String guid, long expiresAt, byte[] envelope) {}
