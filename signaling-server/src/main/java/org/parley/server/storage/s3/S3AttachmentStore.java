package org.parley.server.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.parley.server.storage.AttachmentStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Attachments in an S3-compatible bucket, for when they outgrow one disk or several servers share them.
 *
 * <p>An upload is an S3 multipart upload to the attachment's final key, in parts of {@code partSize} bytes spooled
 * through a local file (never held in memory). S3 wants every part but the last to be at least 5 MiB, so the bytes
 * after the last whole part cannot become a part when a connection ends early: {@link Upload#persist} stores them
 * as a separate "tail" object that records the offset it starts at, and the next upload reads it back into its
 * spool. The durable length of a partial upload is therefore the parts' sizes plus a tail that starts right after
 * them (a tail starting elsewhere is stale: its bytes went into a part since). Everything is found from S3 itself
 * (multipart uploads listed by key), so a restart or another server continues where the last one stopped.
 * An attachment smaller than one part never starts a multipart upload: it is put as one object on completion.
 */
public final class S3AttachmentStore implements AttachmentStore {

  /** S3's smallest part but the last. */
  public static final long MIN_PART_SIZE = 5L << 20;
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String TAIL_START = "tail-start";

  /**
   * @param endpoint empty: AWS itself; otherwise any S3-compatible server
   * @param accessKey empty: the SDK's default credential chain (environment, profile, instance role)
   * @param prefix prepended to every key, e.g. {@code "attachments/"}
   * @param pathStyle bucket in the path rather than the host name (most S3-compatible servers want this)
   */
  public record Settings(Optional<URI> endpoint, String bucket, String region, Optional<String> accessKey,
      Optional<String> secretKey, String prefix, boolean pathStyle, long partSize, Path spoolDir) {
    public Settings {
      if (bucket == null || bucket.isBlank()) {
        throw new IllegalArgumentException("attachments.s3.bucket is required for attachments.store = s3");
      }
      if (partSize < MIN_PART_SIZE) {
        throw new IllegalArgumentException("attachments.s3.part-size must be at least 5m (S3's smallest part)");
      }
      if (accessKey.isPresent() != secretKey.isPresent()) {
        throw new IllegalArgumentException("set both attachments.s3.access-key and attachments.s3.secret-key, or neither");
      }
    }
  }

  private final S3Client s3;
  private final Settings settings;
  /**
   * Uploads open in this process: their durable length is known here, without listing parts (cheaper, and some
   * S3-compatible servers cannot list the parts of an upload while a part is arriving).
   */
  private final Map<String, PartUpload> open = new ConcurrentHashMap<>();

  public S3AttachmentStore(Settings settings) {
    this.settings = settings;
    try {
      Files.createDirectories(settings.spoolDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the spool directory " + settings.spoolDir(), e);
    }
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(settings.region()))
        .forcePathStyle(settings.pathStyle())
        // Bounded waits: a storage server that stops answering fails a request rather than holding a thread.
        .httpClient(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build())
        // Checksums only where S3 requires them: S3-compatible servers do not all understand the newer trailers.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(settings.accessKey().isPresent()
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().get()))
            : DefaultCredentialsProvider.builder().build());
    settings.endpoint().ifPresent(builder::endpointOverride);
    this.s3 = builder.build();
  }

  private String key(String id) {
    return settings.prefix() + checked(id);
  }

  private String tailKey(String id) {
    return settings.prefix() + "partial/" + checked(id) + ".tail";
  }

  @Override
  public Stored stat(String id) throws IOException {
    Optional<HeadObjectResponse> done = head(key(id));
    if (done.isPresent()) {
      return new Stored(State.COMPLETE, done.get().contentLength());
    }
    PartUpload uploading = open.get(id);
    if (uploading != null) {
      return new Stored(State.PARTIAL, uploading.durable);
    }
    Partial partial = partial(id);
    return partial.exists() ? new Stored(State.PARTIAL, partial.durable()) : Stored.ABSENT;
  }

  @Override
  public Upload openUpload(String id) throws IOException {
    if (head(key(id)).isPresent()) {
      throw new FileAlreadyExistsException(id, null, "the attachment is already complete");
    }
    Partial partial = partial(id);
    Path spool = Files.createTempFile(settings.spoolDir(), "upload-", ".part");
    FileChannel channel = FileChannel.open(spool, StandardOpenOption.WRITE, StandardOpenOption.READ);
    long spooled = 0;
    try {
      if (partial.tailBytes() > 0) {
        try (InputStream tail = call(() -> s3.getObject(b -> b.bucket(settings.bucket()).key(tailKey(id))))) {
          spooled = channel.transferFrom(Channels.newChannel(tail), 0, partial.tailBytes());
        }
        if (spooled != partial.tailBytes()) {
          throw new IOException("the stored tail of attachment " + id + " ended after " + spooled + " of "
              + partial.tailBytes() + " bytes");
        }
        channel.position(spooled);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      Files.deleteIfExists(spool);
      throw e;
    }
    PartUpload upload = new PartUpload(id, partial, spool, channel, spooled);
    open.put(id, upload);
    return upload;
  }

  @Override
  public ReadableByteChannel read(String id, long offset, long length) throws IOException {
    if (length == 0) {
      if (head(key(id)).isEmpty()) {
        throw new NoSuchFileException(id);
      }
      return Channels.newChannel(InputStream.nullInputStream());
    }
    try {
      return Channels.newChannel(s3.getObject(b -> b.bucket(settings.bucket()).key(key(id))
          .range("bytes=" + offset + "-" + (offset + length - 1))));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NoSuchFileException(id);
      }
      throw new IOException("S3 get of attachment " + id + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("S3 get of attachment " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String id) throws IOException {
    for (MultipartUpload upload : uploads(id)) {
      call(() -> s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key(id)).uploadId(upload.uploadId())));
    }
    call(() -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(tailKey(id))));
    call(() -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(key(id))));
  }

  @Override
  public boolean hasRoomFor(long bytes) {
    return true; // the bucket's provider enforces its own limits
  }

  @Override
  public void close() {
    s3.close();
  }

  /** A partial upload as found in S3: its multipart upload (if any), the parts so far and a valid tail. */
  private record Partial(Optional<String> uploadId, List<CompletedPart> parts, long partBytes, long tailBytes,
      boolean staleTail) {
    boolean exists() {
      return uploadId.isPresent() || tailBytes > 0;
    }

    long durable() {
      return partBytes + tailBytes;
    }
  }

  private Partial partial(String id) throws IOException {
    Optional<String> uploadId = uploads(id).stream()
        .min(Comparator.comparing(MultipartUpload::initiated))
        .map(MultipartUpload::uploadId);
    List<CompletedPart> parts = new ArrayList<>();
    long partBytes = 0;
    if (uploadId.isPresent()) {
      List<Part> listed = new ArrayList<>();
      Integer marker = null;
      while (true) {
        Integer from = marker;
        ListPartsResponse page = call(() -> s3.listParts(b -> b.bucket(settings.bucket()).key(key(id))
            .uploadId(uploadId.get()).partNumberMarker(from)));
        listed.addAll(page.parts());
        if (!Boolean.TRUE.equals(page.isTruncated())) {
          break;
        }
        marker = page.nextPartNumberMarker();
      }
      listed.sort(Comparator.comparing(Part::partNumber));
      for (Part part : listed) {
        if (part.partNumber() != parts.size() + 1) {
          break; // a gap: only the contiguous beginning counts
        }
        parts.add(CompletedPart.builder().partNumber(part.partNumber()).eTag(part.eTag()).build());
        partBytes += part.size();
      }
    }
    long tailBytes = 0;
    boolean staleTail = false;
    Optional<HeadObjectResponse> tail = head(tailKey(id));
    if (tail.isPresent()) {
      String start = tail.get().metadata().get(TAIL_START);
      if (start != null && Long.parseLong(start) == partBytes) {
        tailBytes = tail.get().contentLength();
      } else {
        staleTail = true;
      }
    }
    return new Partial(uploadId, parts, partBytes, tailBytes, staleTail);
  }

  private List<MultipartUpload> uploads(String id) throws IOException {
    String key = key(id);
    return call(() -> s3.listMultipartUploads(b -> b.bucket(settings.bucket()).prefix(key))).uploads().stream()
        .filter(u -> u.key().equals(key))
        .toList();
  }

  private Optional<HeadObjectResponse> head(String key) throws IOException {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(settings.bucket()).key(key)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new IOException("S3 head " + key + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("S3 head " + key + ": " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface S3Call<T> {
    T run();
  }

  /** S3 failures as IOExceptions, which callers treat like a failing disk. */
  private static <T> T call(S3Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
          : e.awsErrorDetails().errorCode() + " ";
      throw new IOException("S3: " + code + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("S3: " + e.getMessage(), e);
    }
  }

  private static String checked(String id) {
    if (!SAFE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not an attachment id: " + id);
    }
    return id;
  }

  private final class PartUpload implements Upload {
    private final String id;
    private final Path spool;
    private final FileChannel channel;
    private final List<CompletedPart> parts;
    private Optional<String> uploadId;
    private long partBytes;
    private long spooled;
    /** A tail object exists that may not match the bytes any more. */
    private boolean tailStored;
    private boolean closed;
    /** Bytes stored in S3: the parts, and the tail when it starts after them. */
    private volatile long durable;

    PartUpload(String id, Partial partial, Path spool, FileChannel channel, long spooled) {
      this.id = id;
      this.spool = spool;
      this.channel = channel;
      this.parts = new ArrayList<>(partial.parts());
      this.uploadId = partial.uploadId();
      this.partBytes = partial.partBytes();
      this.spooled = spooled;
      this.tailStored = partial.tailBytes() > 0 || partial.staleTail();
      this.durable = partial.durable();
    }

    @Override
    public long position() {
      return partBytes + spooled;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        int room = (int) Math.min(bytes.remaining(), settings.partSize() - spooled);
        ByteBuffer slice = bytes.slice();
        slice.limit(room);
        while (slice.hasRemaining()) {
          spooled += channel.write(slice);
        }
        bytes.position(bytes.position() + room);
        if (spooled == settings.partSize()) {
          uploadPart();
        }
      }
    }

    private void uploadPart() throws IOException {
      if (uploadId.isEmpty()) {
        uploadId = Optional.of(call(() -> s3.createMultipartUpload(b -> b.bucket(settings.bucket()).key(key(id))))
            .uploadId());
      }
      int number = parts.size() + 1;
      long length = spooled;
      String etag = call(() -> s3.uploadPart(b -> b.bucket(settings.bucket()).key(key(id))
          .uploadId(uploadId.get()).partNumber(number).contentLength(length), spoolBody())).eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      partBytes += length;
      durable = partBytes; // the part holds the tail's bytes too
      channel.truncate(0);
      channel.position(0);
      spooled = 0;
    }

    private RequestBody spoolBody() {
      long length = spooled;
      return RequestBody.fromContentProvider(() -> {
        try {
          return Files.newInputStream(spool);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, length, "application/octet-stream");
    }

    @Override
    public void persist() throws IOException {
      if (spooled > 0) {
        long start = partBytes;
        call(() -> s3.putObject(b -> b.bucket(settings.bucket()).key(tailKey(id))
            .metadata(Map.of(TAIL_START, Long.toString(start))).contentLength(spooled), spoolBody()));
        tailStored = true;
        durable = partBytes + spooled;
      } else if (tailStored) {
        call(() -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(tailKey(id))));
        tailStored = false;
      }
    }

    @Override
    public void complete() throws IOException {
      if (uploadId.isEmpty()) {
        call(() -> s3.putObject(b -> b.bucket(settings.bucket()).key(key(id)).contentLength(spooled), spoolBody()));
      } else {
        if (spooled > 0) {
          uploadPart();
        }
        List<CompletedPart> all = List.copyOf(parts);
        call(() -> s3.completeMultipartUpload(b -> b.bucket(settings.bucket()).key(key(id))
            .uploadId(uploadId.get()).multipartUpload(m -> m.parts(all))));
      }
      if (tailStored) {
        call(() -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(tailKey(id))));
        tailStored = false;
      }
      close();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        open.remove(id, this);
        channel.close();
        Files.deleteIfExists(spool);
      }
    }
  }
}
