package org.parley.bench;

import com.google.protobuf.Parser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.parley.protocol.CreateVerificationSessionRequest;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.Route;
import org.parley.protocol.SubmitVerificationCodeRequest;
import org.parley.protocol.VerificationSession;

/** Registers many accounts the way clients do (session, code from the dev SMS outbox, registration). */
final class Accounts {

  record Account(String accountId, String password, int registrationId) {
    String basicAuth() {
      return "Basic " + Base64.getEncoder().encodeToString((accountId + ".1:" + password).getBytes());
    }
  }

  private Accounts() {}

  static List<Account> register(URI server, Path serverDataDir, int count, String prefix) throws Exception {
    HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<String> numbers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        numbers.add(String.format("+1%s%06d", prefix, i));
      }
      List<Future<String>> sessions = new ArrayList<>();
      for (String number : numbers) {
        sessions.add(pool.submit(() -> send(http, server, Route.CREATE_VERIFICATION_SESSION,
            Route.CREATE_VERIFICATION_SESSION.path(),
            CreateVerificationSessionRequest.newBuilder().setNumber(number).build().toByteArray(),
            VerificationSession.parser()).getSessionId()));
      }
      List<String> sessionIds = new ArrayList<>();
      for (Future<String> f : sessions) {
        sessionIds.add(f.get());
      }
      Map<String, String> codes = new HashMap<>();
      for (String line : Files.readAllLines(serverDataDir.resolve("dev-sms.txt"))) {
        String[] parts = line.split(" ");
        codes.put(parts[0], parts[1]);
      }
      List<Future<Account>> accounts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String sessionId = sessionIds.get(i);
        String code = codes.get(numbers.get(i));
        int registrationId = 1 + (i % 16000);
        accounts.add(pool.submit(() -> {
          send(http, server, Route.SUBMIT_VERIFICATION_CODE, Route.SUBMIT_VERIFICATION_CODE.path(sessionId),
              SubmitVerificationCodeRequest.newBuilder().setCode(code).build().toByteArray(),
              VerificationSession.parser());
          String password = "bench-" + UUID.randomUUID();
          RegistrationResponse r = send(http, server, Route.REGISTER, Route.REGISTER.path(), RegistrationRequest.newBuilder()
              .setSessionId(sessionId).setPassword(password).setRegistrationId(registrationId)
              .setDeviceName("bench").build().toByteArray(), RegistrationResponse.parser());
          return new Account(r.getAccountId(), password, registrationId);
        }));
      }
      List<Account> result = new ArrayList<>();
      for (Future<Account> f : accounts) {
        result.add(f.get());
      }
      return result;
    } finally {
      pool.shutdown();
    }
  }

  private static <T> T send(HttpClient http, URI server, Route route, String path, byte[] body,
      Parser<T> parser) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(server.resolve(path))
        .method(route.verb(), HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/x-protobuf").build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(route.verb() + " " + path + " answered " + response.statusCode() + ": "
          + new String(response.body()));
    }
    return parser.parseFrom(response.body());
  }
}
