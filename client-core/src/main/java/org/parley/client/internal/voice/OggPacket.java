package org.parley.client.internal.voice;

/**
 * A packet of an Ogg logical stream.
 *
 * @param granulePosition the page's granule position when this is the last packet completed on its page, else -1
 */
record OggPacket(byte[] data, long granulePosition) {}
