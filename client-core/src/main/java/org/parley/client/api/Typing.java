package org.parley.client.api;

/** A contact started or stopped typing. */
public record Typing(String number, boolean started, long timestamp) {}
