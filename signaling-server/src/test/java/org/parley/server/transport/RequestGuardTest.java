package org.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

/** The server-wide budget of unfinished request bodies, in a real Netty pipeline (EmbeddedChannel). */
class RequestGuardTest {

  private static HttpRequest authenticatedPut() {
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/v1/keys");
    head.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic claimed-but-not-yet-checked");
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    return head;
  }

  private static HttpContent piece(int bytes) {
    return new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes]));
  }

  @Test
  void unfinishedBodiesShareOneBudgetAndWholeOnesGiveItBack() {
    RequestGuard.Budget budget = new RequestGuard.Budget(100_000);
    EmbeddedChannel first = new EmbeddedChannel(new RequestGuard(60_000, 1 << 20, budget));
    EmbeddedChannel second = new EmbeddedChannel(new RequestGuard(60_000, 1 << 20, budget));

    first.writeInbound(authenticatedPut(), piece(60_000));
    assertThat(budget.held()).isEqualTo(60_000);
    second.writeInbound(authenticatedPut(), piece(30_000));
    second.writeInbound(piece(30_000)); // 120,000 would be held: refused
    FullHttpResponse refused = second.readOutbound();
    assertThat(refused.status().code()).isEqualTo(503);
    assertThat(second.isOpen()).isFalse();
    assertThat(budget.held()).as("the refused request's bytes are given back").isEqualTo(60_000);

    first.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[10])));
    assertThat(budget.held()).as("a whole request leaves the budget").isZero();
    assertThat(first.isOpen()).isTrue();
    assertThat(first.<FullHttpResponse>readOutbound()).isNull();
    Object passed;
    int handedOn = 0;
    while ((passed = first.readInbound()) != null) {
      handedOn++;
      ReferenceCountUtil.release(passed);
    }
    assertThat(handedOn).isEqualTo(3); // head, piece, last piece: all reach the aggregator
    first.finishAndReleaseAll();
    second.finishAndReleaseAll();
  }
}
