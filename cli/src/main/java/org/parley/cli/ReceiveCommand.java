package org.parley.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.parley.client.api.AuthenticationException;
import org.parley.client.api.IdentityChange;
import org.parley.client.api.Message;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Typing;
import org.parley.client.api.payments.PaymentRequestEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "receive", mixinStandardHelpOptions = true,
    description = {"Connect, print each message as it arrives (one line each) and send "
    + "delivery receipts.", "Also prints status changes of your sent messages (delivered, read) and of payment "
        + "requests (paid, declined, cancelled)."})
final class ReceiveCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
      description = "Stop after this many seconds without anything new once the queue is drained "
          + "(default ${DEFAULT-VALUE}; -1 runs until killed).")
  int timeout;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  private volatile long lastActivity = System.nanoTime();
  private volatile String authFailure;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = parent.out();
    try (ParleyClient client = parent.open()) {
      client.addListener(new Printer(out));
      client.connect();
      long connectDeadline = System.nanoTime() + Duration.ofSeconds(Math.max(10, timeout)).toNanos();
      boolean drained = false;
      while (!drained) {
        drained = client.awaitQueueDrained(Duration.ofMillis(100));
        failIfRefused();
        if (!drained && System.nanoTime() > connectDeadline) {
          throw new NetworkException("Could not receive from the server within " + Math.max(10, timeout) + " s");
        }
      }
      while (timeout < 0 || System.nanoTime() - lastActivity < Duration.ofSeconds(timeout).toNanos()) {
        Thread.sleep(100);
        failIfRefused();
      }
      if (!client.awaitOutboxEmpty(Duration.ofSeconds(10))) {
        parent.err().println("parley: some receipts are not sent yet; they go out with the next connection");
      }
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

    Printer(PrintWriter out) {
      this.out = out;
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
      if (json) {
        ObjectNode node = Json.message(message);
        node.put("type", "message");
        print(Json.write(node));
      } else {
        print(Text.received(message));
      }
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
