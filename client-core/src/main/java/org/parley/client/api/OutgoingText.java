package org.parley.client.api;

/** One text for {@link ParleyClient#sendAll}: to whom, and what. */
public record OutgoingText(String number, String text) {}
