package org.parley.client.api;

/** A contact's identity key changed: the safety number is different and should be compared again. */
public record IdentityChange(String number, String accountId, long changedAt) {}
