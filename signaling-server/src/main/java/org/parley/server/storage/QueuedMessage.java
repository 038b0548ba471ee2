package org.parley.server.storage;

/**
 * One stored copy of a message for one device. {@code id} orders a device's queue (oldest first);
 * {@code envelope} is the serialized {@code Envelope}, ciphertext included, exactly as it will be delivered;
 * {@code acceptedAt} is when the server took it (milliseconds), for the delivery-latency metric.
 */
public record QueuedMessage(
    long id, DeviceAddress destination, String guid, long acceptedAt, long expiresAt, byte[] envelope) {}
