package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.CallTest.Events;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.I420Frame;
import org.parley.client.api.calls.MediaState;
import org.parley.client.api.calls.VideoFrameListener;
import org.parley.client.api.calls.VideoSource;
import org.parley.client.internal.calls.DefaultCallManager;
import org.parley.client.internal.calls.Sdp;
import org.parley.client.internal.calls.TestPattern;
import org.parley.client.internal.calls.Y4m;
import org.parley.testing.ParleyServerExtension;

/**
 * Video calls between real clients through the real server on loopback, with real libwebrtc (VP8 over DTLS-SRTP):
 * each side sends the synthetic test pattern with its own id, and what the other side decodes — and records to
 * y4m — must carry that id, in order, at the pattern's size and near its frame rate. Small frames (320×240 at
 * 15 fps) keep two encoders and two decoders within a shared 2-core machine.
 */
class VideoCallTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final int W = 320;
  static final int H = 240;
  static final int FPS = 15;
  static Path dir;

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().turn().users(2).build();

  @BeforeAll
  static void videoDirectory() throws Exception {
    dir = Files.createTempDirectory("parley-video");
  }

  static VideoSource pattern(int id) {
    return new VideoSource.Pattern(W, H, FPS, id);
  }

  /** Reads the pattern's marker off every remote frame as it arrives. */
  static final class Seen implements VideoFrameListener {
    record Frame(long atNanos, int width, int height, Optional<TestPattern.Marker> marker, boolean bars) {}

    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<Frame> local = new CopyOnWriteArrayList<>();

    @Override
    public void remoteFrame(String callId, I420Frame f) {
      frames.add(read(f));
    }

    @Override
    public void localFrame(String callId, I420Frame f) {
      if (local.size() < 100) {
        local.add(read(f));
      }
    }

    private static Frame read(I420Frame f) {
      return new Frame(System.nanoTime(), f.width(), f.height(), TestPattern.read(f.width(), f.height(), f.y(),
          f.strideY()), TestPattern.barsMatch(f.width(), f.height(), f.u(), f.strideU(), f.v(), f.strideV(), 30));
    }

    /** Frames that arrived since {@code index} whose marker names {@code id}. */
    long withId(int from, int id) {
      return frames.subList(from, frames.size()).stream()
          .filter(fr -> fr.marker().map(m -> m.id() == id).orElse(false)).count();
    }
  }

  record Pair(ParleyClient a, ParleyClient b, Events aEvents, Events bEvents, Seen aSeen, Seen bSeen,
      String bNumber) implements AutoCloseable {
    @Override
    public void close() {
      a.close();
      b.close();
    }

    MediaState media(Events events, String callId) {
      return events.last(callId).media();
    }
  }

  static Pair pair() throws Exception {
    ParleyClient a = parley.user(0).client();
    ParleyClient b = parley.user(1).client();
    Events aEvents = new Events();
    Events bEvents = new Events();
    Seen aSeen = new Seen();
    Seen bSeen = new Seen();
    a.calls().addListener(aEvents);
    b.calls().addListener(bEvents);
    a.calls().addVideoListener(aSeen);
    b.calls().addVideoListener(bSeen);
    a.connect();
    b.connect();
    await().atMost(WAIT).until(() -> a.awaitQueueDrained(Duration.ofMillis(10))
        && b.awaitQueueDrained(Duration.ofMillis(10)));
    return new Pair(a, b, aEvents, bEvents, aSeen, bSeen, parley.user(1).number());
  }

  @Test
  void eachSideSeesAndRecordsTheOthersPatternOverVp8AtItsSizeAndNearItsFrameRate() throws Exception {
    Path aRecording = dir.resolve("alice-saw.y4m");
    Path bRecording = dir.resolve("bob-saw.y4m");
    try (Pair p = pair()) {
      Call call = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()).withVideo(pattern(1))
          .withVideoRecording(aRecording));
      assertThat(call.media().localVideo()).isTrue();
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);
      Call ringing = p.bEvents().incoming.get(0);
      assertThat(ringing.isVideo()).isTrue();
      assertThat(ringing.media().remoteVideo()).isTrue();
      p.b().calls().answer(call.callId(), CallOptions.of(AudioIo.silent()).withVideo(pattern(2))
          .withVideoRecording(bRecording));
      await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.CONNECTED));
      await().atMost(WAIT).until(() -> p.aSeen().withId(0, 2) > 0 && p.bSeen().withId(0, 1) > 0);
      assertThat(p.media(p.aEvents(), call.callId())).isEqualTo(new MediaState(true, true, Optional.empty()));
      assertThat(p.media(p.bEvents(), call.callId())).isEqualTo(new MediaState(true, true, Optional.empty()));

      int aFrom = p.aSeen().frames.size();
      int bFrom = p.bSeen().frames.size();
      long start = System.nanoTime();
      Thread.sleep(5000);
      double seconds = (System.nanoTime() - start) / 1e9;
      CallStats stats = p.a().calls().stats(call.callId());
      String[] sdp = ((DefaultCallManager) p.a().calls()).descriptions(call.callId());
      p.a().calls().hangup(call.callId());
      await().atMost(WAIT).until(() -> p.bEvents().reached(call.callId(), CallState.ENDED));

      // VP8, first in both descriptions; the stats name it as the codec in use.
      assertThat(Sdp.videoCodecs(sdp[0])).first().isEqualTo("VP8");
      assertThat(Sdp.videoCodecs(sdp[1])).first().isEqualTo("VP8");
      assertThat(stats.video()).hasValueSatisfying(v -> {
        assertThat(v.codec()).isEqualTo("video/VP8");
        assertThat(v.framesDecoded()).isGreaterThan(30);
      });
      // Each side decoded the other's pattern, not its own, at the pattern's size and near its frame rate.
      for (Seen seen : List.of(p.aSeen(), p.bSeen())) {
        int from = seen == p.aSeen() ? aFrom : bFrom;
        int otherId = seen == p.aSeen() ? 2 : 1;
        List<Seen.Frame> window = new ArrayList<>(seen.frames.subList(from, seen.frames.size()));
        assertThat(window.size() / seconds).as("frames per second decoded").isBetween(FPS * 0.6, FPS * 1.2);
        assertThat(seen.withId(from, otherId)).as("frames showing the other side's id")
            .isGreaterThan(window.size() * 9L / 10);
        assertThat(window).allSatisfy(f -> f.marker().ifPresent(m -> assertThat(m.id()).isEqualTo(otherId)));
        assertThat(window.stream().filter(Seen.Frame::bars).count()).isGreaterThan(window.size() * 9L / 10);
        assertThat(window.stream().filter(f -> f.width() == W && f.height() == H).count())
            .isGreaterThan(window.size() * 8L / 10);
        List<Integer> counters = window.stream().flatMap(f -> f.marker().stream()).map(TestPattern.Marker::counter)
            .toList();
        assertThat(counters).isSorted();
        assertThat(counters.get(counters.size() - 1) - counters.get(0)).as("source frames spanned")
            .isBetween((int) (FPS * seconds * 0.8), (int) (FPS * seconds * 1.2));
      }
      assertThat(p.aSeen().local).isNotEmpty().allSatisfy(f -> assertThat(f.marker().get().id()).isEqualTo(1));

      // The recordings: 30 fps of call time, the first frame's size, and the other side's pattern.
      assertRecording(aRecording, 2);
      assertRecording(bRecording, 1);
    }
  }

  private static void assertRecording(Path file, int id) throws Exception {
    try (Y4m.Reader reader = new Y4m.Reader(file)) {
      Y4m.Header h = reader.header();
      assertThat(h).isEqualTo(new Y4m.Header(W, H, 30, 1));
      int frames = 0;
      TreeSet<Integer> counters = new TreeSet<>();
      byte[] packed;
      while ((packed = reader.next()) != null) {
        frames++;
        Optional<TestPattern.Marker> m = TestPattern.read(W, H, ByteBuffer.wrap(packed), W);
        if (m.isPresent()) {
          assertThat(m.get().id()).isEqualTo(id);
          counters.add(m.get().counter());
        }
      }
      assertThat(frames).as("30 frames per second over 5+ s").isGreaterThan(150);
      // The source runs at 15 fps: about every other recorded frame repeats one.
      assertThat((double) counters.size() / frames).isBetween(0.35, 0.65);
    }
  }

  @Test
  void eitherSideTurnsItsCameraOnAndOffMidCall() throws Exception {
    try (Pair p = pair()) {
      Call call = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()));
      assertThat(call.isVideo()).isFalse();
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);
      assertThat(p.bEvents().incoming.get(0).isVideo()).isFalse();
      assertThatThrownBy(() -> p.b().calls().startVideo(call.callId(), pattern(2)))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("not answered");
      p.b().calls().answer(call.callId(), CallOptions.of(AudioIo.silent()));
      await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.CONNECTED));
      assertThat(p.media(p.aEvents(), call.callId())).isEqualTo(MediaState.AUDIO_ONLY);

      // The caller turns its camera on: renegotiated, and Bob gets Alice's frames.
      p.a().calls().startVideo(call.callId(), pattern(1));
      await().atMost(WAIT).until(() -> p.media(p.bEvents(), call.callId()).remoteVideo()
          && p.bSeen().withId(0, 1) > 5);
      assertThat(p.media(p.aEvents(), call.callId())).isEqualTo(new MediaState(true, false, Optional.empty()));

      // ... and off: Bob's view says so, and frames stop.
      p.a().calls().stopVideo(call.callId());
      await().atMost(WAIT).until(() -> !p.media(p.bEvents(), call.callId()).remoteVideo());
      assertThat(p.media(p.aEvents(), call.callId())).isEqualTo(MediaState.AUDIO_ONLY);
      Thread.sleep(500);
      int stopped = p.bSeen().frames.size();
      Thread.sleep(1500);
      assertThat(p.bSeen().frames.size() - stopped).as("frames after the camera went off").isLessThan(3);

      // The callee turns its camera on (its own offer), then the caller's comes back on too.
      p.b().calls().startVideo(call.callId(), pattern(2));
      await().atMost(WAIT).until(() -> p.media(p.aEvents(), call.callId()).remoteVideo()
          && p.aSeen().withId(0, 2) > 5);
      int bFrom = p.bSeen().frames.size();
      p.a().calls().startVideo(call.callId(), pattern(3));
      await().atMost(WAIT).until(() -> p.bSeen().withId(bFrom, 3) > 5);
      assertThat(p.media(p.aEvents(), call.callId())).isEqualTo(new MediaState(true, true, Optional.empty()));
      assertThat(p.media(p.bEvents(), call.callId())).isEqualTo(new MediaState(true, true, Optional.empty()));
      assertThat(p.a().calls().call(call.callId()).get().state()).isEqualTo(CallState.CONNECTED);
      p.a().calls().hangup(call.callId());
      await().atMost(WAIT).until(() -> p.bEvents().reached(call.callId(), CallState.ENDED));
    }
  }

  @Test
  void switchingTheSourceMidCallNeedsNoRenegotiationAndTheRecordingShowsTheNewSource() throws Exception {
    Path bRecording = dir.resolve("bob-saw-a-switch.y4m");
    try (Pair p = pair()) {
      Call call = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()).withVideo(pattern(1)));
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);
      p.b().calls().answer(call.callId(), CallOptions.of(AudioIo.silent()).withVideoRecording(bRecording));
      await().atMost(WAIT).until(() -> p.bSeen().withId(0, 1) > 15);
      String[] before = ((DefaultCallManager) p.a().calls()).descriptions(call.callId());

      // Another "camera": a source whose frames carry id 4, on the same sender.
      p.a().calls().startVideo(call.callId(), pattern(4));
      int from = p.bSeen().frames.size();
      await().atMost(WAIT).until(() -> p.bSeen().withId(from, 4) > 15);
      String[] after = ((DefaultCallManager) p.a().calls()).descriptions(call.callId());
      // No new offer or answer: the session descriptions (their o= versions included) are the same.
      assertThat(origin(after[0])).isEqualTo(origin(before[0]));
      assertThat(origin(after[1])).isEqualTo(origin(before[1]));
      // Once the new source's frames arrive, the old one's stop.
      List<Seen.Frame> later = p.bSeen().frames.subList(from, p.bSeen().frames.size());
      int firstNew = indexOfId(later, 4);
      assertThat(later.subList(firstNew, later.size())).noneMatch(f -> f.marker().map(m -> m.id() == 1)
          .orElse(false));
      assertThat(p.media(p.aEvents(), call.callId())).isEqualTo(new MediaState(true, false, Optional.empty()));
      // ... and back.
      p.a().calls().startVideo(call.callId(), pattern(1));
      int back = p.bSeen().frames.size();
      await().atMost(WAIT).until(() -> p.bSeen().withId(back, 1) > 15);
      assertThat(origin(((DefaultCallManager) p.a().calls()).descriptions(call.callId())[0]))
          .isEqualTo(origin(before[0]));
      p.a().calls().hangup(call.callId());
      await().atMost(WAIT).until(() -> p.bEvents().reached(call.callId(), CallState.ENDED));
    }
    // Bob's recording: id 1, then 4, then 1 again, in that order.
    List<Integer> ids = new ArrayList<>();
    try (Y4m.Reader reader = new Y4m.Reader(bRecording)) {
      byte[] packed;
      while ((packed = reader.next()) != null) {
        Optional<TestPattern.Marker> m = TestPattern.read(W, H, ByteBuffer.wrap(packed), W);
        if (m.isPresent() && (ids.isEmpty() || ids.get(ids.size() - 1) != m.get().id())) {
          ids.add(m.get().id());
        }
      }
    }
    assertThat(ids).containsExactly(1, 4, 1);
  }

  private static String origin(String sdp) {
    return sdp.lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow();
  }

  private static int indexOfId(List<Seen.Frame> frames, int id) {
    for (int i = 0; i < frames.size(); i++) {
      if (frames.get(i).marker().map(m -> m.id() == id).orElse(false)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aCalleeThatDeclinesVideoGetsAnAudioOnlyCall() throws Exception {
    try (Pair p = pair()) {
      Call call = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()).withVideo(pattern(1)));
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);
      assertThat(p.bEvents().incoming.get(0).isVideo()).isTrue();
      p.b().calls().answer(call.callId(), CallOptions.of(AudioIo.silent()).withoutVideo());
      await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.CONNECTED));
      await().atMost(WAIT).until(() -> !p.media(p.aEvents(), call.callId()).localVideo());
      assertThat(p.media(p.aEvents(), call.callId()))
          .isEqualTo(new MediaState(false, false, Optional.of("The other side declined video")));
      assertThat(p.media(p.bEvents(), call.callId())).isEqualTo(MediaState.AUDIO_ONLY);
      Thread.sleep(2000);
      assertThat(p.bSeen().frames).isEmpty();
      CallStats stats = p.b().calls().stats(call.callId());
      assertThat(stats.packetsReceived()).as("audio flows").isGreaterThan(50);
      p.b().calls().hangup(call.callId());
      await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.ENDED));
    }
  }

  @Test
  void withoutACameraAVideoCallGoesOnWithAudioAndSaysWhy() throws Exception {
    try (Pair p = pair()) {
      assumeThat(p.a().calls().cameras()).as("this machine has no camera").isEmpty();
      Call call = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent())
          .withVideo(VideoSource.camera()));
      assertThat(call.media()).isEqualTo(new MediaState(false, false, Optional.of("No camera found")));
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);
      assertThat(p.bEvents().incoming.get(0).isVideo()).isFalse();
      p.b().calls().answer(call.callId(), CallOptions.of(AudioIo.silent()));
      await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.CONNECTED));
      assertThatThrownBy(() -> p.a().calls().startVideo(call.callId(), VideoSource.camera()))
          .isInstanceOf(CallException.class).hasMessage("No camera found");
      assertThat(p.a().calls().call(call.callId()).get().state()).isEqualTo(CallState.CONNECTED);
      p.a().calls().hangup(call.callId());
      await().atMost(WAIT).until(() -> p.bEvents().reached(call.callId(), CallState.ENDED));
    }
  }

  @Test
  void aY4mFileIsSentLoopedAndScaledDownToTheCap() throws Exception {
    // 1300x100 is wider than 1280: it must arrive scaled to 1280x98 (even, aspect kept), in a small picture.
    int w = 1300;
    int h = 100;
    Path clip = dir.resolve("wide.y4m");
    Y4m.Header header = new Y4m.Header(w, h, 15, 1);
    try (Y4m.Writer writer = new Y4m.Writer(clip, header)) {
      for (int i = 0; i < 10; i++) {
        byte[] frame = new byte[header.frameBytes()];
        ByteBuffer all = ByteBuffer.wrap(frame);
        int c = header.chromaWidth() * header.chromaHeight();
        new TestPattern(w, h, 5).draw(i, all.slice(0, w * h), w, all.slice(w * h, c), header.chromaWidth(),
            all.slice(w * h + c, c), header.chromaWidth());
        writer.write(frame);
      }
    }
    try (Pair p = pair()) {
      Call call = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent())
          .withVideo(VideoSource.y4m(clip)));
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);
      p.b().calls().answer(call.callId(), CallOptions.of(AudioIo.silent()));
      await().atMost(WAIT).until(() -> p.bSeen().withId(0, 5) > 25);
      List<Seen.Frame> marked = p.bSeen().frames.stream().filter(f -> f.marker().isPresent()).toList();
      assertThat(marked).allSatisfy(f -> {
        assertThat(f.width()).isEqualTo(1280);
        assertThat(f.height()).isEqualTo(98);
      });
      // Ten frames, from the start again: counters 0-9 only, and the loop came round.
      assertThat(marked).extracting(f -> f.marker().get().counter()).allSatisfy(c -> assertThat(c).isBetween(0, 9));
      assertThat(marked.stream().filter(f -> f.marker().get().counter() == 0).count()).isGreaterThan(1);
      p.a().calls().hangup(call.callId());
      await().atMost(WAIT).until(() -> p.bEvents().reached(call.callId(), CallState.ENDED));
    }
  }

  @Test
  void bothCamerasTurnedOnAtOnceEndUpBothWaysWhenTheOffersCross() throws Exception {
    try (Pair p = pair()) {
      Call call = p.a().calls().placeCall(p.bNumber(), CallOptions.of(AudioIo.silent()));
      await().atMost(WAIT).until(() -> p.bEvents().incoming.size() == 1);
      p.b().calls().answer(call.callId(), CallOptions.of(AudioIo.silent()));
      await().atMost(WAIT).until(() -> p.aEvents().reached(call.callId(), CallState.CONNECTED)
          && p.bEvents().reached(call.callId(), CallState.CONNECTED));
      // Both offers leave before either arrives (each side's call thread sends its own): the callee gives way.
      CompletableFuture<Void> alice = CompletableFuture.runAsync(() -> start(p.a(), call.callId(), 1));
      CompletableFuture<Void> bob = CompletableFuture.runAsync(() -> start(p.b(), call.callId(), 2));
      alice.get(30, TimeUnit.SECONDS);
      bob.get(30, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> p.aSeen().withId(0, 2) > 5 && p.bSeen().withId(0, 1) > 5);
      await().atMost(WAIT).until(() -> p.media(p.aEvents(), call.callId()).equals(new MediaState(true, true,
          Optional.empty())) && p.media(p.bEvents(), call.callId()).equals(new MediaState(true, true,
          Optional.empty())));
      // One video section: the callee's withdrawn transceiver was paired with the caller's, not left beside it.
      String[] sdp = ((DefaultCallManager) p.b().calls()).descriptions(call.callId());
      assertThat(sdp[0].split("m=video ", -1)).hasSize(2);
      assertThat(sdp[1].split("m=video ", -1)).hasSize(2);
      p.a().calls().hangup(call.callId());
      await().atMost(WAIT).until(() -> p.bEvents().reached(call.callId(), CallState.ENDED));
    }
  }

  private static void start(ParleyClient client, String callId, int id) {
    try {
      client.calls().startVideo(callId, pattern(id));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
