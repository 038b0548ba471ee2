package org.parley.desktop.view;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The file choosers behind the paperclip and "Save as". The desktop's own dialogs by default; tests and tools put
 * answers in instead ({@link AppWindow#useFileDialogs}), since a native dialog cannot be driven headless.
 */
public interface FileDialogs {

  /** Files to send (several may be picked); empty when cancelled. */
  List<Path> filesToSend(Window owner);

  /** Where to save an attachment, suggesting {@code fileName}; empty when cancelled. */
  Optional<Path> saveTarget(Window owner, String fileName);

  /** JavaFX's FileChooser (the platform's dialog). */
  static FileDialogs system() {
    return new FileDialogs() {
      private File lastDirectory;

      @Override
      public List<Path> filesToSend(Window owner) {
        FileChooser chooser = chooser("Send files");
        List<File> files = chooser.showOpenMultipleDialog(owner);
        if (files == null || files.isEmpty()) {
          return List.of();
        }
        lastDirectory = files.get(0).getParentFile();
        return files.stream().map(File::toPath).toList();
      }

      @Override
      public Optional<Path> saveTarget(Window owner, String fileName) {
        FileChooser chooser = chooser("Save as");
        chooser.setInitialFileName(fileName);
        File file = chooser.showSaveDialog(owner);
        if (file == null) {
          return Optional.empty();
        }
        lastDirectory = file.getParentFile();
        return Optional.of(file.toPath());
      }

      private FileChooser chooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        if (lastDirectory != null && lastDirectory.isDirectory()) {
          chooser.setInitialDirectory(lastDirectory);
        }
        return chooser;
      }
    };
  }
}
