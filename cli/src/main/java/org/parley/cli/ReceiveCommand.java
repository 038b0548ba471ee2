package org.parley.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.parley.client.api.AuthenticationException;
import org.parley.client.api.IdentityChange;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Typing;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupProblem;
import org.parley.client.api.groups.SenderKeyProblem;
import org.parley.client.api.payments.PaymentRequestEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "receive", mixinStandardHelpOptions = true,
    description = {"Connect, print each message as it arrives (one line each, then one line per attachment) and "
        + "send delivery receipts.", "Also prints status changes of your sent messages (delivered, read) and of "
        + "payment requests (paid, declined, cancelled).",
    "Attachments stay encrypted in the data directory (parley attachment save ID writes one out) unless --save-dir "
        + "is given."})
final class ReceiveCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Stop after this many seconds without anything new once the queue is drained; a download "
          + "that makes no progress for this long (at least 10 s) fails (default ${DEFAULT-VALUE}; -1 runs until "
          + "killed).")
  int timeout;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  @Option(names = "--save-dir", paramLabel = "DIR",
      description = "Download each attachment, and write it decrypted into DIR under its file name (made safe and "
          + "unique); the message is printed once its attachments are saved.")
  Path saveDir;

  private volatile long lastActivity = System.nanoTime();
  private volatile String authFailure;
  /** Messages whose attachments are still being downloaded and saved. */
  private final AtomicInteger saving = new AtomicInteger();
  /** Attachments that could not be saved into {@link #saveDir}. */
  private final AtomicInteger notSaved = new AtomicInteger();
  /** Messages received in this run, reported at the end (on stderr, so stdout stays one line per message). */
  private final AtomicInteger received = new AtomicInteger();

  @Override
  public Integer call() throws Exception {
    if (saveDir != null && !Files.isDirectory(saveDir)) {
      throw new InvalidInputException("--save-dir " + saveDir + " is not a directory");
    }
    PrintWriter out = parent.out();
    // One message after the other, in the order they came, so that output stays in order.
    ExecutorService saver = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "parley-save-attachments");
      t.setDaemon(true);
      return t;
    });
    try (ParleyClient client = parent.open()) {
      AttachmentSaver attachments = new AttachmentSaver(client, () -> lastActivity = System.nanoTime());
      client.addListener(attachments);
      client.addListener(new Printer(out, attachments, saver));
      client.connect();
      // A long backlog may take longer than any fixed limit to drain: give up only when nothing has arrived for
      // that long (issue #17, finding 10: 3,000 queued messages used to end in a network error).
      long quietLimit = Duration.ofSeconds(Math.max(10, timeout)).toNanos();
      lastActivity = System.nanoTime();
      boolean drained = false;
      while (!drained) {
        drained = client.awaitQueueDrained(Duration.ofMillis(100));
        failIfRefused();
        if (!drained && System.nanoTime() - lastActivity > quietLimit) {
          throw new NetworkException("Nothing came from the server for " + Math.max(10, timeout) + " s before the"
              + " queue was drained (" + received.get() + " message(s) received so far)");
        }
      }
      while (timeout < 0 || saving.get() > 0
          || System.nanoTime() - lastActivity < Duration.ofSeconds(timeout).toNanos()) {
        Thread.sleep(100);
        failIfRefused();
      }
      if (!client.awaitOutboxEmpty(Duration.ofSeconds(10))) {
        parent.err().println("parley: some receipts or messages are not sent yet; they go out with the next connection");
      }
      parent.err().println("parley: received " + received.get() + " message(s)");
    } finally {
      saver.shutdownNow();
    }
    if (notSaved.get() > 0) {
      parent.err().println("parley: " + notSaved.get() + " attachment(s) not saved (see above); the messages are "
          + "received");
      return ExitCodes.ERROR;
    }
    return ExitCodes.OK;
  }

  private void failIfRefused() throws AuthenticationException {
    if (authFailure != null) {
      throw new AuthenticationException("The server refused this device's credentials (" + authFailure
          + "); the number was probably registered again elsewhere");
    }
  }

  private final class Printer implements ParleyListener {
    private final PrintWriter out;
    private final AttachmentSaver attachments;
    private final ExecutorService saver;

    Printer(PrintWriter out, AttachmentSaver attachments, ExecutorService saver) {
      this.out = out;
      this.attachments = attachments;
      this.saver = saver;
    }

    private void print(String line) {
      lastActivity = System.nanoTime();
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    }

    @Override
    public void messageReceived(Message message) {
      lastActivity = System.nanoTime();
      received.incrementAndGet();
      if (saveDir == null) {
        print(json ? messageJson(message) : messageText(message));
        return;
      }
      saveInBackground(() -> attachments.saveAll(message, saveDir, saveWait(), parent.err()));
    }

    @Override
    public void groupMessageReceived(GroupMessage message) {
      lastActivity = System.nanoTime();
      received.incrementAndGet();
      if (saveDir == null || message.attachments().isEmpty()) {
        print(json ? Json.write(GroupOutput.message(message)) : GroupOutput.line(message, message.groupId().value()));
        return;
      }
      saveInBackground(() -> attachments.saveAll(message, saveDir, saveWait(), parent.err()));
    }

    /** Downloads take a while and listeners must return quickly: the saver thread waits for them. */
    private void saveInBackground(Supplier<AttachmentSaver.Saved> save) {
      saving.incrementAndGet();
      saver.execute(() -> {
        try {
          AttachmentSaver.Saved saved = save.get();
          notSaved.addAndGet(saved.failures());
          print(json ? Json.write(saved.json()) : saved.text());
        } finally {
          saving.decrementAndGet();
          lastActivity = System.nanoTime();
        }
      });
    }

    private Duration saveWait() {
      return Duration.ofSeconds(Math.max(10, timeout));
    }

    @Override
    public void groupStatusChanged(GroupMessage message) {
      if (json) {
        ObjectNode node = GroupOutput.message(message);
        node.put("type", "groupStatus");
        print(Json.write(node));
      } else {
        print(Text.time(message.statusAt()) + " [" + message.groupId().value() + "] [" + Text.ticks(message.status())
            + "] " + message.text());
      }
    }

    @Override
    public void groupChanged(GroupInfo group, GroupEvent event) {
      print(json ? Json.write(GroupOutput.event(event)) : GroupOutput.line(event, group.name()));
    }

    @Override
    public void groupProblem(GroupProblem problem) {
      ObjectNode node = Json.MAPPER.createObjectNode().put("type", "groupProblem")
          .put("group", problem.groupId().value()).put("sender", problem.senderNumber())
          .put("reason", problem.reason());
      print(json ? Json.write(node) : "Refused from " + problem.senderNumber() + " in group " + problem.groupId()
          + ": " + problem.reason());
    }

    @Override
    public void senderKeyProblem(SenderKeyProblem problem) {
      ObjectNode node = Json.MAPPER.createObjectNode().put("type", "senderKeyProblem")
          .put("sender", problem.senderNumber()).put("device", problem.senderDevice())
          .put("timestamp", problem.timestamp()).put("reason", problem.reason());
      print(json ? Json.write(node) : "A group message from " + problem.senderNumber() + " could not be decrypted: "
          + problem.reason());
    }

    private String messageJson(Message message) {
      ObjectNode node = Json.message(message);
      node.put("type", "message");
      return Json.write(node);
    }

    private String messageText(Message message) {
      StringBuilder s = new StringBuilder(Text.received(message));
      for (Attachment a : message.attachments()) {
        s.append(System.lineSeparator()).append("  ").append(Text.attachment(a)).append(" ").append(Text.state(a))
            .append("  (parley attachment save ").append(a.id()).append(')');
      }
      return s.toString();
    }

    @Override
    public void statusChanged(Message message) {
      if (message.direction() != Message.Direction.OUTGOING) {
        return;
      }
      if (json) {
        ObjectNode node = Json.message(message);
        node.put("type", "status");
        print(Json.write(node));
      } else {
        print(Text.time(message.statusAt()) + " " + message.contactNumber() + " [" + Text.ticks(message.status())
            + "] " + message.text());
      }
    }

    @Override
    public void paymentChanged(PaymentRequestEntry payment) {
      if (json) {
        ObjectNode node = PlaceAndPaymentOutput.payment(payment);
        node.put("type", "payment");
        print(Json.write(node));
      } else {
        print(PlaceAndPaymentOutput.changed(payment));
      }
    }

    @Override
    public void typing(Typing typing) {
      if (json) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("type", "typing");
        node.put("number", typing.number());
        node.put("started", typing.started());
        print(Json.write(node));
      }
    }

    @Override
    public void identityChanged(IdentityChange change) {
      if (json) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("type", "identityChanged");
        node.put("number", change.number());
        print(Json.write(node));
      } else {
        print("The safety number with " + change.number() + " changed. Compare it: parley -d " + parent.dataDir
            + " safety-number " + change.number());
      }
    }

    @Override
    public void connection(boolean connected, String reason) {
      if (!connected && (reason.startsWith("authentication failed") || reason.startsWith("4401"))) {
        authFailure = reason;
      }
    }
  }
}
