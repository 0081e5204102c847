package io.caravan.testing;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real S3 server (S3Proxy) on 127.0.0.1, on disk or in memory, that counts the writes and listings it
 * receives per bucket, so a test can prove that a rerun wrote nothing and listed nothing.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "caravan-test-access";
    public static final String SECRET_KEY = "caravan-test-secret-9f3b7c1e2d";

    private final S3Proxy proxy;
    private final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> listings = new ConcurrentHashMap<>();

    private S3ProxyServer(BlobStore store) throws Exception {
        proxy = S3Proxy.builder().blobStore(new Counting(store))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!proxy.getState().equals("STARTED") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Objects stored as files under {@code baseDir}. */
    public static S3ProxyServer onDisk(Path baseDir) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        return new S3ProxyServer(BlobStores.create("filesystem-nio2", props));
    }

    /** Objects in memory: accepts keys a filesystem could not store, such as {@code ../x}. */
    public static S3ProxyServer inMemory() throws Exception {
        return new S3ProxyServer(BlobStores.create("transient", new Properties()));
    }

    /**
     * Objects in memory whose ETags are not their MD5s, as MinIO gives for the objects it encrypts: each one is its
     * MD5's digits reversed, in listings, HEADs and GETs alike, and a GET's If-Match is held to it.
     */
    public static S3ProxyServer inMemoryWithOpaqueEtags() throws Exception {
        return new S3ProxyServer(new OpaqueEtags(BlobStores.create("transient", new Properties())));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public void createBucket(String bucket) {
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(bucket));
        }
    }

    /** PUTs and multipart parts received for the bucket. */
    public long writes(String bucket) {
        return writes.getOrDefault(bucket, new AtomicLong()).get();
    }

    /** Listing requests received for the bucket. */
    public long listings(String bucket) {
        return listings.getOrDefault(bucket, new AtomicLong()).get();
    }

    public void resetCounts() {
        writes.clear();
        listings.clear();
    }

    /** Settings that point a job's side ("source" or "target") at this server. */
    public Map<String, String> settings(String side, String bucket) {
        return Map.of(side + ".type", "s3", side + ".bucket", bucket, side + ".s3.endpoint", endpoint(),
                side + ".s3.access-key", ACCESS_KEY, side + ".s3.secret-key", SECRET_KEY);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }

    private final class Counting extends ForwardingBlobStore {
        Counting(BlobStore delegate) {
            super(delegate);
        }

        private void count(Map<String, AtomicLong> counts, String bucket) {
            counts.computeIfAbsent(bucket, b -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream in) {
            count(writes, request.bucket());
            return super.putBlob(request, in);
        }

        @Override
        public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream in) {
            count(writes, request.bucket());
            return super.uploadMultipartPart(upload, request, in);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            count(listings, request.bucket());
            return super.list(request);
        }

        @Override
        public ListObjectsResponse listV1(ListObjectsRequest request) {
            count(listings, request.bucket());
            return super.listV1(request);
        }
    }
}
