package org.parley.client.api;

/** The registered account of this client. */
public record AccountInfo(String number, String accountId, int deviceId, String serverUrl) {}
