package org.parley.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.VideoSource;
import org.parley.desktop.vm.Format;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's "Echo" contact: an ordinary client-core client in the same process. For each message it reads it
 * (read receipt), shows typing for a moment, then answers: text with text, a picture with the picture mirrored, a
 * voice note with a voice note ({@link DemoVoice}), a file with a line saying it arrived. It answers calls too: after a moment of ringing it
 * picks up and plays a test tone (headless WAV audio, so it needs no sound card), and hangs up when the tone ends;
 * a video call it answers with client-core's test pattern (colour bars) as its picture.
 */
public final class EchoBot implements ParleyListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EchoBot.class);

  private final ParleyClient client;
  private final long typingMillis;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "echo-bot");
    t.setDaemon(true);
    return t;
  });

  /** How long a call with Echo lasts: the length of its test tone. */
  static final int TONE_SECONDS = 60;
  /** The id in Echo's test pattern (the desktop's own pattern uses another). */
  static final int PATTERN_ID = 42;

  private final Path tone;
  private final long answerMillis;
  private final CallListener calls = new Calls();
  private final ScheduledExecutorService callWorker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "echo-calls");
    t.setDaemon(true);
    return t;
  });

  public EchoBot(ParleyClient client, long typingMillis) {
    this(client, typingMillis, null, 1500);
  }

  /**
   * @param tone what Echo plays in a call (a WAV file, see {@link #writeTone}); null: Echo does not take calls
   * @param answerMillis how long Echo lets a call ring before answering
   */
  public EchoBot(ParleyClient client, long typingMillis, Path tone, long answerMillis) {
    this.client = client;
    this.typingMillis = typingMillis;
    this.tone = tone;
    this.answerMillis = answerMillis;
    client.addListener(this);
    if (tone != null) {
      client.calls().addListener(calls);
    }
  }

  /**
   * Writes Echo's test tone: 16 kHz mono 16-bit PCM, {@link #TONE_SECONDS} long, a rising two-note chime (440 Hz
   * then 660 Hz, 0.3 s each) every two seconds.
   */
  public static Path writeTone(Path file) throws IOException {
    int rate = 16_000;
    int samples = rate * TONE_SECONDS;
    ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      double t = (i % (2 * rate)) / (double) rate;
      double f = t < 0.3 ? 440 : t < 0.6 ? 660 : 0;
      double fade = Math.min(1, Math.min(t % 0.3, 0.3 - t % 0.3) / 0.02);
      pcm.putShort((short) (f == 0 ? 0 : 0.3 * Short.MAX_VALUE * fade * Math.sin(2 * Math.PI * f * t)));
    }
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2)
        .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header.array());
      out.write(pcm.array());
    }
    return file;
  }

  public ParleyClient client() {
    return client;
  }

  /** Says hello so the chat list is not empty. */
  public void greet(String number) {
    worker.execute(() -> {
      try {
        client.send(number, "Hi! I'm Echo, a bot in this demo. Write me anything and I'll send it back.");
      } catch (ParleyException e) {
        log.warn("Echo could not greet {}: {}", number, e.getMessage());
      }
    });
  }

  @Override
  public void messageReceived(Message message) {
    if (message.direction() != Message.Direction.INCOMING || message.isCall()) {
      return;
    }
    worker.execute(() -> reply(message));
  }

  private void reply(Message message) {
    String from = message.contactNumber();
    try {
      client.markRead(from);
      client.sendTyping(from, true);
      Thread.sleep(typingMillis);
      if (!message.hasAttachments()) {
        client.send(from, answer(message.text()));
        return;
      }
      for (Attachment a : message.attachments()) {
        if (a.voiceNote().isPresent()) {
          answerVoiceNote(from, a);
        } else if (a.isImage()) {
          answerPicture(from, a);
        } else {
          client.send(from, answerFile(a));
        }
      }
    } catch (ParleyException | IOException e) {
      log.warn("Echo could not answer {}: {}", from, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String answer(String text) {
    return "You said: " + text;
  }

  /** How long Echo waits for a picture to arrive before giving up on it. */
  private static final Duration PICTURE_WAIT = Duration.ofSeconds(60);

  private void answerPicture(String from, Attachment picture)
      throws ParleyException, IOException, InterruptedException {
    client.awaitDownload(picture.id(), PICTURE_WAIT);
    Path dir = Files.createTempDirectory("parley-echo-");
    Path mirrored = dir.resolve("mirrored.png");
    try {
      try (InputStream in = client.openAttachment(picture.id())) {
        EchoPictures.mirror(in, mirrored);
      } catch (IOException e) {
        client.send(from, "I could not read your picture " + picture.fileName() + " (" + e.getMessage() + ").");
        return;
      }
      client.send(from, "Your picture, mirrored", List.of(OutgoingAttachment.of(mirrored)));
    } finally {
      // client-core copied it into its own store before send returned.
      Files.deleteIfExists(mirrored);
      Files.deleteIfExists(dir);
    }
  }

  /** Echo answers a voice note with one of its own in the demo's made-up voice, about as long, at most 8 s. */
  private void answerVoiceNote(String from, Attachment note) throws ParleyException, IOException, InterruptedException {
    client.awaitDownload(note.id(), PICTURE_WAIT);
    double seconds = Math.max(1.5, Math.min(8, note.voiceNote().get().duration().toMillis() / 1000.0));
    Path dir = Files.createTempDirectory("parley-echo-");
    Path wav = dir.resolve("echo.wav");
    try {
      DemoVoice.writeWav(wav, seconds, note.id());
      client.sendVoiceNote(from, wav);
    } finally {
      Files.deleteIfExists(wav);
      Files.deleteIfExists(dir);
    }
  }

  static String answerFile(Attachment file) {
    return "Got your file " + file.fileName() + " (" + Format.bytes(file.size())
        + "). I can't open files, but it arrived safely.";
  }

  private final class Calls implements CallListener {
    @Override
    public void incomingCall(Call call) {
      callWorker.schedule(() -> answer(call), answerMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stateChanged(Call call) {
      if (call.state() == CallState.CONNECTED) {
        callWorker.schedule(() -> hangUp(call), TONE_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  private void answer(Call call) {
    if (client.calls().call(call.callId()).map(c -> c.state() != CallState.RINGING).orElse(true)) {
      return; // the caller gave up
    }
    try {
      CallOptions audioOnly = CallOptions.of(AudioIo.wav(tone, null));
      // A video call gets client-core's test pattern back: Echo has no camera, and the bars are easy to recognise.
      client.calls().answer(call.callId(), call.isVideo() ? audioOnly.withVideo(VideoSource.pattern(PATTERN_ID))
          : audioOnly);
    } catch (ParleyException e) {
      log.warn("Echo could not answer the call from {}: {}", call.peerNumber(), e.getMessage());
    }
  }

  private void hangUp(Call call) {
    try {
      client.calls().hangup(call.callId());
    } catch (ParleyException e) {
      log.debug("Echo's hang-up: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    callWorker.shutdownNow();
    if (tone != null) {
      client.calls().removeListener(calls);
    }
    worker.shutdownNow();
    try {
      worker.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.removeListener(this);
    client.close();
  }
}
