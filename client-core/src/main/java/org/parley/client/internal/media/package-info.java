/**
 * Attachments end to end (docs/decisions/0121-attachments-client.md): uploads before the outbox sends a message,
 * downloads on a bounded pool, progress and state events, cancel and retry, opening, saving and deleting. The
 * building blocks (cipher, files, transfer) are in {@code internal.attachments}; this package ties them to the
 * messages.
 */
package org.parley.client.internal.media;
