package org.parley.client.internal.attachments;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.Credentials;
import org.parley.client.internal.net.RestClient;
import org.parley.protocol.AttachmentSlot;
import org.parley.protocol.AttachmentUploadStatus;
import org.parley.protocol.CreateAttachmentRequest;
import org.parley.protocol.Route;

/**
 * Moves attachment ciphertext to and from the server (ADR 0120, docs/decisions/0121-attachments-client.md): reserves
 * a slot, uploads from the byte the server already has, downloads with {@code Range} from the byte we already have.
 * Bytes go over plain HTTP(S), streamed from and to files; progress is reported as it goes and a {@link Cancel}
 * stops a transfer from another thread. One attempt per call: the caller (the outbox, a download queue) decides
 * when to try again, and the next attempt continues where this one stopped.
 */
public final class AttachmentTransfer {

  private static final int CHUNK = 256 * 1024;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
  private static final String PROTOBUF = "application/x-protobuf";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Told how far a transfer is: {@code done} of {@code total} ciphertext bytes (done counts earlier attempts). */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void transferred(long done, long total);
  }

  /** Stops a transfer from another thread; the bytes moved so far stay (the next attempt continues from them). */
  public static final class Cancel {
    private volatile boolean requested;

    public void cancel() {
      requested = true;
    }

    public boolean requested() {
      return requested;
    }
  }

  private final RestClient rest;
  private final Supplier<Credentials> credentials;
  private HttpClient http;

  public AttachmentTransfer(RestClient rest, Supplier<Credentials> credentials) {
    this.rest = rest;
    this.credentials = credentials;
  }

  /** Made on first use, as RestClient's: a client that is only opened starts no HTTP thread. */
  private synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().sslContext(rest.tls()).connectTimeout(CONNECT_TIMEOUT).build();
    }
    return http;
  }

  /** Reserves an upload of exactly {@code ciphertextLength} bytes; a size over the server's cap is refused. */
  public AttachmentSlot reserve(long ciphertextLength) throws ParleyException {
    try {
      return rest.call(Route.CREATE_ATTACHMENT, CreateAttachmentRequest.newBuilder().setSize(ciphertextLength).build(),
          AttachmentSlot.getDefaultInstance(), true);
    } catch (ApiFailure failure) {
      throw mapped(failure, "Reserving an upload of " + ciphertextLength + " bytes");
    }
  }

  /** Gives slot {@code id} up (an upload in progress is cut); the server deletes what it received. */
  public void delete(String id) throws ParleyException {
    try {
      rest.call(Route.DELETE_ATTACHMENT, null, null, true, id);
    } catch (ApiFailure failure) {
      throw mapped(failure, "Deleting attachment " + id);
    }
  }

  /** How much of upload {@code id} the server has stored. */
  public AttachmentUploadStatus status(String id) throws ParleyException {
    try {
      return rest.call(Route.GET_ATTACHMENT_UPLOAD, null, AttachmentUploadStatus.getDefaultInstance(), true, id);
    } catch (ApiFailure failure) {
      throw mapped(failure, "Asking how much of attachment " + id + " was uploaded");
    }
  }

  /**
   * Uploads {@code ciphertext} (the whole file is the attachment) to slot {@code id}, starting at the first byte the
   * server does not have yet; returns the server's status afterwards ({@code complete} once all bytes are stored).
   */
  public AttachmentUploadStatus upload(String id, Path ciphertext, Progress progress, Cancel cancel)
      throws ParleyException, IOException, TransferCancelledException {
    return upload(id, ciphertext, Files.size(ciphertext), progress, cancel);
  }

  /**
   * As above, for the first {@code size} bytes of {@code file} (a stored attachment: its ciphertext, then its
   * trailer, which is not uploaded).
   */
  public AttachmentUploadStatus upload(String id, Path file, long size, Progress progress, Cancel cancel)
      throws ParleyException, IOException, TransferCancelledException {
    AttachmentUploadStatus status = status(id);
    if (Files.size(file) < size) {
      throw new IOException("The file " + file + " holds fewer than the " + size + " bytes to upload");
    }
    return upload(id, status, () -> new FileSlice(file, status.getReceived(), size, progress, cancel), size, progress,
        cancel);
  }

  /**
   * Uploads the first {@code size} bytes of a file another thread is still writing, from its start, into the fresh
   * slot {@code id}: {@code growing} (opened for reading, not closed here) is read only up to the bytes the file
   * holds, waiting for more, until all are sent or {@code cancel} is requested. The writer must write each byte once,
   * in order.
   */
  public AttachmentUploadStatus uploadGrowing(String id, FileChannel growing, long size, Progress progress,
      Cancel cancel) throws ParleyException, TransferCancelledException {
    AttachmentUploadStatus status = AttachmentUploadStatus.newBuilder().setId(id).setSize(size).setReceived(0).build();
    return upload(id, status, () -> new FileSlice(growing, size, progress, cancel), size, progress, cancel);
  }

  private AttachmentUploadStatus upload(String id, AttachmentUploadStatus status, Supplier<InputStream> body,
      long size, Progress progress, Cancel cancel) throws ParleyException, TransferCancelledException {
    if (status.getSize() != size) {
      throw new InvalidInputException("Attachment " + id + " was reserved for " + status.getSize() + " bytes; the"
          + " file has " + size);
    }
    if (status.getComplete()) {
      progress.transferred(size, size);
      return status;
    }
    long from = status.getReceived();
    progress.transferred(from, size);
    HttpRequest request = HttpRequest.newBuilder(uri(Route.UPLOAD_ATTACHMENT.path(id)))
        .header("Authorization", credentials.get().basicAuthorization())
        .header("Content-Type", "application/octet-stream")
        .header("Accept", PROTOBUF)
        .header("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size)
        .method(Route.UPLOAD_ATTACHMENT.verb(), HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(body),
            size - from))
        .build();
    HttpResponse<byte[]> response;
    try {
      response = http().send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      if (cancel.requested()) {
        throw new TransferCancelledException("The upload of attachment " + id + " was cancelled");
      }
      throw new NetworkException("The upload of attachment " + id + " broke off (" + e.getMessage() + "); it"
          + " continues from where the server stopped", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransferCancelledException("The upload of attachment " + id + " was interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      throw mapped(new ApiFailure(response.statusCode(), response.body()), "Uploading attachment " + id);
    }
    try {
      AttachmentUploadStatus after = AttachmentUploadStatus.parseFrom(response.body());
      progress.transferred(after.getReceived(), size);
      return after;
    } catch (InvalidProtocolBufferException e) {
      throw new NetworkException("The server's answer to an upload is not an AttachmentUploadStatus", e);
    }
  }

  /**
   * Downloads attachment {@code id}, {@code ciphertextLength} bytes, into {@code partial}: continues after the bytes
   * {@code partial} already holds (a {@code Range} request) and stops at {@code ciphertextLength}. The file is then
   * complete but unverified: hand it to {@link AttachmentFiles#storeDownloaded}.
   */
  public void download(String id, long ciphertextLength, Path partial, Progress progress, Cancel cancel)
      throws ParleyException, IOException, TransferCancelledException {
    download(id, ciphertextLength, partial, progress, cancel, null);
  }

  /**
   * As above, feeding every byte of the attachment to {@code verifier} (unless null) as it is written: first what
   * {@code partial} already held, then the rest as it arrives. Afterwards {@code verifier} has seen the whole file,
   * and {@link AttachmentFiles#storeDownloaded(String, AttachmentKey, byte[], long, Path, AttachmentCipher.Verifier)}
   * stores it without reading it again.
   */
  public void download(String id, long ciphertextLength, Path partial, Progress progress, Cancel cancel,
      AttachmentCipher.Verifier verifier) throws ParleyException, IOException, TransferCancelledException {
    long have = Files.exists(partial) ? Files.size(partial) : 0;
    if (have > ciphertextLength) {
      Files.delete(partial); // not this attachment's bytes: start over
      have = 0;
    }
    progress.transferred(have, ciphertextLength);
    if (have == ciphertextLength) {
      feed(verifier, partial, have);
      return;
    }
    // A blocking connection: the bytes go from the socket straight into the pipeline's buffers on this thread,
    // without the HttpClient's hand-offs between its selector, its executor and a stream queue (ADR 0122, third step).
    HttpURLConnection connection = open(uri(Route.DOWNLOAD_ATTACHMENT.path(id)));
    int status;
    try {
      connection.setRequestProperty("Accept", PROTOBUF);
      connection.setRequestProperty("Range", "bytes=" + have + "-");
      status = connection.getResponseCode();
    } catch (IOException e) {
      connection.disconnect();
      throw new NetworkException("Cannot download attachment " + id + " (" + e.getMessage() + ")", e);
    }
    if (status / 100 != 2) {
      try (InputStream error = connection.getErrorStream()) {
        throw mapped(new ApiFailure(status, error == null ? new byte[0] : error.readNBytes(64 * 1024)),
            "Downloading attachment " + id);
      } catch (IOException e) {
        throw new NetworkException("Cannot download attachment " + id + " (" + e.getMessage() + ")", e);
      } finally {
        connection.disconnect();
      }
    }
    InputStream opened;
    try {
      opened = connection.getInputStream();
    } catch (IOException e) {
      connection.disconnect();
      throw new NetworkException("Cannot download attachment " + id + " (" + e.getMessage() + ")", e);
    }
    boolean complete = false;
    try (InputStream body = opened) {
      long start = startOf(status, connection.getHeaderField("Content-Range"), id);
      if (start != have) {
        have = start; // a 200 sends the whole attachment: write it from the start
      }
      feed(verifier, partial, have);
      try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        out.truncate(have);
        out.position(have);
        // This thread takes the bytes from the HTTP client and hashes them; a second one computes the MAC and
        // writes them (ADR 0122).
        ChunkPipeline.Consumer write = (bytes, length) -> {
          if (verifier != null) {
            verifier.updateMac(bytes, 0, length);
          }
          ByteBuffer chunk = ByteBuffer.wrap(bytes, 0, length);
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
        };
        try (ChunkPipeline pipeline = ciphertextLength - have >= 4L * CHUNK ? ChunkPipeline.threaded(CHUNK, write)
            : ChunkPipeline.direct(CHUNK, write)) {
          while (have < ciphertextLength) {
            if (cancel.requested()) {
              pipeline.finish();
              out.force(false);
              throw new TransferCancelledException("The download of attachment " + id + " was cancelled");
            }
            byte[] buffer = pipeline.buffer();
            int read = readSome(body, buffer, (int) Math.min(buffer.length, ciphertextLength - have));
            if (read < 0) {
              pipeline.finish();
              out.force(false);
              throw new NetworkException("The download of attachment " + id + " broke off after " + have + " of "
                  + ciphertextLength + " bytes; it continues from there");
            }
            if (verifier != null) {
              verifier.updateDigest(buffer, 0, read);
            }
            pipeline.submit(buffer, read);
            have += read;
            progress.transferred(have, ciphertextLength);
          }
          pipeline.finish();
        }
        if (verifier == null) {
          out.force(false); // with a verifier, the store syncs the file once its trailer is on
        }
        complete = true;
      } catch (IOException e) {
        throw new NetworkException("The download of attachment " + id + " broke off (" + e.getMessage() + "); it"
            + " continues from where it stopped", e);
      }
    } finally {
      if (!complete) {
        connection.disconnect(); // not back into the keep-alive cache with unread bytes
      }
    }
  }

  /** Fills {@code buffer} up to {@code wanted} bytes as far as the body has them now; -1 at its end. */
  private static int readSome(InputStream body, byte[] buffer, int wanted) throws IOException {
    int total = 0;
    while (total < wanted) {
      int read = body.read(buffer, total, wanted - total);
      if (read < 0) {
        return total == 0 ? -1 : total;
      }
      total += read;
      if (body.available() == 0) {
        break;
      }
    }
    return total;
  }

  /** Starts {@code verifier} again with the first {@code length} bytes already in {@code partial}. */
  private static void feed(AttachmentCipher.Verifier verifier, Path partial, long length) throws IOException {
    if (verifier == null) {
      return;
    }
    verifier.reset();
    if (length == 0) {
      return;
    }
    try (FileChannel in = FileChannel.open(partial, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      for (long position = 0; position < length; ) {
        int read = in.read(buffer.clear().limit((int) Math.min(CHUNK, length - position)), position);
        if (read < 0) {
          throw new IOException("The partial download " + partial + " shrank while it was read");
        }
        verifier.update(buffer.array(), 0, read);
        position += read;
      }
    }
  }

  /** Where the body of a 2xx download answer starts in the attachment. */
  private static long startOf(int status, String contentRange, String id) throws NetworkException {
    if (status == 200) {
      return 0;
    }
    String range = contentRange == null ? "" : contentRange;
    Matcher m = CONTENT_RANGE.matcher(range);
    if (status != 206 || !m.matches()) {
      throw new NetworkException("Unexpected answer " + status + " (" + range + ") to the download of"
          + " attachment " + id);
    }
    return Long.parseLong(m.group(1));
  }

  /** A connection to {@code uri} with the client's TLS settings and the same connect timeout as the HttpClient. */
  private HttpURLConnection open(URI uri) throws NetworkException {
    try {
      HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
      if (connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(rest.tls().getSocketFactory());
      }
      connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      connection.setUseCaches(false);
      return connection;
    } catch (IOException | IllegalArgumentException e) {
      throw new NetworkException("Cannot connect to " + uri + " (" + e.getMessage() + ")", e);
    }
  }

  private URI uri(String path) {
    return rest.base().resolve(path);
  }

  private static ParleyException mapped(ApiFailure failure, String what) {
    if (failure.status() == 404 || failure.status() == 410) {
      return new NotFoundException(what + ": the attachment is no longer available (" + failure.getMessage() + ")",
          failure);
    }
    return failure.toParley(what);
  }

  /**
   * Bytes {@code from}..{@code size} of a file, counting what the HTTP client takes and honouring cancel; for a file
   * still being written ({@code growing}), only the bytes it holds so far, waiting for more.
   */
  private static final class FileSlice extends InputStream {
    /** How long a read of a growing file sleeps before it looks at the file's length again. */
    private static final long GROWING_POLL_NANOS = 500_000;
    private final FileChannel channel;
    private final boolean growing;
    private final long size;
    private final Progress progress;
    private final Cancel cancel;
    private long position;

    FileSlice(Path file, long from, long size, Progress progress, Cancel cancel) {
      try {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.growing = false;
      this.position = from;
      this.size = size;
      this.progress = progress;
      this.cancel = cancel;
    }

    FileSlice(FileChannel growing, long size, Progress progress, Cancel cancel) {
      this.channel = growing;
      this.growing = true;
      this.position = 0;
      this.size = size;
      this.progress = progress;
      this.cancel = cancel;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (cancel.requested()) {
        throw new IOException("cancelled");
      }
      if (position >= size) {
        return -1;
      }
      long available = size;
      if (growing) {
        while ((available = Math.min(size, channel.size())) <= position) {
          LockSupport.parkNanos(GROWING_POLL_NANOS);
          if (cancel.requested()) {
            throw new IOException("cancelled");
          }
        }
      }
      int read = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, available - position)),
          position);
      if (read > 0) {
        position += read;
        progress.transferred(position, size);
      }
      return read;
    }

    @Override
    public void close() throws IOException {
      if (!growing) {
        channel.close();
      }
    }
  }
}
