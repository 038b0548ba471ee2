package org.parley.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

class RedisTestServerTest {

  @Test
  void servesRedisWithoutPersistenceAndComesBackEmptyAfterAStop() {
    try (RedisTestServer redis = RedisTestServer.start()) {
      RedisClient client = RedisClient.create(redis.url());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.sync().set("greeting", "hello");
        assertThat(connection.sync().get("greeting")).isEqualTo("hello");
        assertThat(connection.sync().configGet("appendonly")).containsEntry("appendonly", "no");
        assertThat(connection.sync().configGet("save")).containsEntry("save", "");
      } finally {
        client.shutdown();
      }

      redis.stop();
      RedisClient refused = RedisClient.create(redis.url());
      assertThatThrownBy(refused::connect).hasMessageContaining("Unable to connect");
      refused.shutdown();

      redis.startAgain();
      RedisClient again = RedisClient.create(redis.url());
      try (StatefulRedisConnection<String, String> connection = again.connect()) {
        assertThat(connection.sync().get("greeting")).isNull();
      } finally {
        again.shutdown();
      }
    }
  }
}
