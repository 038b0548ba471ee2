package org.parley.client.api;

/** The outcome of {@link ParleyClient#link}: the account this device now belongs to and its profile name. */
public record LinkResult(AccountInfo account, String profileName) {}
