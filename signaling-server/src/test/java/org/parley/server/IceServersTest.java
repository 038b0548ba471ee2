package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.parley.protocol.IceServers;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;

/** The embedded STUN/TURN server answers on the advertised address, and the minted credentials are coturn's format. */
class IceServersTest {

  @Test
  void handsOutTheEmbeddedServersUrlsWithRestApiCredentials() throws Exception {
    try (TestServer server = TestServer.builder().turn(true).start()) {
      Api.Device alice = server.api.register("+15558880001");
      assertThat(server.api.call("GET", "/v1/calls/ice-servers", null, null).status()).isEqualTo(401);
      Api.Response r = server.api.call("GET", "/v1/calls/ice-servers", null, alice);
      assertThat(r.status()).isEqualTo(200);
      IceServers ice = r.as(IceServers.getDefaultInstance());
      assertThat(ice.getServers(0).getUrlsList()).hasSize(3);
      String stun = ice.getServers(0).getUrls(0);
      assertThat(stun).startsWith("stun:127.0.0.1:");
      assertThat(ice.getServers(0).getUrls(1)).endsWith("?transport=udp");

      // Username "expiry:accountId", password base64(HMAC-SHA1(secret, username)), with the secret kept on disk.
      String username = ice.getServers(0).getUsername();
      long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
      assertThat(username).endsWith(":" + alice.accountId());
      assertThat(expiry * 1000).isCloseTo(System.currentTimeMillis() + 12 * 3600_000L, Offset.offset(60_000L));
      String secret = Files.readString(server.dataDir.resolve("turn-secret")).trim();
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      assertThat(ice.getServers(0).getCredential()).isEqualTo(
          Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8))));

      // A STUN Binding request (RFC 8489 section 6) to the advertised port gets a success response.
      int port = Integer.parseInt(stun.substring(stun.lastIndexOf(':') + 1));
      ByteBuffer request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0)
          .putInt(0x2112A442).putLong(0x0102030405060708L).putInt(0x090a0b0c);
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.setSoTimeout(5000);
        socket.send(new DatagramPacket(request.array(), 20, InetAddress.getLoopbackAddress(), port));
        DatagramPacket answer = new DatagramPacket(new byte[512], 512);
        socket.receive(answer);
        ByteBuffer body = ByteBuffer.wrap(answer.getData(), 0, answer.getLength());
        assertThat(body.getShort() & 0xffff).as("Binding success response").isEqualTo(0x0101);
        body.getShort();
        assertThat(body.getInt()).as("magic cookie").isEqualTo(0x2112A442);
        assertThat(body.getLong()).as("transaction id echoed").isEqualTo(0x0102030405060708L);
      }
    }
  }

  @Test
  void anExternalServerCanBeNamedInstead() throws Exception {
    try (TestServer server = TestServer.start(Map.of(
        "PARLEY_TURN_EMBEDDED", "false",
        "PARLEY_TURN_URLS", "turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349",
        "PARLEY_TURN_STATIC_AUTH_SECRET", "shared-with-coturn"))) {
      Api.Device alice = server.api.register("+15558880002");
      IceServers ice = server.api.call("GET", "/v1/calls/ice-servers", null, alice).as(IceServers.getDefaultInstance());
      assertThat(ice.getServers(0).getUrlsList())
          .containsExactly("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349");
    }
  }
}
