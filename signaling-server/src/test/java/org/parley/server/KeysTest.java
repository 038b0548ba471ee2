package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountLookupResponse;
import org.parley.protocol.PreKey;
import org.parley.protocol.PreKeyBundleResponse;
import org.parley.protocol.PreKeyCount;
import org.parley.protocol.SetKeysRequest;
import org.parley.protocol.SignedPreKey;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;

class KeysTest {

  private TestServer server;
  private Api api;
  private Api.Device alice;
  private Api.Device bob;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    api = server.api;
    alice = api.register("+15553330001");
    bob = api.register("+15553330002");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static ByteString bytes(int size, int fill) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) fill);
    return ByteString.copyFrom(b);
  }

  private static SignedPreKey signed(int id, int size) {
    return SignedPreKey.newBuilder().setKeyId(id).setPublicKey(bytes(size, id)).setSignature(bytes(64, 7)).build();
  }

  private SetKeysRequest.Builder fullUpload(int ecKeys, int pqKeys) {
    SetKeysRequest.Builder keys = SetKeysRequest.newBuilder()
        .setIdentityKey(bytes(33, 5))
        .setSignedPreKey(signed(1, 33))
        .setPqLastResortPreKey(signed(1000, 1569));
    for (int i = 1; i <= ecKeys; i++) {
      keys.addPreKeys(PreKey.newBuilder().setKeyId(i).setPublicKey(bytes(33, i)));
    }
    for (int i = 1; i <= pqKeys; i++) {
      keys.addPqPreKeys(signed(100 + i, 1569));
    }
    return keys;
  }

  private PreKeyCount count(Api.Device device) {
    return api.call("GET", "/v1/keys/count", null, device).as(PreKeyCount.getDefaultInstance());
  }

  @Test
  void bundlesConsumeOneOneTimeKeyOfEachKindThenFallBackToTheLastResortKey() {
    assertThat(api.call("PUT", "/v1/keys", fullUpload(2, 1).build(), alice).status()).isEqualTo(204);
    assertThat(count(alice).getEcCount()).isEqualTo(2);
    assertThat(count(alice).getPqCount()).isEqualTo(1);

    PreKeyBundleResponse first = api.call("GET", "/v1/keys/" + alice.accountId() + "/*", null, bob)
        .as(PreKeyBundleResponse.getDefaultInstance());
    assertThat(first.getIdentityKey()).isEqualTo(bytes(33, 5));
    assertThat(first.getDevicesList()).singleElement().satisfies(d -> {
      assertThat(d.getDeviceId()).isEqualTo(1);
      assertThat(d.getRegistrationId()).isEqualTo(alice.registrationId());
      assertThat(d.getSignedPreKey().getKeyId()).isEqualTo(1);
      assertThat(d.getPreKey().getKeyId()).isEqualTo(1);
      assertThat(d.getPqPreKey().getKeyId()).isEqualTo(101);
      assertThat(d.getPqLastResort()).isFalse();
    });
    assertThat(count(alice).getEcCount()).isEqualTo(1);
    assertThat(count(alice).getPqCount()).isZero();

    PreKeyBundleResponse second = api.call("GET", "/v1/keys/" + alice.accountId() + "/1", null, bob)
        .as(PreKeyBundleResponse.getDefaultInstance());
    assertThat(second.getDevices(0).getPreKey().getKeyId()).isEqualTo(2);
    assertThat(second.getDevices(0).getPqPreKey().getKeyId()).isEqualTo(1000);
    assertThat(second.getDevices(0).getPqLastResort()).isTrue();

    PreKeyBundleResponse third = api.call("GET", "/v1/keys/" + alice.accountId() + "/1", null, bob)
        .as(PreKeyBundleResponse.getDefaultInstance());
    assertThat(third.getDevices(0).hasPreKey()).as("no one-time EC key left").isFalse();
    assertThat(third.getDevices(0).getPqLastResort()).isTrue();
  }

  @Test
  void concurrentFetchesNeverHandOutTheSameOneTimeKey() {
    api.call("PUT", "/v1/keys", fullUpload(40, 40).build(), alice);
    Set<Integer> ec = ConcurrentHashMap.newKeySet();
    Set<Integer> pq = ConcurrentHashMap.newKeySet();
    List<Integer> handedOut = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> fetches = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      fetches.add(CompletableFuture.runAsync(() -> {
        PreKeyBundleResponse b = api.call("GET", "/v1/keys/" + alice.accountId() + "/1", null, bob)
            .as(PreKeyBundleResponse.getDefaultInstance());
        handedOut.add(b.getDevices(0).getPreKey().getKeyId());
        ec.add(b.getDevices(0).getPreKey().getKeyId());
        pq.add(b.getDevices(0).getPqPreKey().getKeyId());
      }));
    }
    fetches.forEach(CompletableFuture::join);
    assertThat(handedOut).hasSize(40);
    assertThat(ec).hasSize(40);
    assertThat(pq).hasSize(40);
    assertThat(count(alice).getEcCount()).isZero();
  }

  @Test
  void malformedKeysAndMissingKeysGetClearErrors() {
    Api.Response badSignature = api.call("PUT", "/v1/keys", SetKeysRequest.newBuilder()
        .setSignedPreKey(SignedPreKey.newBuilder().setKeyId(1).setPublicKey(bytes(33, 1)).setSignature(bytes(3, 1)))
        .build(), alice);
    assertThat(badSignature.status()).isEqualTo(400);
    assertThat(badSignature.error().getMessage()).contains("signature");

    SetKeysRequest.Builder tooMany = SetKeysRequest.newBuilder();
    for (int i = 0; i < 101; i++) {
      tooMany.addPreKeys(PreKey.newBuilder().setKeyId(i).setPublicKey(bytes(33, 1)));
    }
    assertThat(api.call("PUT", "/v1/keys", tooMany.build(), alice).error().getCode()).isEqualTo("too_many_keys");

    Api.Response none = api.call("GET", "/v1/keys/" + bob.accountId() + "/*", null, alice);
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.error().getCode()).isEqualTo("no_keys");
    assertThat(api.call("GET", "/v1/keys/" + bob.accountId() + "/7", null, alice).error().getCode())
        .isEqualTo("unknown_device");
    assertThat(api.call("GET", "/v1/keys/nobody/*", null, alice).status()).isEqualTo(404);
    assertThat(api.call("GET", "/v1/keys/count", null, null).status()).isEqualTo(401);
  }

  @Test
  void aDeviceHoldsAtMostAThousandOneTimeKeysOfEachKind() {
    // Issue #17: one-time key uploads had no total cap, so one device could fill the server's disk with them.
    for (int upload = 0; upload < 10; upload++) {
      SetKeysRequest.Builder batch = SetKeysRequest.newBuilder();
      for (int i = 1; i <= 100; i++) {
        batch.addPreKeys(PreKey.newBuilder().setKeyId(upload * 100 + i).setPublicKey(bytes(33, i)));
      }
      assertThat(api.call("PUT", "/v1/keys", batch.build(), alice).status()).isEqualTo(204);
    }
    SetKeysRequest oneMore = SetKeysRequest.newBuilder().setSignedPreKey(signed(2, 33))
        .addPreKeys(PreKey.newBuilder().setKeyId(5000).setPublicKey(bytes(33, 1))).build();
    Api.Response refused = api.call("PUT", "/v1/keys", oneMore, alice);
    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.error().getCode()).isEqualTo("too_many_keys_stored");
    assertThat(refused.error().getMessage()).contains("at most 1000").contains("has 1000 EC");
    assertThat(count(alice).getEcCount()).isEqualTo(1000);
  }

  @Test
  void lookUpAnAccountByNumber() {
    Api.Response found = api.call("GET", "/v1/accounts/number/+15553330002", null, alice);
    assertThat(found.as(AccountLookupResponse.getDefaultInstance()).getAccountId()).isEqualTo(bob.accountId());
    assertThat(api.call("GET", "/v1/accounts/number/+15553339999", null, alice).status()).isEqualTo(404);
    assertThat(api.call("GET", "/v1/accounts/number/+15553330002", null, null).status()).isEqualTo(401);
    assertThat(api.call("GET", "/v1/accounts/number/garbage", null, alice).status()).isEqualTo(400);
  }
}
