package io.caravan.s3;

import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryAfter;
import io.caravan.item.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Duration;
import java.util.Optional;

/** Sorts an S3 failure into Caravan's three classes: retryable, item-fatal, job-fatal. */
public final class S3Errors {

    private S3Errors() {
    }

    /**
     * Fails with a job-fatal error naming the bucket when it cannot be reached with these credentials, whatever the
     * reason: a job whose bucket does not answer cannot move anything. The SDK's exception is the cause, and nothing
     * between: Camel handles an error by the innermost exception in its chain that it has a clause for, and a
     * RetryableException there would be retried instead of stopping the job.
     */
    public static void checkBucket(software.amazon.awssdk.services.s3.S3Client client, String bucket, String role) {
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            RuntimeException classified = classify(role + " bucket " + bucket, e);
            throw classified instanceof JobFatalException fatal ? fatal
                    : new JobFatalException(classified.getMessage(), e);
        }
    }

    public static RuntimeException classify(String what, SdkException e) {
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            String message = what + ": " + status + " " + code;
            if (status == 429 || status >= 500) {
                return new RetryableException(message, e, retryAfter(s3).orElse(null));
            }
            if (status == 401 || status == 403 || "NoSuchBucket".equals(code)) {
                return new JobFatalException(message + " (check the bucket and credentials)", e);
            }
            return new ItemRejectedException("transfer", message);
        }
        if (e instanceof SdkClientException) {
            return new RetryableException(what + ": " + e.getMessage(), e);
        }
        return new RetryableException(what + ": " + e.getMessage(), e);
    }

    /** What the server asked for with its answer (Retry-After), when it did. */
    private static Optional<Duration> retryAfter(S3Exception e) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null) {
            return Optional.empty();
        }
        return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").flatMap(RetryAfter::parse);
    }
}
