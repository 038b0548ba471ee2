package org.parley.desktop.view;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.parley.desktop.AppContext;
import org.parley.desktop.StartupMarks;
import org.parley.desktop.settings.Theme;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.OnboardingViewModel;
import org.parley.desktop.vm.Unlinked;
import org.slf4j.LoggerFactory;

/** The one window: a splash while starting, then onboarding or the main view; theme and keyboard shortcuts. */
public final class AppWindow {

  private final Stage stage;
  private final AppContext context;
  private final StackPane root = new StackPane();
  private final Scene scene;
  private final CompletableFuture<MainViewModel> mainShown = new CompletableFuture<>();
  private MainView mainView;
  private CallWindows callWindows;
  private MainViewModel main;
  private OnboardingViewModel onboarding;
  private FileDialogs dialogs = FileDialogs.system();
  /** Hands the dialogs' work to whichever {@link #dialogs} is current (tests swap it after start-up). */
  private final FileDialogs currentDialogs = new FileDialogs() {
    @Override
    public List<Path> filesToSend(Window owner) {
      return dialogs.filesToSend(owner);
    }

    @Override
    public Optional<Path> saveTarget(Window owner, String fileName) {
      return dialogs.saveTarget(owner, fileName);
    }
  };

  private AppWindow(Stage stage, AppContext context) {
    this.stage = stage;
    this.context = context;
    root.getStyleClass().add("app");
    scene = new Scene(root, 1024, 700);
    applyTheme(context.theme());
    stage.setScene(scene);
    stage.setTitle("Parley");
    stage.setMinWidth(720);
    stage.setMinHeight(480);
    scene.addEventFilter(KeyEvent.KEY_PRESSED, this::shortcut);
  }

  /** Shows the window and starts the app in it: {@link AppContext#prepare} runs off the FX thread. */
  public static AppWindow open(Stage stage, AppContext context) {
    AppWindow w = new AppWindow(stage, context);
    w.splash(context.startingText());
    stage.show();
    context.prepareAsync().whenComplete((start, error) -> Platform.runLater(() -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        w.splash("Parley could not start: " + cause.getMessage());
        w.mainShown.completeExceptionally(cause);
      } else if (start == AppContext.Start.MAIN) {
        w.showMain();
      } else {
        w.showOnboarding();
      }
    }));
    return w;
  }

  /** Completes when the main window is showing (after start-up or onboarding). */
  public CompletableFuture<MainViewModel> mainShown() {
    return mainShown;
  }

  public Scene scene() {
    return scene;
  }

  /** The incoming-call window's scene (for screenshots); null before the main view shows. */
  public Scene incomingCallScene() {
    return callWindows == null ? null : callWindows.incomingScene();
  }

  /** The call window's scene (for screenshots); null before the main view shows. */
  public Scene callScene() {
    return callWindows == null ? null : callWindows.callScene();
  }

  public Stage stage() {
    return stage;
  }

  public OnboardingViewModel onboarding() {
    return onboarding;
  }

  /** Replaces the file choosers (paperclip, Save as): native dialogs cannot be driven headless. FX thread. */
  public void useFileDialogs(FileDialogs replacement) {
    this.dialogs = replacement;
  }

  /**
   * Does what dropping {@code files} on the open conversation does (for tests and the screenshot tour: a robot
   * cannot drag files in from outside the app on a headless display). FX thread.
   */
  public void dropFiles(List<Path> files) {
    if (mainView != null) {
      mainView.conversationView().ifPresent(v -> v.dropFiles(files.stream().map(Path::toFile).toList()));
      mainView.groupView().ifPresent(v -> v.dropFiles(files.stream().map(Path::toFile).toList()));
    }
  }

  /** The picture viewer's scene, once a picture was opened in the open conversation (screenshots). */
  public Optional<Scene> viewerScene() {
    return Optional.ofNullable(mainView).flatMap(MainView::conversationView)
        .map(v -> v.attachments().viewer()).map(viewer -> viewer.stage().getScene());
  }

  private void splash(String text) {
    ProgressIndicator spinner = new ProgressIndicator();
    spinner.setMaxSize(40, 40);
    Label label = new Label(text);
    label.setWrapText(true);
    label.getStyleClass().add("splash-text");
    VBox box = new VBox(16, spinner, label);
    box.setAlignment(Pos.CENTER);
    box.setMaxWidth(480);
    root.getChildren().setAll(box);
  }

  private void showOnboarding() {
    onboarding = context.onboarding(client -> showMain());
    root.getChildren().setAll(new Onboarding(onboarding));
  }

  /** The server revoked this computer: the full-window screen replaces the chats. */
  private void showUnlinked(Unlinked unlinked) {
    stage.setTitle("Parley");
    root.getChildren().setAll(new UnlinkedView(unlinked, () -> startOver(unlinked.straightToLink()),
        () -> {
          stage.close();
          Platform.exit();
        }));
  }

  /** Deletes the old local database (off the FX thread), then onboarding — at "Link to my phone" if asked. */
  private void startOver(boolean straightToLink) {
    main = null;
    mainView = null;
    splash("Removing this computer's old messages…");
    CompletableFuture.runAsync(() -> {
      try {
        context.startOver();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).whenComplete((x, error) -> Platform.runLater(() -> {
      if (error != null) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        splash("Could not remove the old local database: " + cause.getMessage());
        return;
      }
      showOnboarding();
      if (straightToLink) {
        onboarding.chooseLink();
      }
    }));
  }

  private void showMain() {
    StartupMarks.mark("main-view");
    main = context.main(TrayNotifier.create(stage));
    StartupMarks.mark("tray-ready");
    main.setOpener(new DesktopOpener());
    mainView = new MainView(main, currentDialogs, new TileImages(context.mapTiles()), context.mapSettings());
    root.getChildren().setAll(mainView);
    StartupMarks.mark("main-built");
    // One line per start: how long it took to the chat list (the installed app's start-up check reads it).
    LoggerFactory.getLogger(AppWindow.class).info("Chat list shown {} ms after the JVM started",
        StartupMarks.all().get("main-built"));
    main.windowTitle.observe(stage::setTitle);
    // --theme holds for this run until the person picks a theme in Settings.
    Theme[] chosen = {main.settings.settings.get().theme()};
    main.settings.settings.observe(s -> {
      if (s.theme() != chosen[0]) {
        chosen[0] = s.theme();
        applyTheme(context.resolve(s.theme()));
      }
    });
    stage.focusedProperty().addListener((obs, old, focused) -> main.setFocused(focused));
    callWindows = CallWindows.attach(stage, main.calls,
        new Ringer(!"none".equalsIgnoreCase(System.getenv().getOrDefault("PARLEY_AUDIO", ""))));
    MainViewModel shown = main;
    main.unlinked.observe(u -> u.ifPresent(unlinked -> {
      if (main == shown) {
        showUnlinked(unlinked);
      }
    }));
    main.start();
    mainShown.complete(main);
  }

  /** Uses the light or dark stylesheet. */
  public void applyTheme(Theme theme) {
    String base = getClass().getResource("/org/parley/desktop/parley.css").toExternalForm();
    String colours = getClass().getResource(theme == Theme.DARK ? "/org/parley/desktop/dark.css"
        : "/org/parley/desktop/light.css").toExternalForm();
    scene.getStylesheets().setAll(colours, base);
    root.getStyleClass().removeAll("theme-light", "theme-dark");
    root.getStyleClass().add(theme == Theme.DARK ? "theme-dark" : "theme-light");
  }

  private static final KeyCombination NEW_CHAT = new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN);
  private static final KeyCombination NEW_GROUP = new KeyCodeCombination(KeyCode.G, KeyCombination.SHORTCUT_DOWN);
  private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
  private static final KeyCombination PREVIOUS = new KeyCodeCombination(KeyCode.UP, KeyCombination.SHORTCUT_DOWN);
  private static final KeyCombination NEXT = new KeyCodeCombination(KeyCode.DOWN, KeyCombination.SHORTCUT_DOWN);

  private void shortcut(KeyEvent e) {
    if (main == null) {
      return;
    }
    if (NEW_CHAT.match(e)) {
      main.showPanel(MainViewModel.Panel.NEW_CHAT);
    } else if (NEW_GROUP.match(e)) {
      main.showPanel(MainViewModel.Panel.NEW_GROUP);
    } else if (FIND.match(e)) {
      main.escape();
      mainView.focusSearch();
    } else if (PREVIOUS.match(e)) {
      main.openNeighbour(-1);
    } else if (NEXT.match(e)) {
      main.openNeighbour(1);
    } else if (e.getCode() == KeyCode.ESCAPE) {
      main.escape();
    } else {
      return;
    }
    e.consume();
  }
}
