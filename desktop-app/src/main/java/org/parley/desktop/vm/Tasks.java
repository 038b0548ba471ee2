package org.parley.desktop.vm;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.parley.client.api.ParleyException;

/** Runs client calls on the io executor and hands results or errors to the ui executor. */
public final class Tasks {

  /** A client call. */
  public interface Call<T> {
    T call() throws ParleyException;
  }

  private final Executor io;
  private final Executor ui;

  public Tasks(Executor io, Executor ui) {
    this.io = io;
    this.ui = ui;
  }

  public Executor ui() {
    return ui;
  }

  public <T> void run(Call<T> call, Consumer<T> onResult, Consumer<String> onError) {
    io.execute(() -> {
      T result;
      try {
        result = call.call();
      } catch (ParleyException | RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        ui.execute(() -> onError.accept(message));
        return;
      }
      ui.execute(() -> onResult.accept(result));
    });
  }
}
