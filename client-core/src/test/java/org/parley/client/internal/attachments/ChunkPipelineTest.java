package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ChunkPipelineTest {

  @Test
  void theSecondThreadGetsEveryChunkInOrderThroughFourBuffers() throws Exception {
    byte[] data = new byte[3_000_001];
    new Random(7).nextBytes(data);
    ByteArrayOutputStream consumed = new ByteArrayOutputStream();
    Set<byte[]> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> threads = Collections.synchronizedSet(new HashSet<>());
    try (ChunkPipeline pipeline = ChunkPipeline.threaded(4096, (bytes, length) -> {
      threads.add(Thread.currentThread().getName());
      consumed.write(bytes, 0, length);
    })) {
      for (int offset = 0; offset < data.length; ) {
        byte[] buffer = pipeline.buffer();
        buffers.add(buffer);
        int n = Math.min(1 + offset % 4096, data.length - offset); // chunks of varying length
        System.arraycopy(data, offset, buffer, 0, n);
        pipeline.submit(buffer, n);
        offset += n;
      }
      pipeline.finish();
    }
    assertThat(consumed.toByteArray()).isEqualTo(data);
    assertThat(buffers).as("buffers that circulated").hasSize(4);
    assertThat(threads).singleElement().asString().startsWith("parley-attachment-io-");
  }

  @Test
  void aFailureOfTheConsumerReachesTheProducer() throws Exception {
    try (ChunkPipeline pipeline = ChunkPipeline.threaded(16, (bytes, length) -> {
      throw new IOException("disk full");
    })) {
      assertThatThrownBy(() -> {
        for (int i = 0; i < 100; i++) {
          pipeline.submit(pipeline.buffer(), 16);
        }
        pipeline.finish();
      }).isInstanceOf(IOException.class).hasMessageContaining("disk full");
    }
  }

  @Test
  void closingStopsTheThreadBeforeItReturns() throws Exception {
    CountDownLatch consuming = new CountDownLatch(1);
    Thread[] worker = new Thread[1];
    ChunkPipeline pipeline = ChunkPipeline.threaded(16, (bytes, length) -> {
      worker[0] = Thread.currentThread();
      consuming.countDown();
      long until = System.nanoTime() + 200_000_000L; // busy, not blocked: an interrupt does not end it
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    });
    pipeline.submit(pipeline.buffer(), 16);
    pipeline.submit(pipeline.buffer(), 16);
    consuming.await();
    pipeline.close();
    assertThat(worker[0].isAlive()).as("the consumer's thread after close()").isFalse();
  }

  @Test
  void theDirectPipelineConsumesOnTheCallersThread() throws Exception {
    String caller = Thread.currentThread().getName();
    String[] seen = new String[1];
    try (ChunkPipeline pipeline = ChunkPipeline.direct(8, (bytes, length) -> seen[0] =
        Thread.currentThread().getName())) {
      pipeline.submit(pipeline.buffer(), 8);
      pipeline.finish();
    }
    assertThat(seen[0]).isEqualTo(caller);
  }
}
