package org.parley.demo.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallOptions;
import org.parley.demo.DemoEnvironment;
import org.parley.demo.DemoSetup;
import org.parley.desktop.AppContext;
import org.parley.desktop.DesktopApp;
import org.parley.desktop.maps.TileServer;
import org.parley.desktop.settings.Theme;
import org.parley.desktop.view.AppWindow;
import org.parley.desktop.vm.AttachmentItem;
import org.parley.desktop.vm.CallViewModel;
import org.parley.desktop.vm.ConversationRow;
import org.parley.desktop.vm.ConversationViewModel;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.OnboardingViewModel;

/**
 * {@code --demo --onboarding --screenshots DIR}: walks the real window through its key screens and writes a PNG of
 * each (used by {@code demo/scripts/screenshots.sh} under Xvfb), then quits.
 */
public final class ScreenshotTour {

  private final AppWindow window;
  private final AppContext context;
  private final DemoSetup setup;
  private final Path dir;
  private final List<ParleyClient> friends = new ArrayList<>();
  private static final String MAYA = "+15550100002";
  private static final String SAM = "+15550100003";

  private ScreenshotTour(AppWindow window, AppContext context, DemoSetup setup, Path dir) {
    this.window = window;
    this.context = context;
    this.setup = setup;
    this.dir = dir;
  }

  /** The tour as the app's window tool: it runs on its own thread and ends the app (status 1 if it failed). */
  public static DesktopApp.WindowTool tool(DemoSetup setup, Path dir) {
    return (window, context, app) -> {
      Thread t = new Thread(() -> {
        int status = 0;
        ScreenshotTour tour = new ScreenshotTour(window, context, setup, dir);
        try {
          tour.tour();
        } catch (Exception | AssertionError e) {
          e.printStackTrace();
          status = 1;
        } finally {
          tour.friends.forEach(ParleyClient::close);
        }
        app.exit(status);
      }, "screenshot-tour");
      t.setDaemon(true);
      t.start();
    };
  }

  private void tour() throws Exception {
    DemoEnvironment demo = await(setup::environment, 60);
    OnboardingViewModel onboarding = await(() -> Optional.ofNullable(window.onboarding()), 60);
    settle();
    shot("01-onboarding.png");
    fx(onboarding::chooseLink);
    waitFor(() -> !onboarding.linkUri.get().isEmpty(), 30);
    settle();
    shot("01b-onboarding-link.png");
    fx(onboarding::back);
    fx(onboarding::chooseRegister);
    settle();
    shot("02-onboarding-phone.png");
    fx(onboarding::requestCode);
    waitFor(() -> onboarding.step.get() == OnboardingViewModel.Step.CODE, 30);
    settle();
    shot("03-onboarding-code.png");
    fx(onboarding::verify);
    waitFor(() -> onboarding.step.get() == OnboardingViewModel.Step.PROFILE, 30);
    fx(() -> onboarding.profileName.set("Alex Morgan"));
    fx(onboarding::finish);
    MainViewModel main = window.mainShown().get(30, TimeUnit.SECONDS);

    ParleyClient mayaClient = friend(demo, MAYA, "Maya Chen", "Are we still on for lunch tomorrow?");
    ParleyClient samClient = friend(demo, SAM, "Sam Okafor", "The slides look great, thanks!");
    waitFor(() -> main.chatList.chats.get().size() >= 3, 30);
    settle();
    shot("04-chat-list.png");

    fx(() -> main.open(DemoEnvironment.ECHO_NUMBER, Optional.empty()));
    ConversationViewModel echo = main.current.get().orElseThrow();
    waitFor(() -> echo.rows.size() >= 2, 30);
    fx(() -> echo.send("Hello Echo! Is this really end-to-end encrypted?"));
    waitFor(() -> countBubbles(echo, false) >= 2, 30);
    fx(() -> echo.send("Nice. Sending one more to see the ticks."));
    waitFor(echo::isTyping, 30);
    settle();
    shot("05-conversation-typing.png");
    waitFor(() -> countBubbles(echo, false) >= 3 && allRead(echo), 30);
    settle();
    shot("06-conversation-ticks.png");

    // Maya's client stores the reply (two grey ticks) but does not read it.
    fx(() -> main.open(MAYA, Optional.empty()));
    ConversationViewModel maya = main.current.get().orElseThrow();
    waitFor(() -> maya.rows.size() >= 2, 30);
    fx(() -> maya.send("Yes! 12:30 at the usual place?"));
    waitFor(() -> maya.rows.snapshot().stream().anyMatch(r -> r instanceof ConversationRow.Bubble b && b.outgoing()
        && b.status() == MessageStatus.DELIVERED), 30);
    settle();
    shot("07-conversation-delivered.png");
    fx(() -> main.open(DemoEnvironment.ECHO_NUMBER, Optional.empty()));
    ConversationViewModel echoAgain = main.current.get().orElseThrow();
    waitFor(() -> echoAgain.rows.size() >= 5, 30);

    fx(() -> main.showPanel(MainViewModel.Panel.SAFETY_NUMBER));
    waitFor(() -> echoAgain.safetyNumber.get().isPresent(), 30);
    settle();
    shot("08-safety-number.png");
    fx(main::escape);

    calls(demo, main, echoAgain);
    attachments(echoAgain);
    voiceNotes(echoAgain);
    placesAndPayments(echoAgain);
    new GroupTour(window, main, new GroupTour.Steps() {
      @Override
      public void fx(Runnable action) throws Exception {
        ScreenshotTour.fx(action);
      }

      @Override
      public void waitFor(BooleanSupplier condition, int seconds) throws Exception {
        ScreenshotTour.waitFor(condition, seconds);
      }

      @Override
      public void settle() throws Exception {
        ScreenshotTour.settle();
      }

      @Override
      public void shot(String name) throws Exception {
        ScreenshotTour.this.shot(name);
      }
    }).run(mayaClient, MAYA, samClient, SAM);

    fx(() -> main.showPanel(MainViewModel.Panel.SETTINGS));
    waitFor(() -> !main.audioSettings.note.get().startsWith("Looking"), 30);
    settle();
    shot("09-settings.png");
    // Registration lock sits at the foot of Settings, below the fold of 09.
    fx(() -> ((ScrollPane) window.scene().lookup("#settingsScroll")).setVvalue(1.0));
    settle();
    shot("09b-settings-registration-lock.png");
    registrationLock(main);
    fx(() -> ((ScrollPane) window.scene().lookup("#settingsScroll")).setVvalue(0.0));
    fx(() -> main.settings.setTheme(Theme.DARK));
    settle();
    shot("10-settings-dark.png");
    fx(main::escape);
    settle();
    shot("11-conversation-dark.png");
    // The group in the dark theme: its sender colours are a second palette (dark.css).
    String hike = main.chatList.chats.get().stream().filter(c -> c.isGroup() && c.name().equals("Saturday hike"))
        .findFirst().orElseThrow().number();
    fx(() -> main.open(hike, Optional.empty()));
    waitFor(() -> main.currentGroup.get().map(g -> g.rows.size() > 5).orElse(false), 30);
    settle();
    shot("29-group-dark.png");
  }

  /** Two PINs that differ (the error), then a PIN set (Change PIN and Remove); removed again afterwards. */
  private void registrationLock(MainViewModel main) throws Exception {
    var lock = main.settings.registrationLock;
    Scene scene = window.scene();
    fx(() -> {
      ((TextField) scene.lookup("#settingsLockPin")).setText("2468");
      ((TextField) scene.lookup("#settingsLockPinAgain")).setText("2486");
      ((Button) scene.lookup("#settingsLockSet")).fire();
    });
    waitFor(() -> !lock.error.get().isEmpty(), 10);
    fx(() -> ((ScrollPane) scene.lookup("#settingsScroll")).setVvalue(1.0));
    settle();
    shot("09c-registration-lock-mismatch.png");
    fx(() -> {
      ((TextField) scene.lookup("#settingsLockPinAgain")).setText("2468");
      ((Button) scene.lookup("#settingsLockSet")).fire();
    });
    waitFor(() -> Boolean.TRUE.equals(lock.lockSet.get()) && !lock.busy.get(), 30);
    fx(() -> ((ScrollPane) scene.lookup("#settingsScroll")).setVvalue(1.0));
    settle();
    shot("09d-registration-lock-on.png");
    fx(lock::remove);
    waitFor(() -> Boolean.FALSE.equals(lock.lockSet.get()) && !lock.busy.get(), 30);
  }

  /**
   * Echo calls (declined, then missed), we call Echo (it answers with its chime), then a video call (it sends the
   * test pattern) in which we share our screen: the call windows and entries.
   */
  private void calls(DemoEnvironment demo, MainViewModel main, ConversationViewModel echo) throws Exception {
    var echoCalls = demo.echo().client().calls();
    echoCalls.placeCall(DemoEnvironment.USER_NUMBER, CallOptions.of(AudioIo.silent()));
    waitFor(() -> main.calls.phase.get() == CallViewModel.Phase.INCOMING
        && !main.calls.audioNote.get().isEmpty(), 60);
    settle();
    shotOf(window.incomingCallScene(), "12-call-incoming.png");
    fx(main.calls::decline);
    waitFor(() -> main.calls.phase.get() == CallViewModel.Phase.IDLE, 30);

    fx(() -> main.calls.call(DemoEnvironment.ECHO_NUMBER));
    waitFor(() -> main.calls.phase.get() == CallViewModel.Phase.CONNECTED, 30);
    waitFor(() -> main.calls.quality.get() != CallViewModel.Quality.UNKNOWN
        && main.calls.elapsed.get().compareTo("0:04") >= 0, 30);
    settle();
    shotOf(window.callScene(), "13-call-in-progress.png");
    fx(main.calls::hangUp);
    waitFor(() -> main.calls.phase.get() == CallViewModel.Phase.IDLE, 30);

    // Echo answers a video call with the test pattern; ours is the pattern too (PARLEY_VIDEO_SOURCE=pattern).
    fx(() -> main.calls.videoCall(DemoEnvironment.ECHO_NUMBER));
    waitFor(() -> main.calls.phase.get() == CallViewModel.Phase.CONNECTED && main.calls.remoteVideo.get()
        && !main.calls.videoQuality.get().isEmpty() && main.calls.elapsed.get().compareTo("0:03") >= 0, 30);
    settle();
    shotOf(window.callScene(), "13b-video-call.png");
    // Our screen instead of the camera: client-core captures this Xvfb display; the preview shows what Echo gets.
    fx(main.calls::toggleScreenShare);
    waitFor(() -> main.calls.sharingScreen.get(), 30);
    Thread.sleep(1500); // a few captured frames reach the preview
    settle();
    shotOf(window.callScene(), "13c-screen-share.png");
    fx(main.calls::hangUp);
    waitFor(() -> main.calls.phase.get() == CallViewModel.Phase.IDLE, 30);

    Call missed = echoCalls.placeCall(DemoEnvironment.USER_NUMBER, CallOptions.of(AudioIo.silent()));
    waitFor(() -> main.calls.phase.get() == CallViewModel.Phase.INCOMING, 30);
    echoCalls.hangup(missed.callId());
    waitFor(() -> main.calls.phase.get() == CallViewModel.Phase.IDLE, 30);
    waitFor(() -> echo.rows.snapshot().stream().filter(r -> r instanceof ConversationRow.CallEntry).count() >= 3,
        30);
    settle();
    shot("14-call-entries.png");
  }

  /**
   * A picture and a PDF dropped on Echo's conversation: the preview sheet with a caption, then the bubbles (Echo
   * answers with the picture mirrored and a line about the file), then the viewer.
   */
  private void attachments(ConversationViewModel echo) throws Exception {
    Path picture = TourFiles.sunset(setup.demoDir().resolve("tour-files").resolve("Sunset at the lake.jpg"));
    Path pdf = TourFiles.pdf(setup.demoDir().resolve("tour-files").resolve("Trip plan.pdf"));
    fx(() -> window.dropFiles(List.of(picture, pdf)));
    waitFor(() -> echo.draft.items.get().size() == 2, 30);
    fx(() -> ((TextField) window.scene().lookup("#attachmentCaption")).setText("The lake last night, and the plan"));
    settle();
    shot("15-attachment-preview.png");
    fx(() -> ((Button) window.scene().lookup("#attachmentSend")).fire());
    waitFor(() -> echo.rows.snapshot().stream().anyMatch(r -> r instanceof ConversationRow.Bubble b
        && !b.outgoing() && b.attachments().stream().anyMatch(a -> a.isLocal() && a.isMedia())), 60);
    waitFor(() -> echo.rows.snapshot().stream().anyMatch(r -> r instanceof ConversationRow.Bubble b
        && !b.outgoing() && b.text().startsWith("Got your file")), 60);
    waitFor(() -> allRead(echo), 30);
    settle();
    settle();
    shot("16-picture-and-file-bubbles.png");
    fx(() -> {
      var tiles = window.scene().getRoot().lookupAll(".picture-tile");
      Node last = null;
      for (Node tile : tiles) {
        if (tile.isVisible()) {
          last = tile;
        }
      }
      if (last != null) {
        Event.fireEvent(last, new MouseEvent(MouseEvent.MOUSE_CLICKED, 0, 0, 0, 0, MouseButton.PRIMARY, 1, false,
            false, false, false, true, false, false, true, false, false, null));
      }
    });
    waitFor(() -> window.viewerScene().isPresent(), 30);
    Thread.sleep(1500);
    settle();
    shotOf(window.viewerScene().orElseThrow(), "17-picture-viewer.png");
    fx(() -> window.viewerScene().orElseThrow().getWindow().hide());
  }

  /**
   * A voice note recorded hands-free (the demo's made-up voice where there is no microphone): the recording strip;
   * then Echo's answer, sought to 40 % at 1.5×: the voice bubbles.
   */
  private void voiceNotes(ConversationViewModel echo) throws Exception {
    fx(echo.recorder::press);
    fx(echo.recorder::release);
    waitFor(() -> echo.recorder.elapsed.get().compareTo("0:03") >= 0, 30);
    settle();
    shot("18-voice-recording.png");
    fx(echo.recorder::send);
    waitFor(() -> voiceNote(echo, false).isPresent(), 60);
    waitFor(() -> allRead(echo), 30);
    AttachmentItem answer = voiceNote(echo, false).orElseThrow();
    fx(() -> echo.player.seek(answer.id(), answer.voice().orElseThrow().duration().toMillis(), 0.4));
    fx(echo.player::cycleSpeed);
    settle();
    settle();
    shot("19-voice-bubbles.png");
    fx(echo.player::cycleSpeed);
    fx(echo.player::cycleSpeed);
  }

  private static Optional<AttachmentItem> voiceNote(ConversationViewModel c, boolean outgoing) {
    return c.rows.snapshot().stream().filter(r -> r instanceof ConversationRow.Bubble b && b.outgoing() == outgoing)
        .flatMap(r -> ((ConversationRow.Bubble) r).attachments().stream())
        .filter(a -> a.isVoice() && a.isLocal()).reduce((a, b) -> b);
  }

  /**
   * Maps drawn by a local tile server ({@link TourTiles}; never a real one): the share-location sheet with a place
   * typed in, the sent place's bubble with its map, the payment request sheet, and the request's card.
   */
  private void placesAndPayments(ConversationViewModel echo) throws Exception {
    try (TourTiles tiles = new TourTiles()) {
      context.mapTiles().setServer(TileServer.parse(tiles.template()));
      fx(echo.shareLocation::show);
      fx(() -> echo.shareLocation.typed("48°51'30\"N 2°17'40\"E"));
      fx(() -> echo.shareLocation.label.set("Eiffel Tower"));
      waitFor(() -> window.scene().lookup("#shareLocationMap") != null
          && !window.scene().lookup("#shareLocationMap").lookupAll("ImageView").isEmpty(), 30);
      Thread.sleep(800);
      settle();
      shot("20-share-location.png");
      long answers = countBubbles(echo, false);
      fx(echo.shareLocation::send);
      waitFor(() -> echo.rows.snapshot().stream().anyMatch(r -> r instanceof ConversationRow.Bubble b
          && b.outgoing() && echo.cards.place(b.id()).isPresent()), 30);
      waitFor(() -> window.scene().getRoot().lookupAll("#locationMap").stream().anyMatch(Node::isVisible), 30);
      waitFor(() -> countBubbles(echo, false) > answers && allRead(echo), 30);
      Thread.sleep(800);
      settle();
      shot("21-location-bubble.png");

      fx(echo.requestPayment::show);
      fx(() -> {
        echo.requestPayment.amount.set("1500.50");
        echo.requestPayment.vpa.set("alex.morgan@okbank");
        echo.requestPayment.payeeName.set("Alex Morgan");
        echo.requestPayment.note.set("Concert tickets");
      });
      settle();
      shot("22-payment-request.png");
      fx(echo.requestPayment::send);
      waitFor(() -> echo.rows.snapshot().stream().anyMatch(r -> r instanceof ConversationRow.Bubble b
          && b.outgoing() && echo.cards.payment(b.id()).isPresent()), 30);
      Thread.sleep(1500);
      settle();
      shot("23-payment-card.png");
    }
  }

  private void shotOf(Scene scene, String name) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Platform.runLater(() -> {
      try {
        Png.write(scene.snapshot(null), dir.resolve(name));
        done.complete(null);
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    });
    done.get(30, TimeUnit.SECONDS);
    System.out.println("wrote " + dir.resolve(name));
  }

  private ParleyClient friend(DemoEnvironment demo, String number, String name, String text) throws Exception {
    ParleyClient c = ParleyClient.open(ClientOptions.of(setup.demoDir().resolve("tour-" + number.substring(1)),
        demo.serverUrl()));
    friends.add(c);
    c.requestCode(number);
    c.verify(demo.codes().codeFor(number).orElseThrow());
    context.settings().setContactName(number, name);
    c.connect();
    c.send(DemoEnvironment.USER_NUMBER, text);
    return c;
  }

  private static long countBubbles(ConversationViewModel c, boolean outgoing) {
    return c.rows.snapshot().stream()
        .filter(r -> r instanceof ConversationRow.Bubble b && b.outgoing() == outgoing).count();
  }

  private static boolean allRead(ConversationViewModel c) {
    return c.rows.snapshot().stream().noneMatch(r -> r instanceof ConversationRow.Bubble b && b.outgoing()
        && !b.read());
  }

  private void shot(String name) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Platform.runLater(() -> {
      try {
        Png.write(window.scene().snapshot(null), dir.resolve(name));
        done.complete(null);
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    });
    done.get(30, TimeUnit.SECONDS);
    System.out.println("wrote " + dir.resolve(name));
  }

  private static void fx(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Platform.runLater(() -> {
      try {
        action.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    done.get(30, TimeUnit.SECONDS);
  }

  /** Lets layout, CSS and pending runLater work finish. */
  private static void settle() throws Exception {
    Thread.sleep(600);
    fx(() -> { });
  }

  private static void waitFor(BooleanSupplier condition, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      CompletableFuture<Boolean> ok = new CompletableFuture<>();
      Platform.runLater(() -> ok.complete(condition.getAsBoolean()));
      if (ok.get(30, TimeUnit.SECONDS)) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("The screen did not get there in " + seconds + " s");
      }
      Thread.sleep(100);
    }
  }

  private static <T> T await(Supplier<Optional<T>> value, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      CompletableFuture<Optional<T>> got = new CompletableFuture<>();
      Platform.runLater(() -> got.complete(value.get()));
      Optional<T> v = got.get(30, TimeUnit.SECONDS);
      if (v.isPresent()) {
        return v.get();
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("Not ready in " + seconds + " s");
      }
      Thread.sleep(100);
    }
  }
}
