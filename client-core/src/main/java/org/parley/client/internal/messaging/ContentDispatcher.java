package org.parley.client.internal.messaging;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.client.internal.proto.Content;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each received {@link Content} to the one {@link ContentHandler} registered for the field of its
 * {@code body} oneof that is set. A new kind of content is a new field in {@code content.proto}, a handler class and
 * one {@link Builder#on} line in the composition root. Content that no handler takes — empty, a kind from a newer
 * client, a kind nobody registered — is reported to {@link UnhandledContent}, never dropped silently; the inbox
 * still acknowledges it, since it cannot become readable by being delivered again.
 */
public final class ContentDispatcher {

  /** Told about content no handler takes, with a sentence saying why. */
  @FunctionalInterface
  public interface UnhandledContent {
    void unhandled(IncomingContent content, String reason);
  }

  private static final Logger log = LoggerFactory.getLogger(ContentDispatcher.class);

  /** Logs a warning naming the sender, the envelope and the reason. */
  public static final UnhandledContent LOG_WARNING = (content, reason) -> log.warn(
      "acknowledging content from {}.{} that nothing handles (envelope {}): {}", content.sourceAccount(),
      content.sourceDevice(), content.envelope().getServerGuid(), reason);

  private final Map<Content.BodyCase, ContentHandler> handlers;
  private final UnhandledContent unhandled;

  private ContentDispatcher(Map<Content.BodyCase, ContentHandler> handlers, UnhandledContent unhandled) {
    this.handlers = Collections.unmodifiableMap(new EnumMap<>(handlers));
    this.unhandled = unhandled;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The kinds of content that have a handler. */
  public Set<Content.BodyCase> kinds() {
    return handlers.keySet();
  }

  /** Runs the handler of {@code content}'s kind, or reports why there is none. */
  public void dispatch(IncomingContent content, AfterCommit afterCommit) throws Exception {
    Content.BodyCase kind = content.content().getBodyCase();
    ContentHandler handler = handlers.get(kind);
    if (handler == null) {
      unhandled.unhandled(content, whyUnhandled(content.content()));
      return;
    }
    handler.handle(content, afterCommit);
  }

  private static String whyUnhandled(Content content) {
    if (content.getBodyCase() != Content.BodyCase.BODY_NOT_SET) {
      return "no handler is registered for content of kind " + content.getBodyCase();
    }
    Set<Integer> unknownFields = content.getUnknownFields().asMap().keySet();
    if (!unknownFields.isEmpty()) {
      return "an unknown kind of content (Content field " + unknownFields.stream().map(String::valueOf)
          .collect(Collectors.joining(", ")) + "), perhaps from a newer client";
    }
    return "empty content: no body is set";
  }

  /** Collects one handler per kind; the composition root is the only caller. */
  public static final class Builder {

    private final Map<Content.BodyCase, ContentHandler> handlers = new EnumMap<>(Content.BodyCase.class);

    private Builder() {}

    /** Registers {@code handler} for content whose {@code body} is {@code kind}. */
    public Builder on(Content.BodyCase kind, ContentHandler handler) {
      Objects.requireNonNull(handler, "handler");
      if (kind == Content.BodyCase.BODY_NOT_SET) {
        throw new IllegalArgumentException("BODY_NOT_SET is the absence of content, not a kind a handler can take");
      }
      if (handlers.putIfAbsent(kind, handler) != null) {
        throw new IllegalArgumentException("Content of kind " + kind + " already has a handler");
      }
      return this;
    }

    public ContentDispatcher build(UnhandledContent unhandled) {
      return new ContentDispatcher(handlers, Objects.requireNonNull(unhandled, "unhandled"));
    }
  }
}
