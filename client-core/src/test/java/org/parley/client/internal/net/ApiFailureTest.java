package org.parley.client.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;

class ApiFailureTest {

  @Test
  void aRequestTimeoutIsTriedAgainLikeAServerError() {
    // A balancer or the server answers 408 when the request came too slowly: a send must not fail for good.
    assertThat(new ApiFailure(408, new byte[0]).transientFailure()).isTrue();
    assertThat(new ApiFailure(408, new byte[0]).toParley("send")).isInstanceOf(NetworkException.class);
    assertThat(new ApiFailure(503, new byte[0]).transientFailure()).isTrue();
    assertThat(new ApiFailure(429, new byte[0]).transientFailure()).isTrue();
  }

  @Test
  void aWrongRequestIsNotTriedAgain() {
    assertThat(new ApiFailure(400, new byte[0]).transientFailure()).isFalse();
    assertThat(new ApiFailure(413, new byte[0]).transientFailure()).isFalse();
    assertThat(new ApiFailure(400, new byte[0]).toParley("send")).isInstanceOf(InvalidInputException.class);
  }
}
