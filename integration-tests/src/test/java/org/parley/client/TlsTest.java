package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.server.support.TestServer;
import org.parley.testing.Recorder;
import org.parley.testing.Users;

/**
 * The same chat, and an attachment, over https and wss against a server with a self-signed certificate the clients
 * are told to trust.
 */
class TlsTest {

  @Test
  @SuppressWarnings("deprecation") // Netty's SelfSignedCertificate: the simplest self-signed PEM pair for a test
  void clientsChatOverHttpsAndWss() throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
    Path pem = cert.certificate().toPath();
    try (TestServer server = TestServer.start(Map.of("PARLEY_TLS_CERTIFICATE", pem.toString(),
        "PARLEY_TLS_PRIVATE_KEY", cert.privateKey().getPath()))) {
      assertThat(server.url().getScheme()).isEqualTo("https");

      Path untrusting = Files.createTempDirectory("parley-tls");
      try (ParleyClient client = ParleyClient.open(ClientOptions.of(untrusting, server.url()))) {
        assertThatThrownBy(() -> client.requestCode(Users.newNumber())).isInstanceOf(NetworkException.class)
            .hasMessageContaining("Cannot reach the server");
      }

      String alice = Users.newNumber();
      String bob = Users.newNumber();
      try (ParleyClient a = registerTrusting(server, alice, pem); ParleyClient b = registerTrusting(server, bob, pem)) {
        Recorder bEvents = new Recorder();
        b.addListener(bEvents);
        a.connect();
        b.connect();
        Message sent = a.send(bob, "over TLS");
        await().atMost(Duration.ofSeconds(20)).until(() -> bEvents.received.size() == 1);
        assertThat(bEvents.connections).contains("true connected");
        await().atMost(Duration.ofSeconds(20))
            .until(() -> MessagingTest.statusOf(a, bob, sent.id()) == MessageStatus.DELIVERED);

        // An attachment download over TLS takes the buffered path (plain TCP uses sendfile, ADR 0122).
        Path file = Files.createTempDirectory("parley-tls-file").resolve("over-tls.bin");
        byte[] bytes = new byte[700_000];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        a.send(bob, "a file over TLS", List.of(OutgoingAttachment.of(file)));
        Message received = AttachmentMessagingTest.awaitAttachmentMessage(b, alice, Message.Direction.INCOMING);
        long attachmentId = received.attachments().get(0).id();
        b.awaitDownload(attachmentId, AttachmentMessagingTest.WAIT);
        assertThat(AttachmentMessagingTest.plaintext(b, attachmentId)).isEqualTo(bytes);
      }
    } finally {
      cert.delete();
    }
  }

  private static ParleyClient registerTrusting(TestServer server, String number, Path pem) throws Exception {
    ParleyClient client = ParleyClient.open(new ClientOptions(Files.createTempDirectory("parley-tls"),
        Optional.of(server.url()), Optional.of(pem), Clock.systemUTC()));
    client.requestCode(number);
    client.verify(server.lastCode(number));
    return client;
  }
}
