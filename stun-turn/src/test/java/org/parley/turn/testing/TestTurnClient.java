package org.parley.turn.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.turn.attribute.ErrorCode;
import org.parley.turn.attribute.Nonce;
import org.parley.turn.attribute.Realm;
import org.parley.turn.attribute.StunAttribute;
import org.parley.turn.attribute.Username;
import org.parley.turn.auth.LongTermKey;
import org.parley.turn.message.MessageClass;
import org.parley.turn.message.MessageType;
import org.parley.turn.message.Protection;
import org.parley.turn.message.StunDecoder;
import org.parley.turn.message.StunEncoder;
import org.parley.turn.message.StunMessage;
import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * A small STUN/TURN client for tests, over a real UDP socket or TCP connection. It knows the long-term credential
 * dance (send, get 401/438 with REALM and NONCE, resend with MESSAGE-INTEGRITY) and TCP framing of STUN and
 * ChannelData (RFC 8656 section 12.5).
 */
public final class TestTurnClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final DatagramSocket udp;
  private final Socket tcp;
  private final DataInputStream tcpIn;
  private final OutputStream tcpOut;
  private final InetSocketAddress server;
  private String username;
  private String password;
  private String realm;
  private String nonce;
  private boolean sha256;

  private TestTurnClient(DatagramSocket udp, Socket tcp, InetSocketAddress server) throws IOException {
    this.udp = udp;
    this.tcp = tcp;
    this.server = server;
    this.tcpIn = tcp == null ? null : new DataInputStream(tcp.getInputStream());
    this.tcpOut = tcp == null ? null : tcp.getOutputStream();
  }

  public static TestTurnClient udp(InetSocketAddress server) throws IOException {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
    return new TestTurnClient(s, null, server);
  }

  public static TestTurnClient tcp(InetSocketAddress server) throws IOException {
    Socket s = new Socket();
    s.connect(server, (int) TIMEOUT.toMillis());
    s.setTcpNoDelay(true);
    return new TestTurnClient(null, s, server);
  }

  public TestTurnClient credentials(String username, String password) {
    this.username = username;
    this.password = password;
    return this;
  }

  /** Use MESSAGE-INTEGRITY-SHA256 instead of MESSAGE-INTEGRITY. */
  public TestTurnClient useSha256(boolean on) {
    this.sha256 = on;
    return this;
  }

  public String nonce() {
    return nonce;
  }

  public void nonce(String nonce) {
    this.nonce = nonce;
  }

  public InetSocketAddress localAddress() {
    return udp != null ? (InetSocketAddress) udp.getLocalSocketAddress()
        : (InetSocketAddress) tcp.getLocalSocketAddress();
  }

  public void sendRaw(byte[] bytes) throws IOException {
    if (udp != null) {
      udp.send(new DatagramPacket(bytes, bytes.length, server));
    } else {
      tcpOut.write(bytes);
      tcpOut.flush();
    }
  }

  /** The next message from the server (a datagram or one TCP frame), or null if none arrives within {@code wait}. */
  public byte[] receiveRaw(Duration wait) throws IOException {
    try {
      if (udp != null) {
        udp.setSoTimeout((int) wait.toMillis());
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        return Arrays.copyOf(buf, p.getLength());
      }
      tcp.setSoTimeout((int) wait.toMillis());
      byte[] head = new byte[4];
      tcpIn.readFully(head);
      int length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
      int rest = (head[0] & 0xC0) == 0 ? 16 + length : (length + 3) & ~3;
      byte[] frame = new byte[4 + rest];
      System.arraycopy(head, 0, frame, 0, 4);
      tcpIn.readFully(frame, 4, rest);
      return frame;
    } catch (SocketTimeoutException e) {
      return null;
    } catch (EOFException e) {
      throw new IOException("server closed the connection", e);
    }
  }

  /** The next STUN message, skipping nothing; fails on timeout. */
  public StunMessage receive() throws IOException, StunParseException {
    byte[] raw = receiveRaw(TIMEOUT);
    if (raw == null) {
      throw new IOException("no message from the server within " + TIMEOUT);
    }
    return StunDecoder.decode(raw);
  }

  /** Sends a request and returns the response with the same transaction ID (other messages are skipped). */
  public StunMessage transact(StunMessage request, Protection protection) throws IOException, StunParseException {
    sendRaw(StunEncoder.encode(request, protection));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      byte[] raw = receiveRaw(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
      if (raw == null) {
        break;
      }
      if ((raw[0] & 0xC0) != 0) {
        continue;
      }
      StunMessage m = StunDecoder.decode(raw);
      if (m.transactionId().equals(request.transactionId())) {
        return m;
      }
    }
    throw new IOException("no response to " + request.type() + " within " + TIMEOUT);
  }

  /** The long-term key for the current realm. */
  public byte[] key() {
    return LongTermKey.md5(username, realm, password);
  }

  /**
   * Sends an authenticated request, doing the 401/438 round first when there is no nonce yet or it went stale.
   * Returns the final response.
   */
  public StunMessage authenticated(int method, List<? extends StunAttribute> attributes)
      throws IOException, StunParseException {
    for (int round = 0; round < 3; round++) {
      StunMessage response;
      if (nonce == null) {
        StunMessage bare = StunMessage.builder(MessageType.request(method), TransactionId.random())
            .addAll(attributes).build();
        response = transact(bare, Protection.fingerprintOnly());
      } else {
        response = transact(signed(method, attributes), protection());
      }
      if (response.messageClass() == MessageClass.ERROR_RESPONSE) {
        int code = response.get(ErrorCode.class).orElseThrow().code();
        if (code == ErrorCode.UNAUTHENTICATED || code == ErrorCode.STALE_NONCE) {
          String newNonce = response.get(Nonce.class).map(Nonce::value).orElse(null);
          String newRealm = response.get(Realm.class).map(Realm::value).orElse(null);
          boolean retry = newNonce != null && (nonce == null || code == ErrorCode.STALE_NONCE);
          if (newNonce != null) {
            nonce = newNonce;
            realm = newRealm;
          }
          if (retry) {
            continue;
          }
        }
      }
      return response;
    }
    throw new IOException("authentication did not converge");
  }

  /** A request carrying USERNAME, REALM, NONCE (integrity is added by {@link #protection()}). */
  public StunMessage signed(int method, List<? extends StunAttribute> attributes) {
    List<StunAttribute> all = new ArrayList<>(attributes);
    all.add(new Username(username));
    all.add(new Realm(realm));
    all.add(new Nonce(nonce));
    return StunMessage.builder(MessageType.request(method), TransactionId.random()).addAll(all).build();
  }

  public Protection protection() {
    return Protection.integrity(key()).withSha1(!sha256).withSha256(sha256).withFingerprint(true);
  }

  public void setRealm(String realm) {
    this.realm = realm;
  }

  @Override
  public void close() throws IOException {
    if (udp != null) {
      udp.close();
    }
    if (tcp != null) {
      tcp.close();
    }
  }
}
