package org.parley.desktop;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT (Ctrl+C) handed to the app instead of the JVM's default handling. By default the JVM runs its
 * shutdown hooks at once, and JavaFX's own hook tears the toolkit down on that thread while the FX thread is still
 * inside GTK's loop (we saw SIGSEGV with an hs_err file, NullPointerExceptions from Prism, and the local database
 * left unclosed). With these handlers the app stops JavaFX on its own thread first, closes the client, then exits.
 *
 * <p>The JDK's only API for this is {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK 17). It is
 * reached by reflection so the build carries no "internal proprietary API" warning, and so a runtime without it
 * keeps the default handling instead of failing to start.
 */
final class TerminationSignals {

  private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);

  private TerminationSignals() {}

  /**
   * From now on, SIGTERM and SIGINT call {@code onSignal} with the conventional exit status (128 + the signal's
   * number: 143, 130) on the JVM's signal thread.
   *
   * @return the signals that are now handled (fewer where the platform or runtime lacks them)
   */
  static List<String> handle(IntConsumer onSignal) {
    Class<?> signalClass;
    Class<?> handlerClass;
    try {
      signalClass = Class.forName("sun.misc.Signal");
      handlerClass = Class.forName("sun.misc.SignalHandler");
    } catch (ClassNotFoundException e) {
      log.debug("No sun.misc.Signal here; signals keep the JVM's default handling");
      return List.of();
    }
    List<String> handled = new ArrayList<>();
    for (String name : List.of("TERM", "INT")) {
      try {
        Constructor<?> create = signalClass.getConstructor(String.class);
        Method number = signalClass.getMethod("getNumber");
        Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
            (proxy, method, args) -> {
              if (method.getName().equals("handle")) {
                onSignal.accept(128 + (int) number.invoke(args[0]));
                return null;
              }
              return switch (method.getName()) {
                case "toString" -> "parley-desktop " + name + " handler";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
              };
            });
        signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, create.newInstance(name), handler);
        handled.add(name);
      } catch (InvocationTargetException e) {
        // IllegalArgumentException: this platform has no such signal, or the JVM reserves it (-Xrs).
        log.debug("SIG{} keeps the JVM's default handling: {}", name, e.getCause().toString());
      } catch (ReflectiveOperationException e) {
        log.debug("SIG{} keeps the JVM's default handling: {}", name, e.toString());
      }
    }
    return List.copyOf(handled);
  }
}
