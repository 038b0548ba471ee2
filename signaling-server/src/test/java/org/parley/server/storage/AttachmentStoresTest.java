package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.parley.server.storage.local.LocalAttachmentStore;
import org.parley.server.storage.s3.S3AttachmentStore;
import org.parley.server.support.S3TestServer;

/** The attachment store contract against the local files and against a real S3 server (S3Proxy). */
class AttachmentStoresTest {

  private static S3TestServer s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3TestServer.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  @Nested
  class Local extends AttachmentStoreContract {
    private Path directory;
    private AttachmentStore store;

    @Override
    protected AttachmentStore store() {
      if (store == null) {
        try {
          directory = Files.createTempDirectory("parley-attachments");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        store = new LocalAttachmentStore(directory, 0);
      }
      return store;
    }

    @Override
    protected AttachmentStore reopen() {
      store().close();
      store = new LocalAttachmentStore(directory, 0);
      return store;
    }

    @Test
    void refusesReservationsThatWouldFillTheDisk() {
      assertThat(store().hasRoomFor(1)).isTrue();
      assertThat(new LocalAttachmentStore(directory, Long.MAX_VALUE / 2).hasRoomFor(1)).isFalse();
    }
  }

  @Nested
  class S3 extends AttachmentStoreContract {
    private String prefix;
    private Path spool;
    private AttachmentStore store;

    private AttachmentStore open() {
      return new S3AttachmentStore(new S3AttachmentStore.Settings(Optional.of(s3.endpoint), S3TestServer.BUCKET,
          "us-east-1", Optional.of(S3TestServer.ACCESS_KEY), Optional.of(S3TestServer.SECRET_KEY), prefix, true,
          S3AttachmentStore.MIN_PART_SIZE, spool));
    }

    @Override
    protected AttachmentStore store() {
      if (store == null) {
        prefix = "t" + System.nanoTime() + "/";
        try {
          spool = Files.createTempDirectory("parley-spool");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        store = open();
      }
      return store;
    }

    @Override
    protected AttachmentStore reopen() {
      store().close();
      store = open();
      return store;
    }

    @Test
    void spoolFilesAreRemovedWhenAnUploadEnds() throws Exception {
      try (AttachmentStore.Upload upload = store().openUpload("spooled")) {
        upload.write(ByteBuffer.wrap(new byte[1000]));
        assertThat(Files.list(spool)).hasSize(1);
        upload.persist();
      }
      assertThat(Files.list(spool)).isEmpty();
    }
  }
}
