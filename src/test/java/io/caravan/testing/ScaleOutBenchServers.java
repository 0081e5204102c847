package io.caravan.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The servers of bench/scale-out.sh, in one JVM on 127.0.0.1, started from the test classpath: an ActiveMQ Artemis
 * broker as the tests use it, an embedded PostgreSQL for the shared ledger, and a WireMock proxy that adds a fixed
 * delay to every request before passing it to an S3 endpoint (S3Proxy), as a distant S3 would. They run until the
 * process is stopped; their addresses go to a properties file the script reads.
 *
 * <p>{@code java ... ScaleOutBenchServers <dir> <s3-endpoint> <delay-ms>}
 */
public final class ScaleOutBenchServers {

    private ScaleOutBenchServers() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String upstream = args[1];
        int delayMillis = Integer.parseInt(args[2]);
        ArtemisBroker broker = ArtemisBroker.start(dir.resolve("broker"));
        EmbeddedPostgres postgres = LoopbackPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(true).start();
        WireMockServer delay = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .preserveHostHeader(true) // S3 signs the Host header: S3Proxy must see the one the client signed
                .disableRequestJournal().containerThreads(200).asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(64).gzipDisabled(true).jettyStopTimeout(0L));
        delay.start();
        delay.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(upstream).withFixedDelay(delayMillis)));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            delay.stop();
            try {
                postgres.close();
                broker.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        writeAddresses(dir.resolve("servers.properties"), broker.url(),
                postgres.getJdbcUrl("postgres", "postgres"), "http://127.0.0.1:" + delay.port());
        Thread.currentThread().join();
    }

    private static void writeAddresses(Path file, String broker, String ledger, String s3) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, "broker=" + broker + "\nledger=" + ledger + "\ns3=" + s3 + "\n");
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
