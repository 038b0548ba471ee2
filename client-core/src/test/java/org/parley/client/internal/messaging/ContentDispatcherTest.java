package org.parley.client.internal.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.TypingMessage;
import org.parley.protocol.Envelope;

/** Content goes to the handler of its kind; content nothing handles is reported with the reason, not dropped. */
class ContentDispatcherTest {

  private static final String SENDER = "+15550001111";

  private final List<IncomingContent> handled = new ArrayList<>();
  private final List<String> unhandled = new ArrayList<>();

  private ContentDispatcher typingOnly() {
    return ContentDispatcher.builder()
        .on(Content.BodyCase.TYPING, (content, afterCommit) -> handled.add(content))
        .build((content, reason) -> unhandled.add(reason));
  }

  private static IncomingContent from(Content content) {
    return new IncomingContent(Envelope.newBuilder().setSourceAccount("them").setSourceDevice(2)
        .setSourceNumber(SENDER).setServerGuid("guid-1").build(), content, "us");
  }

  @Test
  void aRegisteredHandlerGetsContentOfItsKindAndItsAfterCommitWorkWaitsForTheCommit() throws Exception {
    List<String> log = new ArrayList<>();
    ContentDispatcher dispatcher = ContentDispatcher.builder()
        .on(Content.BodyCase.TYPING, (content, afterCommit) -> {
          log.add("handled " + content.content().getTyping().getStarted());
          afterCommit.then(() -> log.add("after commit"));
        })
        .build((content, reason) -> log.add("unhandled: " + reason));
    IncomingContent typing = from(Content.newBuilder().setSenderNumber(SENDER)
        .setTyping(TypingMessage.newBuilder().setStarted(true).setTimestamp(7)).build());
    AfterCommit afterCommit = new AfterCommit();

    dispatcher.dispatch(typing, afterCommit);
    assertThat(log).containsExactly("handled true");

    afterCommit.run();
    assertThat(log).containsExactly("handled true", "after commit");
    assertThat(dispatcher.kinds()).containsExactly(Content.BodyCase.TYPING);
  }

  @Test
  void emptyContentIsReportedAsEmpty() throws Exception {
    typingOnly().dispatch(from(Content.newBuilder().setSenderNumber(SENDER).build()), new AfterCommit());
    assertThat(handled).isEmpty();
    assertThat(unhandled).containsExactly("empty content: no body is set");
  }

  @Test
  void aKindFromANewerClientIsReportedWithItsFieldNumber() throws Exception {
    // What a newer client would write: the sender's number and a body in a field this version does not know.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(1, SENDER);
    out.writeBytes(999, ByteString.copyFromUtf8("a location, perhaps"));
    out.flush();
    Content newer = Content.parseFrom(bytes.toByteArray());
    assertThat(newer.getBodyCase()).isEqualTo(Content.BodyCase.BODY_NOT_SET);

    typingOnly().dispatch(from(newer), new AfterCommit());
    assertThat(handled).isEmpty();
    assertThat(unhandled).containsExactly(
        "an unknown kind of content (Content field 999), perhaps from a newer client");
  }

  @Test
  void aKnownKindWithoutAHandlerIsReportedByName() throws Exception {
    typingOnly().dispatch(from(Content.newBuilder().setSenderNumber(SENDER)
        .setData(DataMessage.newBuilder().setText("hi").setTimestamp(1)).build()), new AfterCommit());
    assertThat(handled).isEmpty();
    assertThat(unhandled).containsExactly("no handler is registered for content of kind DATA");
  }

  @Test
  void whatAHandlerThrowsReachesTheInboxSoItCanRollBack() {
    IOException disk = new IOException("disk full");
    ContentDispatcher dispatcher = ContentDispatcher.builder()
        .on(Content.BodyCase.TYPING, (content, afterCommit) -> {
          throw disk;
        })
        .build((content, reason) -> unhandled.add(reason));
    assertThatThrownBy(() -> dispatcher.dispatch(from(Content.newBuilder()
        .setTyping(TypingMessage.newBuilder().setStarted(false)).build()), new AfterCommit())).isSameAs(disk);
    assertThat(unhandled).isEmpty();
  }

  @Test
  void registrationMistakesAreRefused() throws IOException {
    ContentDispatcher.Builder builder = ContentDispatcher.builder()
        .on(Content.BodyCase.DATA, (content, afterCommit) -> { });
    assertThatThrownBy(() -> builder.on(Content.BodyCase.DATA, (content, afterCommit) -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Content of kind DATA already has a handler");
    assertThatThrownBy(() -> builder.on(Content.BodyCase.BODY_NOT_SET, (content, afterCommit) -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BODY_NOT_SET is the absence of content");
    assertThatThrownBy(() -> builder.on(Content.BodyCase.SYNC, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.build(null)).isInstanceOf(NullPointerException.class);
  }
}
