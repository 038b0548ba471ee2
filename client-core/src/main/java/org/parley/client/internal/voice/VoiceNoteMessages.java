package org.parley.client.internal.voice;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.voice.VoiceNote;

/** A voice note's duration and waveform to and from the fields its attachment pointer carries. */
public final class VoiceNoteMessages {

  private VoiceNoteMessages() {}

  public static org.parley.client.internal.proto.VoiceNote toProto(VoiceNote note) {
    byte[] waveform = new byte[note.waveform().size()];
    for (int i = 0; i < waveform.length; i++) {
      waveform[i] = (byte) (int) note.waveform().get(i);
    }
    return org.parley.client.internal.proto.VoiceNote.newBuilder()
        .setDurationMs((int) Math.min(note.duration().toMillis(), 0xffffffffL)) // uint32
        .setWaveform(ByteString.copyFrom(waveform))
        .build();
  }

  public static VoiceNote fromProto(org.parley.client.internal.proto.VoiceNote message)
      throws InvalidInputException {
    long millis = Integer.toUnsignedLong(message.getDurationMs());
    if (millis > VoiceNoteEncoder.MAX_DURATION.toMillis()) {
      throw new InvalidInputException("A voice note of " + Duration.ofMillis(millis).toMinutes()
          + " minutes is longer than any Parley makes (" + VoiceNoteEncoder.MAX_DURATION.toMinutes() + ")");
    }
    if (message.getWaveform().size() > VoiceNote.MAX_WAVEFORM_BUCKETS) {
      throw new InvalidInputException("A voice note's waveform has at most " + VoiceNote.MAX_WAVEFORM_BUCKETS
          + " buckets, not " + message.getWaveform().size());
    }
    List<Integer> waveform = new ArrayList<>(message.getWaveform().size());
    for (byte level : message.getWaveform().toByteArray()) {
      waveform.add(level & 0xff);
    }
    return new VoiceNote(Duration.ofMillis(millis), waveform);
  }
}
