package io.caravan.s3;

import io.caravan.job.Timeouts;
import io.caravan.target.Md5;
import io.caravan.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against S3Proxy on plain http, which checks every SigV4 signature and Content-MD5 it receives. */
class UnsignedPayloadAuthSchemeTest {

    private static final byte[] BODY = "a body sent over plain http".getBytes(StandardCharsets.UTF_8);
    private static S3ProxyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.inMemory();
        server.createBucket("payloads");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static S3Client client(boolean signPayload, AtomicReference<SdkHttpRequest> sent) {
        S3Settings settings = new S3Settings(server.endpoint(), "us-east-1", S3ProxyServer.ACCESS_KEY,
                S3ProxyServer.SECRET_KEY, true, 4, signPayload, Timeouts.DEFAULTS);
        return S3Clients.builder(settings).overrideConfiguration(o -> o.addExecutionInterceptor(
                new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes a) {
                        sent.set(context.httpRequest());
                    }
                })).build();
    }

    private static String md5(byte[] bytes) {
        return Base64.getEncoder().encodeToString(Md5.newDigest().digest(bytes));
    }

    @Test
    void by_default_a_put_over_http_is_accepted_with_an_unsigned_payload_and_stored_whole() throws Exception {
        AtomicReference<SdkHttpRequest> sent = new AtomicReference<>();
        try (S3Client s3 = client(false, sent)) {
            s3.putObject(b -> b.bucket("payloads").key("unsigned").contentMD5(md5(BODY)), RequestBody.fromBytes(BODY));
            assertThat(sent.get().protocol()).isEqualTo("http");
            assertThat(sent.get().firstMatchingHeader("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");
            assertThat(s3.getObjectAsBytes(b -> b.bucket("payloads").key("unsigned")).asByteArray()).isEqualTo(BODY);
        }
    }

    @Test
    void a_body_that_does_not_match_its_content_md5_is_refused_by_the_server() {
        try (S3Client s3 = client(false, new AtomicReference<>())) {
            byte[] damaged = BODY.clone();
            damaged[3] ^= 1;
            assertThatThrownBy(() -> s3.putObject(b -> b.bucket("payloads").key("damaged").contentMD5(md5(BODY)),
                    RequestBody.fromBytes(damaged)))
                    .isInstanceOf(S3Exception.class).satisfies(e -> assertThat(((S3Exception) e).statusCode())
                            .isEqualTo(400));
            assertThat(s3.listObjectsV2(b -> b.bucket("payloads").prefix("damaged")).contents()).isEmpty();
        }
    }

    @Test
    void sign_payload_sends_the_bodys_sha256_as_the_sdk_does() throws Exception {
        AtomicReference<SdkHttpRequest> sent = new AtomicReference<>();
        try (S3Client s3 = client(true, sent)) {
            s3.putObject(b -> b.bucket("payloads").key("signed").contentMD5(md5(BODY)), RequestBody.fromBytes(BODY));
            assertThat(sent.get().firstMatchingHeader("x-amz-content-sha256"))
                    .hasValue(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BODY)));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("payloads").key("signed")).asByteArray()).isEqualTo(BODY);
        }
    }
}
