package io.caravan.testing;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * bench/latency.sh's proxy: WireMock on 127.0.0.1 passing every request to an S3 endpoint (S3Proxy) and holding
 * each response the given milliseconds, as a distant S3 would (no netem qdisc on these machines). Its request
 * journal stays on, so the script can count each tool's requests by method ({@code /__admin/requests/count}).
 *
 * <p>{@code java ... DelayingS3Proxy <address-file> <s3-endpoint> <delay-ms>}
 */
public final class DelayingS3Proxy {

    private DelayingS3Proxy() {
    }

    public static void main(String[] args) throws Exception {
        Path addressFile = Path.of(args[0]);
        WireMockServer proxy = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .preserveHostHeader(true) // S3 signs the Host header: S3Proxy must see the one the client signed
                .containerThreads(300).asynchronousResponseEnabled(true).asynchronousResponseThreads(128)
                .gzipDisabled(true).jettyStopTimeout(0L));
        proxy.start();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(args[1])
                .withFixedDelay(Integer.parseInt(args[2]))));
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::stop));
        Path partial = addressFile.resolveSibling(addressFile.getFileName() + ".partial");
        Files.writeString(partial, "http://127.0.0.1:" + proxy.port() + "\n");
        Files.move(partial, addressFile, StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }
}
