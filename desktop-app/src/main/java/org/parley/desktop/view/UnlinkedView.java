package org.parley.desktop.view;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.Unlinked;

/** The full-window screen once the server has revoked this computer: what happened, set up again, or quit. */
final class UnlinkedView extends StackPane {

  UnlinkedView(Unlinked unlinked, Runnable setUpAgain, Runnable quit) {
    getStyleClass().add("onboarding");
    setId("unlinkedScreen");
    VBox card = new VBox(16);
    card.getStyleClass().addAll("card", "onboarding-card");
    card.setMaxWidth(480);
    card.setMaxHeight(Region.USE_PREF_SIZE);
    Label title = new Label(unlinked.title());
    title.setId("unlinkedTitle");
    title.getStyleClass().add("onboarding-title");
    title.setWrapText(true);
    Label text = new Label(unlinked.explanation());
    text.setId("unlinkedText");
    text.getStyleClass().add("onboarding-body");
    text.setWrapText(true);
    Button again = new Button(unlinked.setUpLabel());
    again.setId("unlinkedSetUp");
    again.getStyleClass().add("primary-button");
    again.setDefaultButton(true);
    again.setOnAction(e -> {
      again.setDisable(true);
      setUpAgain.run();
    });
    Button close = new Button("Quit");
    close.setId("unlinkedQuit");
    close.setOnAction(e -> quit.run());
    HBox buttons = new HBox(12, again, close);
    card.getChildren().addAll(title, text, buttons);
    getChildren().add(card);
  }
}
