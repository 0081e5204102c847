package io.caravan.pipeline;

import io.caravan.item.RetryableException;
import io.caravan.s3.S3Errors;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A server's Retry-After is honoured by the redelivery: the next attempt waits at least that long. */
class RetryAfterDelayTest {

    @Test
    void should_wait_what_a_slow_down_answer_asked_before_the_next_attempt() throws Exception {
        S3Exception slowDown = (S3Exception) S3Exception.builder().statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown")
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(503).putHeader("Retry-After", "1").build())
                        .build())
                .build();
        RuntimeException classified = S3Errors.classify("put a.txt", slowDown);
        assertThat(classified).isInstanceOf(RetryableException.class);
        assertThat(((RetryableException) classified).retryAfter()).contains(Duration.ofSeconds(1));

        assertThat(gapBetweenAttempts(classified)).as("Retry-After: 1 with a 20 ms backoff").isGreaterThanOrEqualTo(950);
        assertThat(gapBetweenAttempts(new RetryableException("reset", null)))
                .as("no Retry-After: the backoff alone").isLessThan(500);
    }

    /** Milliseconds between the failed first attempt and the redelivery, on a route with the pipeline's errors. */
    private static long gapBetweenAttempts(RuntimeException firstFailure) throws Exception {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        try (CamelContext camel = new DefaultCamelContext()) {
            Properties settings = new Properties();
            settings.setProperty("caravan.retry-delay-ms", "20");
            settings.setProperty("caravan.retries", "1");
            camel.getPropertiesComponent().setInitialProperties(settings);
            camel.addRoutesConfigurations(new ErrorHandling(null)); // outcomes are not reached: the redelivery passes
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:item").routeConfigurationId(ErrorHandling.ID).process(e -> {
                        attempts.add(System.nanoTime());
                        if (calls.getAndIncrement() == 0) {
                            throw firstFailure;
                        }
                    });
                }
            });
            camel.start();
            try (ProducerTemplate producer = camel.createProducerTemplate()) {
                producer.sendBody("direct:item", "item");
            }
        }
        assertThat(attempts).hasSize(2);
        return (attempts.get(1) - attempts.get(0)) / 1_000_000;
    }
}
