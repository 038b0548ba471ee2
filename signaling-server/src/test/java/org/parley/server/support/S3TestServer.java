package org.parley.server.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy over jclouds' filesystem blob store in a temporary directory, on a free
 * loopback port, with signature checking on and one bucket created.
 */
public final class S3TestServer implements AutoCloseable {

  public static final String ACCESS_KEY = "parley-test-access";
  public static final String SECRET_KEY = "parley-test-secret";
  public static final String BUCKET = "parley-attachments";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  public final Path directory;
  public final URI endpoint;

  private S3TestServer() throws Exception {
    directory = Files.createTempDirectory("parley-s3");
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", directory.toString());
    context = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
    proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
  }

  public static S3TestServer start() throws Exception {
    return new S3TestServer();
  }

  /** A client of this server, for tests that look inside the bucket. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  /** Settings that point a Parley server at this S3 server ({@code TestServer.start(settings)}). */
  public Map<String, String> serverSettings() {
    return Map.of(
        "PARLEY_ATTACHMENTS_STORE", "s3",
        "PARLEY_ATTACHMENTS_S3_ENDPOINT", endpoint.toString(),
        "PARLEY_ATTACHMENTS_S3_BUCKET", BUCKET,
        "PARLEY_ATTACHMENTS_S3_ACCESS_KEY", ACCESS_KEY,
        "PARLEY_ATTACHMENTS_S3_SECRET_KEY", SECRET_KEY,
        "PARLEY_ATTACHMENTS_S3_PART_SIZE", "5m");
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
