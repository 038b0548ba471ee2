package org.parley.client.api.calls;

/**
 * A camera.
 *
 * @param id what {@link VideoSource.Camera} takes
 * @param name for people
 */
public record CameraDevice(String id, String name) {}
