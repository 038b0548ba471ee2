package org.parley.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.parley.client.api.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = {"Stay connected and speak JSON-RPC 2.0 over stdin/stdout, one JSON value per line.",
    "Methods: send {number,text,attachments?}, downloadAttachment {id}, saveAttachment {id,dir,timeout?}, "
        + "history {number,limit?}, contacts, markRead {number}, safetyNumber {number}, typing {number,started}; "
        + "on the primary: addDevice {uri,profileName?}, listDevices, unlinkDevice {id}; sendLocation {number,"
        + "latitude,longitude,label?,address?}, requestPayment {number,amount,vpa,name?,note?}, updatePayment "
        + "{requestId,state,utr?}, payment {requestId}.",
    "Notifications: receive, status, payment, typing, presence, identityChanged, revoked, attachment, "
        + "attachmentProgress. "
        + "Ends at end of input."})
final class DaemonCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Override
  public Integer call() throws Exception {
    try (ParleyClient client = parent.open()) {
      client.account();
      JsonRpc rpc = new JsonRpc(client, parent.out());
      client.addListener(rpc.notifications());
      client.connect();
      BufferedReader in = new BufferedReader(new InputStreamReader(parent.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        rpc.handleLine(line);
      }
      client.awaitOutboxEmpty(Duration.ofSeconds(10));
    }
    return ExitCodes.OK;
  }
}
