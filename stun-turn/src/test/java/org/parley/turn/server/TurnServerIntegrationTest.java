package org.parley.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.testing.TestClock;
import org.parley.turn.api.IpRange;
import org.parley.turn.api.TurnServer;
import org.parley.turn.api.TurnServerConfig;
import org.parley.turn.attribute.ChannelNumber;
import org.parley.turn.attribute.Data;
import org.parley.turn.attribute.ErrorCode;
import org.parley.turn.attribute.EvenPort;
import org.parley.turn.attribute.Lifetime;
import org.parley.turn.attribute.MessageIntegritySha256;
import org.parley.turn.attribute.Nonce;
import org.parley.turn.attribute.Realm;
import org.parley.turn.attribute.RequestedTransport;
import org.parley.turn.attribute.ReservationToken;
import org.parley.turn.attribute.Software;
import org.parley.turn.attribute.StunAttribute;
import org.parley.turn.attribute.UnknownAttribute;
import org.parley.turn.attribute.UnknownAttributes;
import org.parley.turn.attribute.XorMappedAddress;
import org.parley.turn.attribute.XorPeerAddress;
import org.parley.turn.attribute.XorRelayedAddress;
import org.parley.turn.auth.TurnCredential;
import org.parley.turn.message.ChannelData;
import org.parley.turn.message.MessageClass;
import org.parley.turn.message.MessageType;
import org.parley.turn.message.Method;
import org.parley.turn.message.Protection;
import org.parley.turn.message.StunDecoder;
import org.parley.turn.message.StunEncoder;
import org.parley.turn.message.StunMessage;
import org.parley.turn.message.TransactionId;
import org.parley.turn.testing.Ips;
import org.parley.turn.testing.TestTurnClient;

/**
 * The server on loopback with ephemeral ports, driven over real UDP and TCP sockets by {@link TestTurnClient}, with a
 * plain UDP socket as the peer.
 */
class TurnServerIntegrationTest {
  enum Via { UDP, TCP }

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  /** Generous: the sweeper runs once a second and CI machines can be loaded. */
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private final TestClock clock = TestClock.fixedAt(Instant.parse("2026-11-28T08:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TurnServer server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private TurnServer start(Consumer<TurnServerConfig.Builder> customize) throws Exception {
    TurnServerConfig.Builder b = TurnServerConfig.builder()
        .listeningIp(LOOPBACK).listeningPort(0).realm("parley.test")
        .user("alice:wonderland").user("bob:builder")
        .authSecret("rest-secret")
        .ioThreads(2).clock(clock).meterRegistry(registry);
    customize.accept(b);
    server = TurnServer.start(b.build());
    return server;
  }

  private InetSocketAddress address(Via via) {
    return via == Via.UDP ? server.udpAddresses().get(0) : server.tcpAddresses().get(0);
  }

  private TestTurnClient client(Via via) throws IOException {
    TestTurnClient c = via == Via.UDP ? TestTurnClient.udp(address(via)) : TestTurnClient.tcp(address(via));
    closeables.add(c);
    return c.credentials("alice", "wonderland");
  }

  private DatagramSocket peer() throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    s.setSoTimeout(5000);
    closeables.add(s);
    return s;
  }

  private static List<StunAttribute> udpTransport() {
    return List.of(new RequestedTransport(RequestedTransport.UDP));
  }

  private static void assertSuccess(StunMessage m) {
    assertThat(m.messageClass()).as("%s", m).isEqualTo(MessageClass.SUCCESS_RESPONSE);
  }

  private static int errorCode(StunMessage m) {
    assertThat(m.messageClass()).as("%s", m).isEqualTo(MessageClass.ERROR_RESPONSE);
    return m.get(ErrorCode.class).orElseThrow().code();
  }

  private InetSocketAddress allocate(TestTurnClient c) throws Exception {
    StunMessage r = c.authenticated(Method.ALLOCATE, udpTransport());
    assertSuccess(r);
    return r.get(XorRelayedAddress.class).orElseThrow().address();
  }

  private double counter(String name, String tag, String value) {
    var c = registry.find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void bindingReturnsTheReflexiveAddressWithoutCredentials(Via via) throws Exception {
    start(b -> {});
    TestTurnClient c = client(via);
    StunMessage request = StunMessage.builder(MessageType.request(Method.BINDING), TransactionId.random()).build();
    StunMessage response = c.transact(request, Protection.fingerprintOnly());

    assertSuccess(response);
    assertThat(response.get(XorMappedAddress.class).orElseThrow().address()).isEqualTo(c.localAddress());
    assertThat(response.get(Software.class)).contains(new Software("parley-turn"));
    assertThat(response.verifyFingerprint()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void allocateWithoutIntegrityGets401ThenSucceedsWithLongTermCredentials(Via via) throws Exception {
    start(b -> {});
    TestTurnClient c = client(via);
    StunMessage bare = StunMessage.builder(MessageType.request(Method.ALLOCATE), TransactionId.random())
        .addAll(udpTransport()).build();
    StunMessage challenge = c.transact(bare, Protection.none());
    assertThat(errorCode(challenge)).isEqualTo(401);
    assertThat(challenge.get(Realm.class)).contains(new Realm("parley.test"));
    assertThat(challenge.get(Nonce.class)).isPresent();

    StunMessage ok = c.authenticated(Method.ALLOCATE, udpTransport());
    assertSuccess(ok);
    assertThat(ok.verifyMessageIntegrity(c.key())).isTrue();
    assertThat(ok.get(XorRelayedAddress.class).orElseThrow().address().getAddress()).isEqualTo(LOOPBACK);
    assertThat(ok.get(XorMappedAddress.class).orElseThrow().address()).isEqualTo(c.localAddress());
    assertThat(ok.get(Lifetime.class)).contains(new Lifetime(600));
    assertThat(server.activeAllocations()).isEqualTo(1);
  }

  @Test
  void messageIntegritySha256IsVerifiedAndAnswered() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP).useSha256(true);
    StunMessage ok = c.authenticated(Method.ALLOCATE, udpTransport());
    assertSuccess(ok);
    assertThat(ok.get(MessageIntegritySha256.class)).isPresent();
    assertThat(ok.verifyMessageIntegritySha256(c.key())).isTrue();
  }

  @Test
  void wrongPasswordAndUnknownUserGet401AndAreCounted() throws Exception {
    start(b -> {});
    TestTurnClient wrong = client(Via.UDP).credentials("alice", "looking-glass");
    assertThat(errorCode(wrong.authenticated(Method.ALLOCATE, udpTransport()))).isEqualTo(401);
    TestTurnClient nobody = client(Via.UDP).credentials("mallory", "x");
    assertThat(errorCode(nobody.authenticated(Method.ALLOCATE, udpTransport()))).isEqualTo(401);

    assertThat(counter("stun.auth.failures", "reason", "bad_integrity")).isEqualTo(1);
    assertThat(counter("stun.auth.failures", "reason", "unknown_or_expired_user")).isEqualTo(1);
    assertThat(server.activeAllocations()).isZero();
  }

  @Test
  void missingUsernameRealmOrNonceWithIntegrityGets400() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    StunMessage noUser = StunMessage.builder(MessageType.request(Method.ALLOCATE), TransactionId.random())
        .addAll(udpTransport()).add(new Realm("parley.test")).add(new Nonce("n")).build();
    assertThat(errorCode(c.transact(noUser, Protection.integrity(new byte[16])))).isEqualTo(400);
  }

  @Test
  void expiredNonceGets438WithAFreshNonceWhichThenWorks() throws Exception {
    start(b -> b.nonceLifetime(Duration.ofSeconds(60)));
    TestTurnClient c = client(Via.UDP);
    allocate(c);
    String first = c.nonce();

    clock.advance(Duration.ofSeconds(61));
    StunMessage stale = c.transact(c.signed(Method.REFRESH, List.of()), c.protection());
    assertThat(errorCode(stale)).isEqualTo(438);
    String fresh = stale.get(Nonce.class).orElseThrow().value();
    assertThat(fresh).isNotEqualTo(first);
    assertThat(stale.get(Realm.class)).contains(new Realm("parley.test"));

    c.nonce(fresh);
    assertSuccess(c.transact(c.signed(Method.REFRESH, List.of()), c.protection()));
  }

  @Test
  void forgedNonceGets401() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    allocate(c);
    c.nonce("AAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assertThat(errorCode(c.transact(c.signed(Method.REFRESH, List.of()), c.protection()))).isEqualTo(401);
  }

  @Test
  void restApiCredentialsWorkUntilTheyExpire() throws Exception {
    start(b -> {});
    TurnCredential cred = server.mintCredential("carol", Duration.ofMinutes(5));
    assertThat(cred.username()).isEqualTo(clock.instant().plusSeconds(300).getEpochSecond() + ":carol");

    TestTurnClient c = client(Via.UDP).credentials(cred.username(), cred.password());
    allocate(c);

    clock.advance(Duration.ofMinutes(6));
    TestTurnClient late = client(Via.UDP).credentials(cred.username(), cred.password());
    assertThat(errorCode(late.authenticated(Method.ALLOCATE, udpTransport()))).isEqualTo(401);
  }

  @Test
  void unknownComprehensionRequiredAttributeGets420ListingIt() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    StunMessage req = StunMessage.builder(MessageType.request(Method.BINDING), TransactionId.random())
        .add(new UnknownAttribute(0x0031, new byte[] {1, 2, 3, 4}))
        .add(new UnknownAttribute(0x8031, new byte[] {5})) // comprehension-optional: ignored
        .build();
    StunMessage r = c.transact(req, Protection.none());
    assertThat(errorCode(r)).isEqualTo(420);
    assertThat(r.get(UnknownAttributes.class).orElseThrow().types()).containsExactly(0x0031);

    StunMessage optionalOnly = StunMessage.builder(MessageType.request(Method.BINDING), TransactionId.random())
        .add(new UnknownAttribute(0x8031, new byte[] {5})).build();
    assertSuccess(c.transact(optionalOnly, Protection.none()));
  }

  @Test
  void malformedPacketsAreDroppedAndCounted() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    byte[] good = StunEncoder.encode(StunMessage.builder(MessageType.request(Method.BINDING), TransactionId.random())
        .build(), Protection.fingerprintOnly());
    byte[] badLength = good.clone();
    badLength[3] = (byte) (badLength[3] + 4); // length field says more than was sent
    byte[] badFingerprint = good.clone();
    badFingerprint[good.length - 1] ^= 1;
    byte[] noCookie = good.clone();
    noCookie[4] = 0;
    byte[] truncatedAttribute = Arrays.copyOf(good, good.length - 4);
    truncatedAttribute[3] = (byte) (truncatedAttribute.length - 20);
    for (byte[] bad : List.of(new byte[] {0, 1, 0}, badLength, badFingerprint, noCookie, truncatedAttribute,
        new byte[] {(byte) 0xC0, 0, 0, 0, 0, 0, 0, 0})) {
      c.sendRaw(bad);
    }
    assertThat(c.receiveRaw(Duration.ofMillis(500))).as("no answer to malformed input").isNull();
    await().atMost(AWAIT).untilAsserted(() -> {
      assertThat(counter("turn.packets.dropped", "reason", "malformed")).isEqualTo(4);
      assertThat(counter("turn.packets.dropped", "reason", "bad_fingerprint")).isEqualTo(1);
      assertThat(counter("turn.packets.dropped", "reason", "not_stun")).isEqualTo(1);
    });
    // the server still answers after all that
    assertSuccess(c.transact(StunMessage.builder(MessageType.request(Method.BINDING), TransactionId.random())
        .build(), Protection.fingerprintOnly()));
  }

  @Test
  void unframeableTcpStreamClosesTheConnection() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.TCP);
    c.sendRaw(new byte[] {(byte) 0xFF, 0, 0, 4, 1, 2, 3, 4});
    assertThatThrownBy(() -> c.receiveRaw(Duration.ofSeconds(5))).hasMessageContaining("server closed");
    await().atMost(AWAIT)
        .untilAsserted(() -> assertThat(counter("turn.packets.dropped", "reason", "malformed")).isEqualTo(1));
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void sendAndDataIndicationsRelayBothWays(Via via) throws Exception {
    start(b -> b.allowLoopbackPeers(true));
    TestTurnClient c = client(via);
    DatagramSocket peer = peer();
    InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    InetSocketAddress relayed = allocate(c);
    assertSuccess(c.authenticated(Method.CREATE_PERMISSION, List.of(new XorPeerAddress(peerAddress))));

    StunMessage send = StunMessage.builder(MessageType.indication(Method.SEND), TransactionId.random())
        .add(new XorPeerAddress(peerAddress)).add(new Data("hello peer".getBytes())).build();
    c.sendRaw(StunEncoder.encode(send));
    DatagramPacket got = new DatagramPacket(new byte[1500], 1500);
    peer.receive(got);
    assertThat(new String(got.getData(), 0, got.getLength())).isEqualTo("hello peer");
    assertThat(got.getSocketAddress()).isEqualTo(relayed);

    byte[] reply = "hello client".getBytes();
    peer.send(new DatagramPacket(reply, reply.length, relayed));
    StunMessage data = c.receive();
    assertThat(data.type()).isEqualTo(MessageType.indication(Method.DATA));
    assertThat(data.get(XorPeerAddress.class).orElseThrow().address()).isEqualTo(peerAddress);
    assertThat(data.get(Data.class).orElseThrow().bytes()).isEqualTo(reply);
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void channelDataRelaysBothWaysAndIsPaddedOverTcp(Via via) throws Exception {
    start(b -> b.allowLoopbackPeers(true));
    TestTurnClient c = client(via);
    DatagramSocket peer = peer();
    InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    InetSocketAddress relayed = allocate(c);
    assertSuccess(c.authenticated(Method.CHANNEL_BIND,
        List.of(new ChannelNumber(0x4001), new XorPeerAddress(peerAddress))));

    c.sendRaw(new ChannelData(0x4001, new byte[] {1, 2, 3, 4, 5}).encode(via == Via.TCP));
    DatagramPacket got = new DatagramPacket(new byte[1500], 1500);
    peer.receive(got);
    assertThat(Arrays.copyOf(got.getData(), got.getLength())).containsExactly(1, 2, 3, 4, 5);

    peer.send(new DatagramPacket(new byte[] {9, 8, 7}, 3, relayed));
    byte[] frame = c.receiveRaw(TestTurnClient.TIMEOUT);
    assertThat(frame).isNotNull();
    ChannelData cd = ChannelData.decode(frame, 0, frame.length);
    assertThat(cd.channel()).isEqualTo(0x4001);
    assertThat(cd.data()).containsExactly(9, 8, 7);
    // RFC 8656 section 12.5: over TCP a ChannelData message is padded to a multiple of 4 bytes
    assertThat(frame.length).isEqualTo(via == Via.TCP ? 8 : 7);
  }

  @Test
  void relaysOverIpv6() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    server = TurnServer.start(TurnServerConfig.builder().listeningIp(v6).listeningPort(0).user("alice:wonderland")
        .allowLoopbackPeers(true).ioThreads(1).clock(clock).meterRegistry(registry).build());
    TestTurnClient c = TestTurnClient.udp(server.udpAddresses().get(0)).credentials("alice", "wonderland");
    closeables.add(c);
    DatagramSocket peer = new DatagramSocket(new InetSocketAddress(v6, 0));
    peer.setSoTimeout(5000);
    closeables.add(peer);
    InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    InetSocketAddress relayed = allocate(c);
    assertThat(relayed.getAddress()).isEqualTo(v6);
    // an IPv4 peer does not fit an IPv6 relay (RFC 8656 section 9.1: 443)
    assertThat(errorCode(c.authenticated(Method.CREATE_PERMISSION,
        List.of(new XorPeerAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 9)))))).isEqualTo(443);
    assertSuccess(c.authenticated(Method.CHANNEL_BIND,
        List.of(new ChannelNumber(0x4000), new XorPeerAddress(peerAddress))));
    c.sendRaw(new ChannelData(0x4000, new byte[] {4, 2}).encode(false));
    DatagramPacket got = new DatagramPacket(new byte[100], 100);
    peer.receive(got);
    assertThat(Arrays.copyOf(got.getData(), got.getLength())).containsExactly(4, 2);
    peer.send(new DatagramPacket(new byte[] {7}, 1, relayed));
    byte[] frame = c.receiveRaw(TestTurnClient.TIMEOUT);
    assertThat(ChannelData.decode(frame, 0, frame.length).data()).containsExactly(7);
  }

  @Test
  void channelBindRulesAreEnforced() throws Exception {
    start(b -> b.allowLoopbackPeers(true));
    TestTurnClient c = client(Via.UDP);
    allocate(c);
    InetSocketAddress p1 = new InetSocketAddress(LOOPBACK, 40001);
    InetSocketAddress p2 = new InetSocketAddress(LOOPBACK, 40002);
    assertThat(errorCode(c.authenticated(Method.CHANNEL_BIND,
        List.of(new ChannelNumber(0x3FFF), new XorPeerAddress(p1))))).isEqualTo(400);
    assertThat(errorCode(c.authenticated(Method.CHANNEL_BIND, List.of(new ChannelNumber(0x4000)))))
        .isEqualTo(400);
    assertSuccess(c.authenticated(Method.CHANNEL_BIND, List.of(new ChannelNumber(0x4000), new XorPeerAddress(p1))));
    // refresh of the same binding is fine; the same channel to another peer, or the peer on another channel, is not
    assertSuccess(c.authenticated(Method.CHANNEL_BIND, List.of(new ChannelNumber(0x4000), new XorPeerAddress(p1))));
    assertThat(errorCode(c.authenticated(Method.CHANNEL_BIND,
        List.of(new ChannelNumber(0x4000), new XorPeerAddress(p2))))).isEqualTo(400);
    assertThat(errorCode(c.authenticated(Method.CHANNEL_BIND,
        List.of(new ChannelNumber(0x4002), new XorPeerAddress(p1))))).isEqualTo(400);
  }

  @Test
  void forbiddenPeersGet403InEveryForm() throws Exception {
    start(b -> b.deniedPeerIp(IpRange.parse("198.51.100.0/24")));
    TestTurnClient c = client(Via.UDP);
    allocate(c);
    for (String ip : List.of("127.0.0.1", "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "224.0.0.1", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
        "::ffff:10.0.0.1", "198.51.100.7")) {
      InetSocketAddress peer = new InetSocketAddress(Ips.ip(ip), 5000);
      assertThat(errorCode(c.authenticated(Method.CREATE_PERMISSION, List.of(new XorPeerAddress(peer)))))
          .as("CreatePermission to %s", ip).isEqualTo(403);
      assertThat(errorCode(c.authenticated(Method.CHANNEL_BIND,
          List.of(new ChannelNumber(0x4000), new XorPeerAddress(peer))))).as("ChannelBind to %s", ip).isEqualTo(403);
    }
    // a public address is fine (nothing is sent: a permission is just state)
    assertSuccess(c.authenticated(Method.CREATE_PERMISSION,
        List.of(new XorPeerAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 5000)))));
  }

  /**
   * Two clients that both relay through this server (both behind symmetric NATs, say) must reach each other: the
   * server's own address is a permitted peer at another allocation's relay port, and at no other port (RFC 8656
   * section 21.3: a client must not reach the server's own services through the relay). Runs on the machine's
   * non-loopback address, because loopback is denied by default.
   */
  @Test
  void theServersOwnAddressIsAPeerOnlyAtAnotherAllocationsRelayPort() throws Exception {
    InetAddress hostIp = Ips.firstNonLoopbackIpv4();
    start(b -> b.listeningIp(hostIp).relayIp(hostIp));
    TestTurnClient a = client(Via.UDP);
    TestTurnClient b = client(Via.UDP).credentials("bob", "builder");
    InetSocketAddress relayedA = allocate(a);
    InetSocketAddress relayedB = allocate(b);
    assertThat(relayedA.getAddress()).isEqualTo(hostIp);
    assertSuccess(a.authenticated(Method.CREATE_PERMISSION, List.of(new XorPeerAddress(relayedB))));
    assertSuccess(b.authenticated(Method.CREATE_PERMISSION, List.of(new XorPeerAddress(relayedA))));

    // relay to relay: A's Send indication comes out of B's allocation as a Data indication from A's relay address
    a.sendRaw(StunEncoder.encode(StunMessage.builder(MessageType.indication(Method.SEND), TransactionId.random())
        .add(new XorPeerAddress(relayedB)).add(new Data("relay to relay".getBytes())).build()));
    StunMessage data = b.receive();
    assertThat(data.type()).isEqualTo(MessageType.indication(Method.DATA));
    assertThat(data.get(XorPeerAddress.class).orElseThrow().address()).isEqualTo(relayedA);
    assertThat(data.get(Data.class).orElseThrow().bytes()).isEqualTo("relay to relay".getBytes());

    // the server's listening port is not a peer: refused as a permission, and dropped as data even though A holds
    // a permission for the server's IP (permissions are per IP)
    InetSocketAddress listening = new InetSocketAddress(hostIp, address(Via.UDP).getPort());
    assertThat(errorCode(a.authenticated(Method.CREATE_PERMISSION, List.of(new XorPeerAddress(listening)))))
        .isEqualTo(403);
    assertThat(errorCode(a.authenticated(Method.CHANNEL_BIND,
        List.of(new ChannelNumber(0x4000), new XorPeerAddress(listening))))).isEqualTo(403);
    double refusedSoFar = counter("turn.packets.dropped", "reason", "peer_forbidden");
    a.sendRaw(StunEncoder.encode(StunMessage.builder(MessageType.indication(Method.SEND), TransactionId.random())
        .add(new XorPeerAddress(listening)).add(new Data("bounce".getBytes())).build()));
    await().atMost(AWAIT).untilAsserted(() -> assertThat(counter("turn.packets.dropped", "reason", "peer_forbidden"))
        .isEqualTo(refusedSoFar + 1));

    // once B's allocation is gone, its port is no longer a peer
    assertSuccess(b.authenticated(Method.REFRESH, List.of(new Lifetime(0))));
    assertThat(errorCode(a.authenticated(Method.CREATE_PERMISSION, List.of(new XorPeerAddress(relayedB)))))
        .isEqualTo(403);
  }

  @Test
  void theServersExternalAddressIsNotAPeerAtOtherPorts() throws Exception {
    InetAddress external = InetAddress.getByName("203.0.113.50");
    start(b -> b.allowLoopbackPeers(true).externalIp(external));
    TestTurnClient c = client(Via.UDP);
    InetSocketAddress relayed = allocate(c);
    assertThat(relayed.getAddress()).isEqualTo(external);
    assertThat(errorCode(c.authenticated(Method.CREATE_PERMISSION, List.of(new XorPeerAddress(
        new InetSocketAddress(external, 3478)))))).isEqualTo(403);
    assertSuccess(c.authenticated(Method.CREATE_PERMISSION, List.of(new XorPeerAddress(
        new InetSocketAddress(InetAddress.getByName("203.0.113.51"), 3478)))));
  }

  @Test
  void allowedPeerIpOverridesTheDefaultDenial() throws Exception {
    start(b -> b.allowedPeerIp(IpRange.parse("10.20.0.0/16")));
    TestTurnClient c = client(Via.UDP);
    allocate(c);
    assertSuccess(c.authenticated(Method.CREATE_PERMISSION,
        List.of(new XorPeerAddress(new InetSocketAddress(InetAddress.getByName("10.20.3.4"), 5000)))));
    assertThat(errorCode(c.authenticated(Method.CREATE_PERMISSION,
        List.of(new XorPeerAddress(new InetSocketAddress(InetAddress.getByName("10.21.3.4"), 5000))))))
        .isEqualTo(403);
  }

  @Test
  void packetsFromPeersWithoutPermissionAreDropped() throws Exception {
    start(b -> b.allowLoopbackPeers(true));
    TestTurnClient c = client(Via.UDP);
    DatagramSocket stranger = peer();
    InetSocketAddress relayed = allocate(c);
    stranger.send(new DatagramPacket(new byte[] {1}, 1, relayed));
    assertThat(c.receiveRaw(Duration.ofMillis(500))).isNull();
    await().atMost(AWAIT).untilAsserted(
        () -> assertThat(counter("turn.packets.dropped", "reason", "no_permission")).isEqualTo(1));
  }

  @Test
  void secondAllocateOnTheSameFiveTupleIs437() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    allocate(c);
    StunMessage req = c.signed(Method.ALLOCATE, udpTransport());
    StunMessage again = c.transact(req, c.protection());
    assertThat(errorCode(again)).isEqualTo(437);
    assertThat(server.activeAllocations()).isEqualTo(1);
  }

  @Test
  void retransmittedAllocateGetsTheCachedResponse() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    c.authenticated(Method.ALLOCATE, List.of()); // 400 without REQUESTED-TRANSPORT, but learns the nonce
    byte[] request = StunEncoder.encode(c.signed(Method.ALLOCATE, udpTransport()), c.protection());
    c.sendRaw(request);
    byte[] first = c.receiveRaw(TestTurnClient.TIMEOUT);
    c.sendRaw(request);
    byte[] second = c.receiveRaw(TestTurnClient.TIMEOUT);
    assertThat(StunDecoder.decode(first).messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void allocateChecksRequestedTransport() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    assertThat(errorCode(c.authenticated(Method.ALLOCATE, List.of()))).isEqualTo(400);
    assertThat(errorCode(c.authenticated(Method.ALLOCATE,
        List.of(new RequestedTransport(RequestedTransport.TCP))))).isEqualTo(442);
  }

  @Test
  void userAndTotalQuotasAreEnforced() throws Exception {
    start(b -> b.userQuota(1).totalQuota(2));
    allocate(client(Via.UDP));
    assertThat(errorCode(client(Via.UDP).authenticated(Method.ALLOCATE, udpTransport()))).isEqualTo(486);
    allocate(client(Via.UDP).credentials("bob", "builder"));
    TurnCredential carol = server.mintCredential("carol", Duration.ofMinutes(5));
    assertThat(errorCode(client(Via.UDP).credentials(carol.username(), carol.password())
        .authenticated(Method.ALLOCATE, udpTransport()))).isEqualTo(508);
  }

  @Test
  void anIpQuotaHoldsWhateverUserNamesOneAddressUses() throws Exception {
    // REST credentials carry a fresh user name each time they are minted: only a per-address quota stops one
    // client from taking every relay port (issue #17, finding 5).
    start(b -> b.userQuota(1).ipQuota(2));
    allocate(client(Via.UDP));
    allocate(client(Via.UDP).credentials("bob", "builder"));
    TurnCredential carol = server.mintCredential("carol", Duration.ofMinutes(5));
    assertThat(errorCode(client(Via.UDP).credentials(carol.username(), carol.password())
        .authenticated(Method.ALLOCATE, udpTransport()))).isEqualTo(486);
  }

  @Test
  void tcpConnectionsAreCappedPerIpAndBareIdleOnesClose() throws Exception {
    start(b -> b.tcpLimits(new TurnServerConfig.TcpLimits(0, 3, Duration.ofSeconds(1))));
    TestTurnClient withAllocation = client(Via.TCP);
    allocate(withAllocation);
    List<Socket> bare = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket(LOOPBACK, address(Via.TCP).getPort());
        s.setSoTimeout(20_000);
        bare.add(s);
      }
      try (Socket oneTooMany = new Socket(LOOPBACK, address(Via.TCP).getPort())) {
        oneTooMany.setSoTimeout(20_000);
        assertThat(oneTooMany.getInputStream().read()).as("closed at accept").isEqualTo(-1);
      }
      // Connections that never allocate are closed once idle; they free their slots.
      for (Socket s : bare) {
        assertThat(s.getInputStream().read()).as("closed when idle").isEqualTo(-1);
      }
      // The connection with an allocation outlived several idle periods and still works.
      assertSuccess(withAllocation.authenticated(Method.REFRESH, List.of(new Lifetime(600))));
    } finally {
      for (Socket s : bare) {
        s.close();
      }
    }
  }

  @Test
  void evenPortWithReservationGivesATokenForTheNextPort() throws Exception {
    start(b -> b.portRange(50000, 50099));
    TestTurnClient rtp = client(Via.UDP);
    StunMessage r = rtp.authenticated(Method.ALLOCATE, List.of(new RequestedTransport(17), new EvenPort(true)));
    assertSuccess(r);
    int port = r.get(XorRelayedAddress.class).orElseThrow().address().getPort();
    assertThat(port % 2).isZero();
    long token = r.get(ReservationToken.class).orElseThrow().token();
    // the reserved port is held by a bound socket, so no other process can take it meanwhile
    assertThatThrownBy(() -> new DatagramSocket(new InetSocketAddress(LOOPBACK, port + 1)).close())
        .isInstanceOf(BindException.class);

    TestTurnClient rtcp = client(Via.UDP);
    StunMessage r2 = rtcp.authenticated(Method.ALLOCATE,
        List.of(new RequestedTransport(17), new ReservationToken(token)));
    assertSuccess(r2);
    assertThat(r2.get(XorRelayedAddress.class).orElseThrow().address().getPort()).isEqualTo(port + 1);

    TestTurnClient reuse = client(Via.UDP);
    assertThat(errorCode(reuse.authenticated(Method.ALLOCATE,
        List.of(new RequestedTransport(17), new ReservationToken(token))))).isEqualTo(508);
    assertThat(errorCode(reuse.authenticated(Method.ALLOCATE,
        List.of(new RequestedTransport(17), new ReservationToken(token), new EvenPort(false))))).isEqualTo(400);
  }

  @Test
  void refreshWithZeroLifetimeDeletesTheAllocation() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    allocate(c);
    StunMessage r = c.authenticated(Method.REFRESH, List.of(new Lifetime(0)));
    assertSuccess(r);
    assertThat(r.get(Lifetime.class)).contains(new Lifetime(0));
    assertThat(server.activeAllocations()).isZero();
    assertThat(errorCode(c.authenticated(Method.REFRESH, List.of()))).isEqualTo(437);
  }

  @Test
  void refreshClampsTheLifetimeAndRequestsFromAnotherUserGet441() throws Exception {
    start(b -> b.maxLifetime(Duration.ofMinutes(30)));
    TestTurnClient c = client(Via.UDP);
    allocate(c);
    assertThat(c.authenticated(Method.REFRESH, List.of(new Lifetime(99_999))).get(Lifetime.class))
        .contains(new Lifetime(1800));
    c.credentials("bob", "builder").nonce(null);
    assertThat(errorCode(c.authenticated(Method.REFRESH, List.of()))).isEqualTo(441);
  }

  @Test
  void allocationsPermissionsAndChannelsExpire() throws Exception {
    start(b -> b.allowLoopbackPeers(true).nonceLifetime(Duration.ofHours(2)));
    TestTurnClient c = client(Via.UDP);
    DatagramSocket peer = peer();
    InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    allocate(c);
    assertSuccess(c.authenticated(Method.CHANNEL_BIND,
        List.of(new ChannelNumber(0x4000), new XorPeerAddress(peerAddress))));

    clock.advance(Duration.ofSeconds(301)); // permissions last 300 s, channels 600 s
    c.sendRaw(new ChannelData(0x4000, new byte[] {1}).encode(false));
    await().atMost(AWAIT).untilAsserted(
        () -> assertThat(counter("turn.packets.dropped", "reason", "no_permission")).isEqualTo(1));

    clock.advance(Duration.ofSeconds(300));
    await().atMost(AWAIT).until(() -> server.activeAllocations() == 0);
  }

  @Test
  void bandwidthCapDropsTheExcess() throws Exception {
    start(b -> b.allowLoopbackPeers(true).maxBps(1000));
    TestTurnClient c = client(Via.UDP);
    DatagramSocket peer = peer();
    InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    allocate(c);
    assertSuccess(c.authenticated(Method.CHANNEL_BIND,
        List.of(new ChannelNumber(0x4000), new XorPeerAddress(peerAddress))));
    for (int i = 0; i < 40; i++) {
      c.sendRaw(new ChannelData(0x4000, new byte[500]).encode(false)); // 20 kB at once against a 1 kB/s cap
    }
    // 2 packets fit the initial bucket and 2 more per second: even a sender stalled for 8 s passes at most 20
    await().atMost(AWAIT).untilAsserted(() -> assertThat(counter("turn.packets.dropped", "reason", "bandwidth")
        + counter("turn.relayed.packets", "direction", "to_peer")).isEqualTo(40));
    assertThat(counter("turn.packets.dropped", "reason", "bandwidth")).isGreaterThanOrEqualTo(20);
    assertThat(counter("turn.relayed.packets", "direction", "to_peer")).isLessThanOrEqualTo(20);
  }

  @Test
  void closingTheTcpConnectionDeletesItsAllocation() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.TCP);
    allocate(c);
    assertThat(server.activeAllocations()).isEqualTo(1);
    c.close();
    await().atMost(AWAIT).until(() -> server.activeAllocations() == 0);
  }

  @Test
  void requestsForAnAllocationThatDoesNotExistGet437() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    assertThat(errorCode(c.authenticated(Method.CREATE_PERMISSION,
        List.of(new XorPeerAddress(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1)))))).isEqualTo(437);
  }

  @Test
  void closeIsGracefulAndIdempotent() throws Exception {
    start(b -> {});
    TestTurnClient c = client(Via.UDP);
    allocate(c);
    server.close();
    server.close();
    assertThat(server.activeAllocations()).isZero();
    StunMessage request = StunMessage.builder(MessageType.request(Method.BINDING), TransactionId.random()).build();
    c.sendRaw(StunEncoder.encode(request));
    assertThat(c.receiveRaw(Duration.ofMillis(300))).isNull();
  }
}
