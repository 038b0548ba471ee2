package org.parley.desktop.view;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.SVGPath;
import org.parley.client.api.voice.VoiceNote;
import org.parley.desktop.vm.AttachmentItem;
import org.parley.desktop.vm.VoicePlayerViewModel;
import org.parley.desktop.vm.VoicePlayerViewModel.Playback;

/**
 * A voice note in a bubble: play/pause, the waveform from the sender's pointer with the played part highlighted
 * (click to seek), the position or duration, and the 1× / 1.5× / 2× button. It follows the conversation's player
 * while it is on screen and lets go of it when the cell drops it.
 */
final class VoiceBubble {

  private static final String PLAY = "M8 5v14l11-7z";
  private static final String PAUSE = "M7 5h4v14H7z M13 5h4v14h-4z";
  /** Bars drawn; a waveform with more buckets is averaged down, one with fewer spread out. */
  private static final int BARS = 48;

  private VoiceBubble() {}

  static Node of(AttachmentItem item, AttachmentActions actions) {
    VoicePlayerViewModel player = actions.media.player;
    VoiceNote note = item.voice().orElseThrow();
    long duration = note.duration().toMillis();

    SVGPath glyph = new SVGPath();
    glyph.getStyleClass().add("voice-play-icon");
    Button play = new Button();
    play.setGraphic(glyph);
    play.getStyleClass().add("voice-play");
    play.setId("voicePlay");
    play.setMinSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);

    List<Region> bars = new ArrayList<>();
    HBox wave = new HBox(2);
    wave.getStyleClass().add("voice-wave");
    wave.setAlignment(Pos.CENTER_LEFT);
    wave.setMinHeight(30);
    wave.setPrefHeight(30);
    for (int level : levels(note.waveform())) {
      Region bar = new Region();
      bar.getStyleClass().add("voice-bar");
      double h = 3 + level / 255.0 * 25;
      bar.setMinSize(3, h);
      bar.setPrefSize(3, h);
      bar.setMaxSize(3, h);
      bars.add(bar);
      wave.getChildren().add(bar);
    }
    wave.setId("voiceWave");
    Label time = new Label(VoicePlayerViewModel.clock(duration));
    time.getStyleClass().add("voice-time");
    time.setId("voiceTime");
    Button speed = new Button();
    speed.getStyleClass().addAll("flat-button", "voice-speed");
    speed.setId("voiceSpeed");
    speed.setTooltip(new Tooltip("Playback speed (the pitch stays)"));
    speed.setOnAction(e -> player.cycleSpeed());
    speed.setMinWidth(Region.USE_PREF_SIZE);
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox under = new HBox(6, time, grow, speed);
    under.setAlignment(Pos.CENTER_LEFT);
    Label notice = new Label();
    notice.getStyleClass().add("voice-notice");
    notice.setWrapText(true);
    notice.setId("voicePlayerNotice");
    VBox right = new VBox(2, wave, under, notice);
    HBox.setHgrow(right, Priority.ALWAYS);
    HBox row = new HBox(8, play, right);
    row.setAlignment(Pos.CENTER_LEFT);
    row.getStyleClass().add("voice-note");
    row.setPrefWidth(BARS * 5 + 60);
    row.setMaxWidth(BARS * 5 + 60);

    Node status = AttachmentNode.transferOverlay(item, actions, false);
    VBox box = new VBox(4, row);
    if (status != null) {
      box.getChildren().add(status);
    }

    play.setOnAction(e -> {
      if (item.isLocal()) {
        player.toggle(item.id());
      } else if (item.canDownload()) {
        actions.media.download(item.id());
      }
    });
    play.setDisable(!item.isLocal() && !item.canDownload());
    wave.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
      if (item.isLocal() && wave.getWidth() > 0) {
        player.seek(item.id(), duration, e.getX() / wave.getWidth());
      }
    });

    Runnable show = () -> {
      Playback p = player.playback.get();
      boolean mine = p.attachmentId() == item.id();
      boolean playing = mine && p.playing();
      glyph.setContent(playing ? PAUSE : PLAY);
      play.setAccessibleText(playing ? "Pause voice note" : "Play voice note");
      double fraction = mine ? p.fraction() : 0;
      for (int i = 0; i < bars.size(); i++) {
        boolean played = mine && (i + 0.5) / bars.size() <= fraction;
        bars.get(i).getStyleClass().setAll("voice-bar", played ? "voice-bar-played" : "voice-bar-rest");
      }
      long total = mine && p.durationMillis() > 0 ? p.durationMillis() : duration;
      time.setText(mine && (playing || p.positionMillis() > 0)
          ? VoicePlayerViewModel.clock(p.positionMillis()) + " / " + VoicePlayerViewModel.clock(total)
          : VoicePlayerViewModel.clock(total));
      String says = mine ? player.notice.get() : "";
      notice.setText(says);
      Bind.show(notice, !says.isEmpty());
    };
    List<Runnable> subscriptions = new ArrayList<>();
    Runnable subscribe = () -> {
      subscriptions.add(player.playback.observe(p -> show.run()));
      subscriptions.add(player.notice.observe(n -> show.run()));
      subscriptions.add(player.speed.observe(s -> speed.setText(VoicePlayerViewModel.speedLabel(s))));
    };
    // Cells are reused: listen to the player only while this node is in one.
    box.parentProperty().addListener((obs, old, parent) -> {
      subscriptions.forEach(Runnable::run);
      subscriptions.clear();
      if (parent != null) {
        subscribe.run();
      }
    });
    box.setAccessibleText("Voice note, " + VoicePlayerViewModel.clock(duration));
    box.getStyleClass().add("voice-note-box");
    return box;
  }

  /** The waveform resampled to {@link #BARS} bars (the maximum of the buckets under each bar). */
  static int[] levels(List<Integer> waveform) {
    int[] out = new int[BARS];
    if (waveform.isEmpty()) {
      return out;
    }
    for (int i = 0; i < BARS; i++) {
      int from = i * waveform.size() / BARS;
      int to = Math.max(from + 1, (i + 1) * waveform.size() / BARS);
      int max = 0;
      for (int k = from; k < to && k < waveform.size(); k++) {
        max = Math.max(max, waveform.get(k));
      }
      out[i] = max;
    }
    return out;
  }
}
