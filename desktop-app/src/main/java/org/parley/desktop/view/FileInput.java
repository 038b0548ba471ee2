package org.parley.desktop.view;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Region;
import javafx.scene.shape.SVGPath;
import org.parley.desktop.vm.AttachmentDraft;

/**
 * How files enter a conversation's preview sheet, the same in 1:1 and group conversations: the paperclip (a file
 * dialog) and a drop anywhere on the conversation.
 */
final class FileInput {

  private FileInput() {}

  /** The paperclip button: the files chosen go to {@code draft}. */
  static Button paperclip(AttachmentDraft draft, FileDialogs dialogs, Node owner) {
    // Drawn rather than the 📎 character: many desktop fonts have no glyph for it.
    SVGPath clip = new SVGPath();
    clip.setContent("M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5");
    clip.getStyleClass().add("attach-icon");
    Button attach = new Button();
    attach.setGraphic(clip);
    attach.setId("attachButton");
    attach.getStyleClass().addAll("icon-button", "attach-button");
    attach.setTooltip(new Tooltip("Send pictures or files"));
    attach.setOnAction(e -> {
      List<Path> chosen = dialogs.filesToSend(owner.getScene() == null ? null : owner.getScene().getWindow());
      if (!chosen.isEmpty()) {
        draft.add(chosen);
      }
    });
    attach.setMinWidth(Region.USE_PREF_SIZE);
    return attach;
  }

  /**
   * Makes {@code target} take dropped files into {@code draft}; returns the "Drop files" hint shown while files
   * hover, for the caller to stack over its message list.
   */
  static Label dropTarget(Region target, AttachmentDraft draft) {
    Label dropHint = new Label("Drop files to send them");
    dropHint.setId("dropHint");
    dropHint.getStyleClass().add("drop-hint");
    dropHint.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
    dropHint.setMouseTransparent(true);
    Bind.show(dropHint, false);
    target.setOnDragOver(e -> {
      if (e.getDragboard().hasFiles()) {
        e.acceptTransferModes(TransferMode.COPY);
        Bind.show(dropHint, true);
        e.consume();
      }
    });
    target.setOnDragExited(e -> Bind.show(dropHint, false));
    target.setOnDragDropped(e -> {
      boolean ok = e.getDragboard().hasFiles();
      if (ok) {
        dropFiles(draft, e.getDragboard().getFiles());
      }
      e.setDropCompleted(ok);
      e.consume();
    });
    return dropHint;
  }

  /** What a drop of files does: they go to the preview sheet. */
  static void dropFiles(AttachmentDraft draft, List<File> files) {
    draft.add(files.stream().map(File::toPath).toList());
  }
}
