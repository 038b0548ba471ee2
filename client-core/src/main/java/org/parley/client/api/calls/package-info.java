/**
 * Peer-to-peer audio and video calls: {@link org.parley.client.api.calls.CallManager} (from
 * {@link org.parley.client.api.ParleyClient#calls()}) places, answers, declines and hangs up calls;
 * {@link org.parley.client.api.calls.CallListener} reports incoming calls, state changes and statistics; an
 * {@link org.parley.client.api.calls.AudioIo} says where the sound comes from and goes to (real devices, or WAV files
 * for headless use), a {@link org.parley.client.api.calls.VideoSource} where the video comes from (test pattern,
 * y4m file, camera) and {@link org.parley.client.api.calls.VideoFrameListener} receives decoded frames. Video is VP8.
 * Calls are Opus at 16 kHz / ~20 kbps over DTLS-SRTP, peer to peer with STUN, or through TURN.
 */
package org.parley.client.api.calls;
