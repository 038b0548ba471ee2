package org.parley.bench;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.GroupDataMessage;
import org.parley.protocol.Envelope;
import org.parley.protocol.MultiRecipientMessageRequest;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.RecipientSetRequest;
import org.parley.protocol.RecipientSetResponse;
import org.parley.protocol.Route;
import org.parley.protocol.SendMessageRequest;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.SessionBuilder;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.CiphertextMessage;
import org.signal.libsignal.protocol.message.PreKeySignalMessage;
import org.signal.libsignal.protocol.message.SignalMessage;
import org.signal.libsignal.protocol.state.impl.InMemorySignalProtocolStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Group messages (ADR 0140). Sender side, with libsignal in memory: CPU time and bytes uploaded for one message to a
 * group of N members (one device each) sent with a sender key (one encryption, one multi-recipient request) against
 * pairwise encryption to every member (one session encryption and one request per member) and against a 1:1 send.
 * Server side: deliveries per second into the 256 online member devices of a group, each stored durably before the
 * sender is answered and deleted on the device's ack.
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
    description = "Sender cost of a group message (sender key vs pairwise vs 1:1) for each --sizes, then the "
        + "server's fan-out deliveries/s into a --fanout-members group of online devices.")
final class GroupBench extends ParleyBench.Common implements Callable<Integer> {

  @Option(names = "--sizes", split = ",", defaultValue = "8,64,256,1024", description = "Group sizes (members).")
  List<Integer> sizes;

  @Option(names = "--fanout-members", defaultValue = "256", description = "Members of the fan-out group.")
  int fanoutMembers;

  @Option(names = "--window", defaultValue = "4", description = "Group sends in flight per sender in the fan-out"
      + " test.")
  int window;

  @Option(names = "--senders", defaultValue = "1", description = "Members sending at once in the fan-out test (each"
      + " sends to the other members; a connection's requests are answered in order, so one sender is bound by the"
      + " durable write's latency).")
  int senders;

  @Option(names = {"-s", "--seconds"}, defaultValue = "20", description = "Seconds of fan-out measured.")
  int seconds;

  @Option(names = "--warmup", defaultValue = "5", description = "Seconds of fan-out before measuring.")
  int warmup;

  @Option(names = "--skip-fanout", description = "Only the sender-side comparison (no server).")
  boolean skipFanout;

  @Option(names = "--listed", description = "Fan-out sends list every recipient device (as before recipient sets)"
      + " instead of naming a registered set.")
  boolean listed;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Override
  public Integer call() throws Exception {
    byte[] plaintext = Contents.encode(Content.newBuilder().setSenderNumber("+15550001111")
        .setGroupMessage(GroupDataMessage.newBuilder().setGroupId(ByteString.copyFrom(new byte[16]))
            .setData(DataMessage.newBuilder().setText("See you all at the station at nine, bring water!")
                .setTimestamp(System.currentTimeMillis())))
        .build());
    double[] oneToOne = senderCost(1, plaintext, Mode.PAIRWISE);
    System.out.printf("1:1 send: %.1f µs CPU, %d bytes uploaded per message%n", oneToOne[0], (long) oneToOne[1]);
    for (int members : sizes) {
      double[] set = senderCost(members, plaintext, Mode.RECIPIENT_SET);
      double[] listed = senderCost(members, plaintext, Mode.LISTED);
      double[] pairwise = senderCost(members, plaintext, Mode.PAIRWISE);
      System.out.printf("group of %,d: sender key + recipient set %.1f µs CPU (%.2f× 1:1), %,d bytes up (%.2f×"
          + " 1:1; the set, %,d bytes, once per membership change) | sender key listing the devices (before)"
          + " %.1f µs (%.2f×), %,d bytes (%.1f×) | pairwise %,.1f µs CPU (%.1f× 1:1), %,d bytes up in %,d"
          + " requests%n", members, set[0], set[0] / oneToOne[0], (long) set[1], set[1] / oneToOne[1],
          (long) set[2], listed[0], listed[0] / oneToOne[0], (long) listed[1], listed[1] / oneToOne[1],
          pairwise[0], pairwise[0] / oneToOne[0], (long) pairwise[1], members);
    }
    if (!skipFanout) {
      fanout();
    }
    return 0;
  }

  /** How the sender sends one group message. */
  enum Mode {
    /** Sender key, the recipients named by a registered set's 16-byte id (what the client does). */
    RECIPIENT_SET,
    /** Sender key, every recipient device listed in each request (serialized once, reused). */
    LISTED,
    /** A session encryption and a request per member (a 1:1 send when there is one member). */
    PAIRWISE
  }

  /**
   * {@code [µs of CPU per message, bytes uploaded per message, bytes of the set registration]} for one message to
   * {@code members} members. Sessions are set up (and acknowledged by a reply) first, outside the measurement.
   */
  private static double[] senderCost(int members, byte[] plaintext, Mode mode) throws Exception {
    boolean senderKey = mode != Mode.PAIRWISE;
    ByteString recipientList = null;
    ByteString setId = ByteString.copyFrom(new byte[16]);
    long setBytes = 0;
    InMemorySignalProtocolStore sender = new InMemorySignalProtocolStore(IdentityKeyPair.generate(), 1);
    SignalProtocolAddress self = new SignalProtocolAddress(UUID.randomUUID().toString(), 1);
    List<SessionCipher> ciphers = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      String account = UUID.randomUUID().toString();
      accounts.add(account);
      if (senderKey) {
        continue;
      }
      InMemorySignalProtocolStore member = new InMemorySignalProtocolStore(IdentityKeyPair.generate(), 2 + i);
      SignalProtocolAddress address = new SignalProtocolAddress(account, 1);
      new SessionBuilder(sender, address).process(ClientBench.bundle(member, 2 + i));
      SessionCipher toMember = new SessionCipher(sender, address);
      SessionCipher atMember = new SessionCipher(member, self);
      atMember.decrypt(new PreKeySignalMessage(toMember.encrypt(plaintext).serialize()));
      toMember.decrypt(new SignalMessage(atMember.encrypt(plaintext).serialize()));
      ciphers.add(toMember);
    }
    UUID distributionId = UUID.randomUUID();
    GroupCipher group = new GroupCipher(sender, self);
    if (senderKey) {
      new GroupSessionBuilder(sender).create(self, distributionId);
    }
    int messages = Math.max(20, 20_000 / members);
    long bytes = 0;
    long cpuStart = 0;
    for (int round = 0; round < 2; round++) { // round 0 warms up
      bytes = 0;
      cpuStart = THREADS.getCurrentThreadCpuTime();
      for (int m = 0; m < messages; m++) {
        long timestamp = System.currentTimeMillis();
        if (senderKey) {
          // The recipient list changes only with the membership: serialized once, then each request is that list
          // followed by the message's own fields (concatenated protobuf messages merge; repeated fields append).
          if (recipientList == null) {
            MultiRecipientMessageRequest.Builder list = MultiRecipientMessageRequest.newBuilder();
            for (String account : accounts) {
              list.addRecipients(MultiRecipientMessageRequest.Recipient.newBuilder().setAccountId(account)
                  .addDeviceIds(1).addRegistrationIds(12345));
            }
            recipientList = list.build().toByteString();
            // PUT /v1/recipient-sets carries the same list (field 1 in both messages).
            setBytes = recipientList.size() + Route.REGISTER_RECIPIENT_SET.path().length();
          }
          MultiRecipientMessageRequest.Builder message = MultiRecipientMessageRequest.newBuilder()
              .setContent(ByteString.copyFrom(group.encrypt(distributionId, plaintext).serialize()))
              .setTimestamp(timestamp);
          ByteString request = mode == Mode.RECIPIENT_SET
              ? message.setRecipientSet(setId).build().toByteString()
              : recipientList.concat(message.build().toByteString());
          bytes += request.size() + Route.SEND_MULTI_RECIPIENT.path().length();
        } else {
          for (int i = 0; i < ciphers.size(); i++) {
            CiphertextMessage ciphertext = ciphers.get(i).encrypt(plaintext);
            SendMessageRequest request = SendMessageRequest.newBuilder().setTimestamp(timestamp)
                .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
                    .setDestinationRegistrationId(12345).setContent(ByteString.copyFrom(ciphertext.serialize())))
                .build();
            bytes += request.toByteArray().length + Route.SEND_MESSAGE.path(accounts.get(i)).length();
          }
        }
      }
    }
    double cpuMicros = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1000.0 / messages;
    return new double[] {cpuMicros, (double) bytes / messages, setBytes};
  }

  /**
   * Seconds the process's threads together spent runnable but waiting for a CPU (Linux schedstat), or 0 where the
   * kernel does not tell.
   */
  private static double runQueueWaitSeconds(long pid) {
    double waited = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String[] fields = Files.readString(task.resolve("schedstat")).trim().split(" ");
          waited += Long.parseLong(fields[1]) / 1e9;
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return waited;
  }

  private static ByteString registerSet(ServerUnderTest server, Accounts.Account sender, RecipientSetRequest request)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            server.http().resolve(Route.REGISTER_RECIPIENT_SET.path()))
        .method(Route.REGISTER_RECIPIENT_SET.verb(), HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
        .header("Content-Type", "application/x-protobuf").header("Authorization", sender.basicAuth()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("registering a recipient set: " + response.statusCode() + " "
          + new String(response.body()));
    }
    return RecipientSetResponse.parseFrom(response.body()).getId();
  }

  /** {@code senders} members each keep {@code window} multi-recipient sends in flight to the other members. */
  private void fanout() throws Exception {
    try (ServerUnderTest server = startServer()) {
      List<Accounts.Account> members = Accounts.register(server.http(), server.dataDir, fanoutMembers, "557");
      AtomicLong delivered = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicLong sends = new AtomicLong();
      AtomicLong recipientsPerSend = new AtomicLong();
      CountDownLatch drained = new CountDownLatch(fanoutMembers);
      List<CompletableFuture<WsConnection>> opening = new ArrayList<>();
      for (Accounts.Account member : members) {
        opening.add(WsConnection.open(group, channelType, server.webSocket(), member.basicAuth(),
            WsConnection.Listener.acking(drained, request -> delivered.incrementAndGet(), response -> { })));
      }
      List<WsConnection> connections = new ArrayList<>();
      opening.forEach(f -> connections.add(f.join()));
      drained.await(60, TimeUnit.SECONDS);

      // The first --senders members send, each on a connection of its own, to every other member.
      boolean[] running = {true};
      List<Runnable> senderLoops = new ArrayList<>();
      List<WsConnection> senderConnections = new ArrayList<>();
      byte[] ciphertext = new byte[200];
      new Random(1).nextBytes(ciphertext);
      for (int k = 0; k < Math.min(senders, members.size()); k++) {
        Accounts.Account sender = members.get(k);
        MultiRecipientMessageRequest.Builder template = MultiRecipientMessageRequest.newBuilder();
        for (Accounts.Account member : members) {
          if (member != sender) {
            template.addRecipients(MultiRecipientMessageRequest.Recipient.newBuilder()
                .setAccountId(member.accountId()).addDeviceIds(1).addRegistrationIds(member.registrationId()));
          }
        }
        recipientsPerSend.set(template.getRecipientsCount());
        if (!listed) {
          ByteString set = registerSet(server, sender, RecipientSetRequest.newBuilder()
              .addAllRecipients(template.getRecipientsList()).build());
          template.clearRecipients().setRecipientSet(set);
        }
        ByteString body = template.setContent(ByteString.copyFrom(ciphertext)).build().toByteString();
        AtomicLong ids = new AtomicLong(1);
        WsConnection[] connection = new WsConnection[1];
        Runnable sendOne = () -> {
          if (running[0]) {
            connection[0].request(ids.getAndIncrement(), Route.SEND_MULTI_RECIPIENT.verb(),
                Route.SEND_MULTI_RECIPIENT.path(), body);
          }
        };
        connection[0] = WsConnection.open(group, channelType, server.webSocket(), sender.basicAuth(),
            WsConnection.Listener.acking(new CountDownLatch(1), request -> delivered.incrementAndGet(),
                response -> {
                  if (response.getStatus() == 200) {
                    sends.incrementAndGet();
                  } else {
                    failed.incrementAndGet();
                  }
                  sendOne.run();
                })).join();
        senderLoops.add(sendOne);
        senderConnections.add(connection[0]);
      }
      System.out.printf("fan-out: %d members connected, %d sending; warming up %d s%n", fanoutMembers,
          senderLoops.size(), warmup);
      for (Runnable sendOne : senderLoops) {
        for (int i = 0; i < window; i++) {
          sendOne.run();
        }
      }
      Thread.sleep(warmup * 1000L);
      double cpuBefore = server.cpuSeconds();
      long self = ProcessHandle.current().pid();
      double benchCpuBefore = AttachmentBench.cpuSeconds(self);
      double serverWaitBefore = runQueueWaitSeconds(server.process.pid());
      double benchWaitBefore = runQueueWaitSeconds(self);
      long deliveredBefore = delivered.get();
      long sendsBefore = sends.get();
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      double elapsed = (System.nanoTime() - start) / 1e9;
      long count = delivered.get() - deliveredBefore;
      double cpu = server.cpuSeconds() - cpuBefore;
      double benchCpu = AttachmentBench.cpuSeconds(self) - benchCpuBefore;
      double serverWait = runQueueWaitSeconds(server.process.pid()) - serverWaitBefore;
      double benchWait = runQueueWaitSeconds(self) - benchWaitBefore;
      running[0] = false;
      System.out.printf("fan-out into a group of %d online devices: %,.0f deliveries/s (%,.0f group messages/s to %d"
          + " devices each, stored for every device before the answer; %d senders, window %d; %s); failed sends %d;"
          + " server CPU %.2f cores, load generator CPU %.2f cores; %d s measured; load average %.1f%n",
          fanoutMembers, count / elapsed, (sends.get() - sendsBefore) / elapsed, recipientsPerSend.get(),
          senderLoops.size(), window, listed ? "devices listed" : "recipient set", failed.get(), cpu / elapsed,
          benchCpu / elapsed, seconds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.printf("  server CPU per delivery: %.2f µs (load generator %.2f µs)%n", cpu * 1e6 / count,
          benchCpu * 1e6 / count);
      // Threads that are ready but wait for a core: on a shared machine this, not the work, can bound the rate.
      System.out.printf("  waiting for a CPU while runnable: server %.2f s per s (running %.2f), load generator %.2f"
          + " s per s (running %.2f)%n", serverWait / elapsed, cpu / elapsed, benchWait / elapsed,
          benchCpu / elapsed);
      senderConnections.forEach(WsConnection::close);
      connections.forEach(WsConnection::close);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
