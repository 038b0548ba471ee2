package org.parley.client.api;

import java.util.Optional;

/**
 * The safety number of a conversation: both parties see the same 60 digits when no one is in the middle.
 *
 * @param digits 60 digits in twelve groups of five separated by spaces
 * @param scannable the bytes a QR code would carry (libsignal's scannable fingerprint)
 * @param identityChangedAt when the contact's identity key last changed (ms), if it did
 */
public record SafetyNumber(String number, String digits, byte[] scannable, Optional<Long> identityChangedAt) {}
