package org.parley.client.api.calls;

/**
 * A microphone or speaker.
 *
 * @param id what {@link AudioIo.Devices} takes
 * @param name for people
 * @param isDefault the system's default of its kind
 */
public record AudioDevice(String id, String name, boolean isDefault) {}
