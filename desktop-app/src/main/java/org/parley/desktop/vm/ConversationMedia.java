package org.parley.desktop.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.attachments.AttachmentState;

/**
 * The attachments of one open conversation, 1:1 or group (they work the same: client-core's attachment calls take
 * the attachment's id whatever carries it): transfers with progress, cancel and retry, pictures decoded for the
 * screen, Open and Save as, the viewer's list, and the voice notes' player. Both conversation ViewModels hold one
 * over their rows, and the views' attachment nodes talk to it.
 */
public final class ConversationMedia {

  /** Plays this conversation's voice notes. */
  public final VoicePlayerViewModel player;

  private final Rows<ConversationRow> rows;
  private final ParleyClient client;
  private final Tasks tasks;
  private final FileServices files;
  private final Consumer<String> fail;

  ConversationMedia(Rows<ConversationRow> rows, ParleyClient client, Tasks tasks, FileServices files,
      VoiceDevices voice, Consumer<String> fail) {
    this.rows = rows;
    this.client = client;
    this.tasks = tasks;
    this.files = files;
    this.fail = fail;
    this.player = new VoicePlayerViewModel(client::decodeVoiceNote, voice.speaker(), files.tasks(),
        this::voiceNoteAfter);
  }

  /**
   * The voice note that plays after {@code attachmentId} ends: the next message's, when the next message is a voice
   * note that is on this device.
   */
  OptionalLong voiceNoteAfter(long attachmentId) {
    int index = indexOfAttachment(attachmentId);
    if (index < 0) {
      return OptionalLong.empty();
    }
    for (int i = index + 1; i < rows.size(); i++) {
      if (rows.get(i) instanceof ConversationRow.Bubble b) {
        return b.attachments().stream().filter(a -> a.isVoice() && a.isLocal())
            .mapToLong(AttachmentItem::id).findFirst();
      }
    }
    return OptionalLong.empty();
  }

  /** Fetches a received attachment that did not download by itself. */
  public void download(long attachmentId) {
    tasks.run(() -> {
      client.download(attachmentId);
      return null;
    }, x -> { }, fail);
  }

  public void cancelTransfer(long attachmentId) {
    tasks.run(() -> {
      client.cancelTransfer(attachmentId);
      return null;
    }, x -> { }, fail);
  }

  public void retryTransfer(long attachmentId) {
    tasks.run(() -> {
      client.retryTransfer(attachmentId);
      return null;
    }, x -> { }, fail);
  }

  /** Decodes a picture stored on this device, scaled to fit {@code maxWidth × maxHeight}, off the UI thread. */
  public void picture(long attachmentId, int maxWidth, int maxHeight, Consumer<Pixels> done, Consumer<String> failed) {
    files.tasks().run(() -> {
      try (InputStream in = client.openAttachment(attachmentId)) {
        return Pictures.decode(in, maxWidth, maxHeight);
      } catch (IOException e) {
        throw new ParleyException("Cannot show the picture: " + e.getMessage(), e);
      }
    }, done, failed);
  }

  /** Open: a decrypted copy in the app's private directory, handed to the desktop's default application. */
  public void openAttachment(long attachmentId) {
    localCopy(attachmentId, path -> files.tasks().run(() -> {
      try {
        files.opener().open(path);
      } catch (IOException e) {
        throw new ParleyException("Cannot open " + path.getFileName() + ": " + e.getMessage(), e);
      }
      return null;
    }, x -> { }, fail));
  }

  /** A decrypted copy of an attachment in the app's private directory (for Open and the video player). */
  public void localCopy(long attachmentId, Consumer<Path> done) {
    files.tasks().run(() -> {
      Attachment a = client.attachment(attachmentId);
      try (InputStream in = client.openAttachment(attachmentId)) {
        return files.local().copy(in, a.fileName());
      } catch (IOException e) {
        throw new ParleyException("Cannot make a copy to open: " + e.getMessage(), e);
      }
    }, done, fail);
  }

  /** Save as: writes the decrypted attachment to {@code target} (replacing it: the save dialog asked already). */
  public void saveAttachment(long attachmentId, Path target, Consumer<Path> done) {
    files.tasks().run(() -> {
      try (InputStream in = client.openAttachment(attachmentId)) {
        LocalFiles.saveAs(in, target);
        return target;
      } catch (IOException e) {
        throw new ParleyException("Cannot save to " + target + ": " + e.getMessage(), e);
      }
    }, done, fail);
  }

  /** The pictures and videos of the loaded conversation in order, for the viewer's next and previous. */
  public List<AttachmentItem> viewable() {
    List<AttachmentItem> out = new ArrayList<>();
    for (ConversationRow row : rows.snapshot()) {
      if (row instanceof ConversationRow.Bubble b) {
        b.attachments().stream().filter(AttachmentItem::isMedia).forEach(out::add);
      }
    }
    return out;
  }

  /** An attachment of this conversation by id, as shown now. */
  public Optional<AttachmentItem> attachmentItem(long attachmentId) {
    int index = indexOfAttachment(attachmentId);
    if (index < 0) {
      return Optional.empty();
    }
    return ((ConversationRow.Bubble) rows.get(index)).attachments().stream()
        .filter(a -> a.id() == attachmentId).findFirst();
  }

  public void onAttachmentProgress(AttachmentProgress p) {
    int index = indexOfAttachment(p.attachmentId());
    if (index < 0) {
      return;
    }
    ConversationRow.Bubble b = (ConversationRow.Bubble) rows.get(index);
    b.attachments().stream().filter(a -> a.id() == p.attachmentId()).findFirst().ifPresent(a -> {
      // A late progress event after the transfer ended must not bring the progress bar back.
      if (a.state().inProgress() || a.state() == AttachmentState.NOT_DOWNLOADED) {
        rows.replace(index, b.withAttachment(a.withProgress(p.fraction(), p.upload())));
      }
    });
  }

  public void onAttachmentChanged(Attachment a) {
    int index = indexOfAttachment(a.id());
    if (index >= 0) {
      rows.replace(index, ((ConversationRow.Bubble) rows.get(index)).withAttachment(Attachments.item(a)));
    }
  }

  private int indexOfAttachment(long attachmentId) {
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (rows.get(i) instanceof ConversationRow.Bubble b && b.hasAttachment(attachmentId)) {
        return i;
      }
    }
    return -1;
  }
}
