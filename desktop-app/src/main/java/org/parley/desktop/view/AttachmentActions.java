package org.parley.desktop.view;

import javafx.scene.Node;
import javafx.stage.Window;
import org.parley.desktop.vm.AttachmentItem;
import org.parley.desktop.vm.ConversationMedia;

/** What a click on an attachment does: the conversation's attachments (1:1 or group), the save dialog, the viewer. */
final class AttachmentActions {

  final ConversationMedia media;
  final PictureCache pictures;
  private final FileDialogs dialogs;
  private final Node anchor;
  private MediaViewer viewer;

  /** @param anchor a node of the window, for the dialogs' and the viewer's owner */
  AttachmentActions(ConversationMedia media, FileDialogs dialogs, Node anchor) {
    this.media = media;
    this.pictures = new PictureCache(media::picture);
    this.dialogs = dialogs;
    this.anchor = anchor;
  }

  Window owner() {
    return anchor.getScene() == null ? null : anchor.getScene().getWindow();
  }

  FileDialogs dialogs() {
    return dialogs;
  }

  void saveAs(AttachmentItem item) {
    dialogs.saveTarget(owner(), item.fileName()).ifPresent(target -> media.saveAttachment(item.id(), target, p -> { }));
  }

  void open(AttachmentItem item) {
    media.openAttachment(item.id());
  }

  /** A picture or video tile was clicked: the viewer, or the download when it is not here yet. */
  void show(AttachmentItem item) {
    if (item.canDownload()) {
      media.download(item.id());
      return;
    }
    if (!item.isLocal()) {
      return;
    }
    if (viewer == null) {
      viewer = new MediaViewer(this);
    }
    viewer.show(item);
  }

  /** The viewer's window, when it has been opened (tests, screenshots). */
  MediaViewer viewer() {
    return viewer;
  }

  void close() {
    if (viewer != null) {
      viewer.close();
    }
  }
}
