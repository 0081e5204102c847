import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Isolates the AWS SDK's share of Caravan's small-file cost: PUTs every file under DIR into BUCKET with THREADS
 * threads, the way Caravan's S3Target does (S3Clients' settings, whole body in memory, Content-MD5), without
 * Camel or the ledger. MODE changes one client setting at a time:
 *   caravan      S3Clients as it is (Expect: 100-continue, aws-chunked signed payload over http)
 *   no-expect    ApacheHttpClient.expectContinueEnabled(false)
 *   no-chunked   S3Configuration.chunkedEncodingEnabled(false)
 *   both         both of the above
 *   crt          S3AsyncClient.crtBuilder(): the AWS Common Runtime's S3 client (signing and HTTP in native code),
 *                THREADS requests in flight; needs software.amazon.awssdk.crt:aws-crt on the class path
 * java -cp "target/caravan.jar:target/lib/*:bench/out/sdk-probe" SdkPutProbe ENDPOINT BUCKET DIR THREADS MODE
 */
public final class SdkPutProbe {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("benchkey", "benchsecret"));

    public static void main(String[] args) throws Exception {
        String endpoint = args[0], bucket = args[1];
        Path dir = Path.of(args[2]);
        int threads = Integer.parseInt(args[3]);
        String mode = args[4];
        boolean noExpect = mode.equals("no-expect") || mode.equals("both");
        boolean noChunked = mode.equals("no-chunked") || mode.equals("both");
        if (mode.equals("crt")) {
            crt(endpoint, bucket, dir, threads);
            return;
        }
        S3Client client = S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(!noChunked).build())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads * 2).expectContinueEnabled(!noExpect))
                .endpointOverride(URI.create(endpoint))
                .build();
        List<Path> files = files(dir);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> done = files.stream().map(f -> pool.submit(() -> {
            byte[] body = Files.readAllBytes(f);
            byte[] md5 = MessageDigest.getInstance("MD5").digest(body);
            client.putObject(r -> r.bucket(bucket).key(dir.relativize(f).toString())
                    .contentMD5(Base64.getEncoder().encodeToString(md5)), RequestBody.fromBytes(body));
            return null;
        })).collect(Collectors.toList());
        for (Future<?> f : done) {
            f.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %d PUTs in %.2f s, %.0f/s%n", mode, files.size(), s, files.size() / s);
        pool.shutdown();
        client.close();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    private static void crt(String endpoint, String bucket, Path dir, int threads) throws Exception {
        S3AsyncClient client = S3AsyncClient.crtBuilder()
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .maxConcurrency(threads)
                .endpointOverride(URI.create(endpoint))
                .build();
        List<Path> files = files(dir);
        Semaphore inFlight = new Semaphore(threads);
        List<CompletableFuture<?>> done = new ArrayList<>();
        long t0 = System.nanoTime();
        for (Path f : files) {
            inFlight.acquire();
            byte[] body = Files.readAllBytes(f);
            byte[] md5 = MessageDigest.getInstance("MD5").digest(body);
            done.add(client.putObject(r -> r.bucket(bucket).key(dir.relativize(f).toString())
                            .contentMD5(Base64.getEncoder().encodeToString(md5)),
                    AsyncRequestBody.fromBytes(body))
                    .whenComplete((r, e) -> inFlight.release()));
        }
        for (var f : done) {
            f.get();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("crt: %d PUTs in %.2f s, %.0f/s%n", files.size(), s, files.size() / s);
        client.close();
    }
}
