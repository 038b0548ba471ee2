package org.parley.client.internal.voice;

import org.parley.client.api.voice.VoiceNote;

/** A recording encoded for sending: the Ogg Opus file and what its pointer carries. */
public record EncodedVoiceNote(byte[] oggOpus, VoiceNote note) {}
