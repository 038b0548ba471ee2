package org.parley.desktop.vm;

/** Shows a desktop notification; {@code open} is run (on the UI thread) when the person clicks it. */
public interface Notifier {

  void notify(String title, String body, Runnable open);

  Notifier NONE = (title, body, open) -> { };
}
