/*
 * Parley — NAT lab probe. Copyright the Parley authors. SPDX-License-Identifier: AGPL-3.0-only
 *
 * A small UDP tool for the NAT lab's self-tests, run with the JDK's source launcher
 * (java scripts/nat-lab/NatProbe.java ...):
 *
 *   mapping HOST:PORT [HOST:PORT ...]
 *       From ONE UDP socket, a STUN Binding request (RFC 8489, no attributes) to each server; prints
 *       "mapped SERVER LOCAL_PORT MAPPED_ADDRESS:PORT" per server. Exit 1 if a server does not answer.
 *
 *   punch --stun HOST:PORT --me FILE --peer FILE [--seconds N]
 *       Learns this socket's public mapping from the STUN server, writes it to FILE --me, waits for the
 *       other side's mapping in --peer (up to 30 s), then sends datagrams to it every 50 ms (simultaneous
 *       open, what ICE does). Prints "received FROM" when the peer's datagram arrives and exits 0 once both
 *       sides have heard each other, or 1 after N seconds of trying (default 5).
 */
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

public final class NatProbe {
  private static final int MAGIC_COOKIE = 0x2112A442;
  private static final int BINDING_REQUEST = 0x0001;
  private static final int BINDING_SUCCESS = 0x0101;
  private static final int XOR_MAPPED_ADDRESS = 0x0020;
  private static final SecureRandom RANDOM = new SecureRandom();

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
    }
    switch (args[0]) {
      case "mapping" -> System.exit(mapping(Arrays.copyOfRange(args, 1, args.length)));
      case "punch" -> System.exit(punch(Arrays.copyOfRange(args, 1, args.length)));
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println("usage: NatProbe mapping HOST:PORT...  |  NatProbe punch --stun HOST:PORT --me FILE --peer FILE"
        + " [--seconds N]");
    System.exit(2);
  }

  static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("not HOST:PORT: " + hostPort);
    }
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static int mapping(String[] servers) throws IOException {
    if (servers.length == 0) {
      usage();
    }
    try (DatagramSocket socket = new DatagramSocket(0)) {
      int failures = 0;
      for (String s : servers) {
        InetSocketAddress server = parse(s);
        InetSocketAddress mapped = binding(socket, server);
        if (mapped == null) {
          System.out.println("noanswer " + s + " " + socket.getLocalPort());
          failures++;
        } else {
          System.out.println("mapped " + s + " " + socket.getLocalPort() + " " + format(mapped));
        }
      }
      return failures == 0 ? 0 : 1;
    }
  }

  /** A Binding transaction with retransmissions (500 ms, 4 tries); null if the server never answers. */
  static InetSocketAddress binding(DatagramSocket socket, InetSocketAddress server) throws IOException {
    byte[] tid = new byte[12];
    RANDOM.nextBytes(tid);
    ByteBuffer req = ByteBuffer.allocate(20);
    req.putShort((short) BINDING_REQUEST).putShort((short) 0).putInt(MAGIC_COOKIE).put(tid);
    byte[] buf = new byte[1500];
    socket.setSoTimeout(500);
    for (int attempt = 0; attempt < 4; attempt++) {
      socket.send(new DatagramPacket(req.array(), 20, server));
      long deadline = System.nanoTime() + 500_000_000L;
      while (System.nanoTime() < deadline) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          break;
        }
        InetSocketAddress mapped = parseBindingSuccess(buf, p.getLength(), tid);
        if (mapped != null) {
          return mapped;
        }
      }
    }
    return null;
  }

  /** The XOR-MAPPED-ADDRESS (IPv4) of a Binding success response with this transaction id, else null. */
  static InetSocketAddress parseBindingSuccess(byte[] b, int len, byte[] tid) throws IOException {
    if (len < 20) {
      return null;
    }
    ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
    int type = bb.getShort() & 0xFFFF;
    int length = bb.getShort() & 0xFFFF;
    int cookie = bb.getInt();
    byte[] id = new byte[12];
    bb.get(id);
    if (type != BINDING_SUCCESS || cookie != MAGIC_COOKIE || !Arrays.equals(id, tid) || 20 + length > len) {
      return null;
    }
    while (bb.position() + 4 <= 20 + length) {
      int attrType = bb.getShort() & 0xFFFF;
      int attrLen = bb.getShort() & 0xFFFF;
      int start = bb.position();
      if (attrType == XOR_MAPPED_ADDRESS && attrLen == 8) {
        bb.get(); // reserved
        int family = bb.get() & 0xFF;
        int port = (bb.getShort() & 0xFFFF) ^ (MAGIC_COOKIE >>> 16);
        int addr = bb.getInt() ^ MAGIC_COOKIE;
        if (family == 0x01) {
          byte[] a = ByteBuffer.allocate(4).putInt(addr).array();
          return new InetSocketAddress(InetAddress.getByAddress(a), port);
        }
      }
      bb.position(start + ((attrLen + 3) & ~3));
    }
    return null;
  }

  static String format(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static int punch(String[] args) throws Exception {
    String stun = null;
    Path me = null;
    Path peerFile = null;
    int seconds = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--stun" -> stun = args[++i];
        case "--me" -> me = Path.of(args[++i]);
        case "--peer" -> peerFile = Path.of(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        default -> usage();
      }
    }
    if (stun == null || me == null || peerFile == null) {
      usage();
    }
    try (DatagramSocket socket = new DatagramSocket(0)) {
      InetSocketAddress mine = binding(socket, parse(stun));
      if (mine == null) {
        System.out.println("noanswer " + stun);
        return 1;
      }
      System.out.println("mapped " + stun + " " + socket.getLocalPort() + " " + format(mine));
      Path tmp = me.resolveSibling(me.getFileName() + ".tmp");
      Files.writeString(tmp, format(mine));
      Files.move(tmp, me); // atomic: the peer never reads half a line
      long peerDeadline = System.nanoTime() + 30_000_000_000L; // the other JVM may start late on a busy machine
      while (!Files.exists(peerFile)) {
        if (System.nanoTime() > peerDeadline) {
          System.out.println("nopeer " + peerFile);
          return 1;
        }
        Thread.sleep(20);
      }
      InetSocketAddress peer = parse(Files.readString(peerFile).trim());
      System.out.println("peer " + format(peer));
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      // "hello" until we hear the peer, then "ack" so that it knows we heard it; done once we have heard it and
      // it has acknowledged us (or keeps saying hello past our acks for a while: its acks may be what is lost).
      boolean heard = false;
      boolean acked = false;
      int acksSent = 0;
      socket.setSoTimeout(50);
      byte[] buf = new byte[1500];
      while (System.nanoTime() < deadline && !(heard && acked && acksSent >= 3)) {
        String msg = heard ? "ack" : "hello";
        socket.send(new DatagramPacket(msg.getBytes(StandardCharsets.US_ASCII), msg.length(), peer));
        if (heard) {
          acksSent++;
        }
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          socket.receive(p);
          String got = new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
          if (!heard) {
            System.out.println("received " + got + " from " + format((InetSocketAddress) p.getSocketAddress()));
          }
          heard = true;
          acked |= got.equals("ack");
        } catch (SocketTimeoutException e) {
          // send again
        }
      }
      System.out.println(heard && acked ? "punched" : heard ? "oneway" : "blocked");
      return heard && acked ? 0 : 1;
    }
  }
}
